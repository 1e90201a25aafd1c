#include "base/module.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <vector>

#include "base/diagnostics.hpp"

namespace galley {

namespace fs = std::filesystem;

namespace {

// The folders a module may be in, in the order they are tried. A folder
// given in the environment is the only one.
std::vector<fs::path> module_dirs() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("GALLEY_MODULE_DIR"); env && *env) {
    dirs.emplace_back(env);
    return dirs;
  }
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path());
#ifdef GALLEY_BUILD_DIR
  dirs.emplace_back(GALLEY_BUILD_DIR);
#endif
  if (!ec) dirs.push_back(exe.parent_path() / "../lib/galley");
  return dirs;
}

}  // namespace

void* module::open_with_companion(const std::filesystem::path& found) {
  // RTLD_DEEPBIND: the module's libraries look symbols up among themselves
  // first. libcrypto binds some 3,200 references to itself; searching
  // galley, libm, libgcc_s and libc first for each was a fifth of loading
  // it. galley's own functions, which only the executable has, are still
  // found after.
  constexpr int flags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
  void* companion = nullptr;
  std::error_code ec;
  if (companion_ && fs::is_regular_file(found.parent_path() / companion_, ec))
    companion = dlopen((found.parent_path() / companion_).c_str(), flags);
  if (void* handle = dlopen(found.c_str(), flags)) return handle;
  if (!companion) return nullptr;
  // The stand-in did not do (a library needs more of what it replaces):
  // without it, the real library is loaded.
  dlclose(companion);
  return dlopen(found.c_str(), flags);
}

void module::load() noexcept {
  void* handle = nullptr;
  std::string why;
  try {
    fs::path found;
    std::error_code ec;
    for (const auto& dir : module_dirs())
      if (fs::is_regular_file(dir / file_, ec)) {
        found = dir / file_;
        break;
      }
    if (found.empty()) {
      const char* env = std::getenv("GALLEY_MODULE_DIR");
      why = env && *env ? "it is not in GALLEY_MODULE_DIR (" + std::string(env) + ")"
                        : "it is not beside galley (set GALLEY_MODULE_DIR to its folder)";
    } else if (!(handle = open_with_companion(found))) {
      const char* e = dlerror();
      why = e ? e : "dlopen failed";
    } else {
      const auto* abi = static_cast<const char* const*>(dlsym(handle, "galley_module_abi"));
      if (!abi || std::strcmp(*abi, module_abi) != 0) {
        why = found.string() + " is from another build of galley (it serves " + (abi ? *abi : "no interface") +
              ", this galley wants " + module_abi + ")";
        handle = nullptr;  // left mapped: unloading what another build set up is not worth the risk
      }
    }
  } catch (const std::exception& e) {
    why = e.what();
  }
  handle_ = handle;
  why_ = std::move(why);
}

void* module::symbol(const char* name) {
  std::call_once(once_, [this] { load(); });
  if (!handle_)
    fail(exit_code::internal, file_, "module-missing", "cannot load the module " + std::string(file_) + ": " + why_);
  void* p = dlsym(handle_, name);
  if (!p)
    fail(exit_code::internal, file_, "module-missing",
         "the module " + std::string(file_) + " has no '" + name + "' (is it from another build of galley?)");
  return p;
}

}  // namespace galley
