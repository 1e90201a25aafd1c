// Work spread over the machine's cores, with results that do not depend on
// how the threads were scheduled: fn(i) writes into slots the caller owns,
// and the error reported is always the one of the lowest failing index.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace galley {

// How many threads parallel_for may use: the cores galley may run on, or 1
// inside a serial_scope.
unsigned parallel_workers();

// While one exists on a thread, parallel_for on that thread runs serially:
// batch workers, which are parallel already, set one.
class serial_scope {
 public:
  serial_scope();
  ~serial_scope();
  serial_scope(const serial_scope&) = delete;
  serial_scope& operator=(const serial_scope&) = delete;

 private:
  bool was_;
};

// Calls fn(i) for every i in [0, n), on up to parallel_workers() threads
// (the calling thread is one of them). Worth it only for work of a
// millisecond or more per call: `min_per_thread` calls per extra thread.
// If calls throw, the others still started finish, no new ones start, and
// the exception of the lowest index is rethrown. Every index below it has
// run, so which error is reported never depends on timing.
template <class F>
void parallel_for(std::size_t n, F&& fn, std::size_t min_per_thread = 1) {
  const std::size_t threads =
      std::min<std::size_t>(parallel_workers(), min_per_thread ? n / min_per_thread : n);
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex m;
  std::size_t error_at = n;
  std::exception_ptr error;
  auto work = [&] {
    serial_scope nested;  // fn's own parallel_for calls stay on this thread
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (i < error_at) error_at = i, error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace galley
