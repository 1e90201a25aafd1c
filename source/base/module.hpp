// Parts of galley that are shared objects of their own, loaded when a run
// needs them. The PDF back end (layout and painting: HarfBuzz, libharu,
// fontconfig, FreeType, ICU's break iterators) and the zip writer (libzip,
// which brings libcrypto) are modules: a run that makes an EPUB maps neither
// the first nor its dozen libraries, and the zip writer is loaded on another
// core while the interviews are parsed. On the virtual machines CI uses,
// mapping and relocating a shared library costs a fault per page touched;
// before the split, loading them was a third of converting one interview.
//
// A module is found beside the executable, else in the build folder it was
// built in (for test and benchmark binaries), else in ../lib/galley beside
// the executable; or only in $GALLEY_MODULE_DIR when that is set.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace galley {

// Bumped whenever the interface between galley and a module changes: a
// module from another build is refused instead of being called wrongly.
inline constexpr const char* module_abi = "galley-module-1";

class module {
 public:
  // file: the shared object's name, "galley-print.so".
  explicit module(const char* file) : file_(file) {}
  ~module();
  module(const module&) = delete;
  module& operator=(const module&) = delete;

  // Starts loading on a thread of its own (signals blocked there), so that
  // the loading overlaps the caller's work. Only a head start: does nothing
  // when loading has begun, or when no thread can be had.
  void preload() noexcept;

  // The address of the module's symbol `name`, loading the module first or
  // waiting for the preload. Throws galley::error (internal,
  // "module-missing") when the module cannot be found or loaded, or was
  // built for another interface.
  void* symbol(const char* name);

 private:
  void load() noexcept;  // sets handle_ or why_, then done_

  const char* file_;
  std::mutex mutex_;
  std::condition_variable loaded_;
  std::thread loader_;
  bool started_ = false;
  bool done_ = false;
  void* handle_ = nullptr;
  std::string why_;  // why loading failed
};

}  // namespace galley
