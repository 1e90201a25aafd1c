#include "base/parallel.hpp"

#include <sched.h>

namespace galley {

namespace {
thread_local bool serial = false;
}  // namespace

unsigned parallel_workers() {
  if (serial) return 1;
  // The cores this process may run on (a CI job's CPU set), not the machine's.
  static const unsigned cores = [] {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
      const int n = CPU_COUNT(&set);
      if (n > 0) return static_cast<unsigned>(n);
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw ? hw : 1u;
  }();
  return cores;
}

serial_scope::serial_scope() : was_(serial) { serial = true; }
serial_scope::~serial_scope() { serial = was_; }

}  // namespace galley
