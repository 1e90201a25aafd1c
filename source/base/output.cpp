#include "base/output.hpp"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <mutex>
#include <cstring>
#include <fstream>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diagnostics.hpp"
#include "base/signals.hpp"

namespace galley {

namespace {

// Temporary files in flight, removed by a SIGINT, SIGTERM or SIGHUP handler
// so that an interrupted galley leaves nothing behind (SIGKILL cannot be
// caught; what it leaves is a hidden ".NAME.tmp-XXXXXX", never a truncated
// NAME). Fixed slots: the handler may only touch memory that is always there.
constexpr std::size_t temp_slots = 256;
struct temp_slot {
  std::atomic<int> state;  // 0 free, 1 being filled, 2 live
  char path[4096];
};
// Zero-initialised, in .bss: no start-up code touches its megabyte, so a run
// pays only for the pages of the slots it uses.
constinit temp_slot temp_registry[temp_slots]{};

extern "C" void remove_temps_and_reraise(int sig) {
  for (auto& slot : temp_registry)
    if (slot.state.load(std::memory_order_acquire) == 2) ::unlink(slot.path);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void install_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction old {};
      sigaction(sig, nullptr, &old);
      if (old.sa_handler != SIG_DFL) continue;  // someone else handles it
      struct sigaction sa {};
      sa.sa_handler = remove_temps_and_reraise;
      sigemptyset(&sa.sa_mask);
      sigaction(sig, &sa, nullptr);
    }
  });
}

int register_temp(const std::string& path) {
  install_handlers();
  if (path.size() >= sizeof temp_registry[0].path) return -1;
  for (std::size_t i = 0; i < temp_slots; ++i) {
    int expected = 0;
    if (temp_registry[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(temp_registry[i].path, path.c_str(), path.size() + 1);
      temp_registry[i].state.store(2, std::memory_order_release);
      return static_cast<int>(i);
    }
  }
  return -1;  // all slots busy: the file is still removed by the destructor
}

// Holds SIGINT, SIGTERM and SIGHUP back while a temporary file is created and
// registered: a signal arriving between mkstemp and register_temp would
// otherwise find a file on disk that the handler does not know of. The
// signal is delivered, and the file removed, as soon as the block ends.
class signals_held {
 public:
  signals_held() { install_handlers(); }

 private:
  stop_signals_blocked blocked_;
};

void unregister_temp(int slot) {
  if (slot >= 0) temp_registry[slot].state.store(0, std::memory_order_release);
}

[[noreturn]] void io_fail(const std::filesystem::path& p, std::string_view what) {
  fail(exit_code::io, p.string(), "io-error",
       std::string(what) + ": " + std::strerror(errno));
}
}  // namespace

atomic_file::atomic_file(std::filesystem::path target) : target_(std::move(target)) {
  auto dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  std::string templ = (dir / ("." + target_.filename().string() + ".tmp-XXXXXX")).string();
  int fd;
  {
    signals_held held;
    fd = ::mkstemp(templ.data());
    if (fd >= 0) slot_ = register_temp(templ);
  }
  if (fd < 0) io_fail(target_, "cannot create output");
  temp_ = templ;
  file_ = ::fdopen(fd, "wb");
  if (!file_) {
    ::close(fd);
    std::filesystem::remove(temp_);
    io_fail(target_, "cannot open output");
  }
}

atomic_file::~atomic_file() {
  if (file_) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
  unregister_temp(slot_);
}

void atomic_file::write(std::string_view bytes) {
  if (!file_) io_fail(target_, "output already closed");
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    io_fail(target_, "cannot write output");
}

void atomic_file::commit() {
  if (!file_) io_fail(target_, "output already closed");
  // No fsync: a killed process loses nothing that was flushed, and batch
  // builds write thousands of files. Rename keeps readers from half files.
  bool ok = std::fflush(file_) == 0;
  // mkstemp makes the file 0600; give it the permissions a new file would get.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(::fileno(file_), 0666 & ~mask);
  ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  if (!ok) io_fail(target_, "cannot write output");
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) io_fail(target_, "cannot rename output into place");
  committed_ = true;
  unregister_temp(slot_);
  slot_ = -1;
}

temp_file::temp_file(std::string_view bytes, std::string_view suffix) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string templ = (dir / "galley-XXXXXX").string() + std::string(suffix);
  int fd;
  {
    signals_held held;
    fd = ::mkstemps(templ.data(), static_cast<int>(suffix.size()));
    if (fd >= 0) slot_ = register_temp(templ);
  }
  if (fd < 0) io_fail(dir, "cannot create a temporary file");
  path_ = templ;
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) {
      ::close(fd);
      remove();
      io_fail(dir, "cannot write a temporary file");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    remove();
    io_fail(dir, "cannot write a temporary file");
  }
}

void temp_file::remove() {
  if (path_.empty()) return;
  ::unlink(path_.c_str());
  unregister_temp(slot_);
  slot_ = -1;
  path_.clear();
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  atomic_file f(path);
  f.write(bytes);
  f.commit();
}

std::string read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    errno = EISDIR;
    io_fail(path, "cannot read input");
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_fail(path, "cannot read input");
  // A regular file is read straight into a string of its size: growing the
  // string 64 KB at a time copied a large input some twenty times. Pipes
  // and files that grow meanwhile are read on to their end.
  std::string data;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    data.resize(static_cast<std::size_t>(st.st_size));
  std::size_t used = 0;
  const auto fail_read = [&] {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    io_fail(path, "cannot read input");
  };
  for (;;) {
    if (used < data.size()) {
      const ssize_t n = ::read(fd, data.data() + used, data.size() - used);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_read();
      if (n == 0) break;
      used += static_cast<std::size_t>(n);
      continue;
    }
    // At the expected end (or with no size known): a read into a buffer
    // says whether more follows.
    char more[1 << 16];
    const ssize_t n = ::read(fd, more, sizeof more);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_read();
    if (n == 0) break;
    data.append(more, static_cast<std::size_t>(n));
    used = data.size();
  }
  ::close(fd);
  data.resize(used);
  return data;
}

}  // namespace galley
