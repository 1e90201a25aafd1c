// Work spread over the machine's cores, with results that do not depend on
// how the threads were scheduled: jobs write into slots the caller owns, and
// the error reported is always the one of the lowest failing index. Used for
// a book's parsing and smartening, EPUB deflating, layout and PDF pages.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "base/signals.hpp"

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

// Threads worth starting for `jobs` independent jobs: one per core galley
// may use (parallel_workers(): one inside a batch worker, whose
// jobs are the parallel work already), at most one per job, and at least
// one. `wanted` > 0 asks for that many instead (tests compare 1 with
// several).
inline unsigned worker_count(std::size_t jobs, unsigned wanted = 0) {
  unsigned n = wanted > 0 ? wanted : parallel_workers();
  if (n == 0) n = 1;
  if (jobs < n) n = static_cast<unsigned>(std::max<std::size_t>(jobs, 1));
  return n;
}

// Runs job(i, worker) for every i in [0, n) on `threads` threads, the
// calling thread being one of them; `worker` (0 .. threads-1) says which, so
// a job can use state of its own thread. Indexes are handed out in
// increasing order, so every worker sees its share in order. A job that
// throws stops the indexes above it from being started (a loop would not
// have reached them); once every thread has stopped, the exception of the
// lowest failed index is rethrown, which is the one a loop would have
// thrown. Jobs must only touch what is theirs (their slot of a results
// vector, their worker's state) or what is safe to share.
template <class Job>
void for_each_index(std::size_t n, unsigned threads, Job&& job) {
  if (threads <= 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) job(i, 0u);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed_at{n};  // the lowest index that threw so far
  std::mutex mutex;
  std::exception_ptr first;
  auto work = [&](unsigned worker) noexcept {
    serial_scope nested;  // a job's own parallel work stays on its thread
    for (;;) {
      std::size_t i = next.fetch_add(1);
      if (i >= n || i > failed_at.load()) return;
      try {
        job(i, worker);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (i < failed_at.load()) {
          failed_at.store(i);
          first = std::current_exception();
        }
      }
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  {
    const stop_signals_blocked workers_take_no_stop_signals;  // inherited by the threads
    for (unsigned t = 1; t < threads; ++t) {
      try {
        pool.emplace_back(work, t);
      } catch (const std::system_error&) {
        break;  // no more threads to be had: fewer workers give the same results
      }
    }
  }
  work(0);
  for (auto& t : pool) t.join();
  if (first) std::rethrow_exception(first);
}

// A thread running one task, joined when its owner goes (even when the
// owner's constructor throws). When no thread can be started the task is
// not run: it must only be a head start on work done anyway.
class background_task {
 public:
  background_task() = default;
  template <class Task>
  explicit background_task(Task&& task) {
    const stop_signals_blocked thread_takes_no_stop_signals;  // inherited by the thread
    try {
      thread_ = std::thread(std::forward<Task>(task));
    } catch (const std::system_error&) {
    }
  }
  ~background_task() {
    if (thread_.joinable()) thread_.join();
  }
  background_task(const background_task&) = delete;
  background_task& operator=(const background_task&) = delete;

 private:
  std::thread thread_;
};

// Calls fn(i) for every i in [0, n) on up to parallel_workers() threads
// (the calling thread is one of them), with for_each_index's guarantees.
// Worth it only for work of a millisecond or more per call: `min_per_thread`
// calls per extra thread.
template <class F>
void parallel_for(std::size_t n, F&& fn, std::size_t min_per_thread = 1) {
  const unsigned threads = worker_count(n / (min_per_thread ? min_per_thread : 1));
  for_each_index(n, threads, [&](std::size_t i, unsigned) { fn(i); });
}

}  // namespace galley
