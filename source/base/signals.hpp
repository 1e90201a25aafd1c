// The signals that stop a run: SIGINT, SIGTERM and SIGHUP. galley's handler
// for them removes its temporary files (base/output.cpp) and re-raises.
#pragma once

#include <signal.h>

namespace galley {

// Blocks the stop signals on the calling thread for its lifetime, then
// restores the thread's previous mask. A thread started meanwhile inherits
// the block and keeps it: galley starts every thread of its own inside one,
// so that these signals always reach the main thread, which honours the
// hold output.cpp takes around creating and registering a temporary file.
class stop_signals_blocked {
 public:
  stop_signals_blocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~stop_signals_blocked() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  stop_signals_blocked(const stop_signals_blocked&) = delete;
  stop_signals_blocked& operator=(const stop_signals_blocked&) = delete;

 private:
  sigset_t old_;
};

}  // namespace galley
