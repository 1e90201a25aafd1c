// Parts of galley that are shared objects of their own, loaded when a run
// needs them. The PDF back end (layout and painting: HarfBuzz, libharu,
// fontconfig, FreeType, ICU's break iterators) and the zip writer (libzip,
// which brings libcrypto) are modules: a run that makes an EPUB maps neither
// the first nor its dozen libraries, and one that only reads (tree, check)
// maps neither. On the virtual machines CI uses, mapping and relocating a
// shared library costs a fault per page touched; before the split, loading
// them was a third of converting one interview.
//
// A module is found beside the executable, else in the build folder it was
// built in (for test and benchmark binaries), else in ../lib/galley beside
// the executable; or only in $GALLEY_MODULE_DIR when that is set.
//
// Loading one on another thread while the inputs are parsed was tried and
// measured: on these machines two threads give about 1.2 times the work of
// one (the second virtual CPU shares a core), and the parse slowed by as
// much as the loading took.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>

namespace galley {

// Bumped whenever the interface between galley and a module changes: a
// module from another build is refused instead of being called wrongly.
inline constexpr const char* module_abi = "galley-module-1";

class module {
 public:
  // file: the shared object's name, "galley-print.so". companion: one
  // loaded from the same folder first, whose SONAME stands in for a library
  // the module's own libraries need (epub/crypto_stub.cpp); when the module
  // cannot be loaded with it, it is loaded without.
  explicit module(const char* file, const char* companion = nullptr) : file_(file), companion_(companion) {}
  module(const module&) = delete;
  module& operator=(const module&) = delete;

  // The address of the module's symbol `name`, loading the module on first
  // use. Throws galley::error (internal, "module-missing") when the module
  // cannot be found or loaded, or was built for another interface.
  void* symbol(const char* name);

 private:
  void load() noexcept;  // sets handle_ or why_
  void* open_with_companion(const std::filesystem::path& found);

  const char* file_;
  const char* companion_;
  std::once_flag once_;
  void* handle_ = nullptr;
  std::string why_;  // why loading failed
};

}  // namespace galley
