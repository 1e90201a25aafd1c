#include "base/output.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diagnostics.hpp"

namespace galley {

namespace {
[[noreturn]] void io_fail(const std::filesystem::path& p, std::string_view what) {
  fail(exit_code::io, p.string(), "io-error",
       std::string(what) + ": " + std::strerror(errno));
}
}  // namespace

atomic_file::atomic_file(std::filesystem::path target) : target_(std::move(target)) {
  auto dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  std::string templ = (dir / ("." + target_.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(templ.data());
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
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) io_fail(path, "cannot read input");
  std::string data;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  bool bad = std::ferror(f) != 0;
  std::fclose(f);
  if (bad) io_fail(path, "cannot read input");
  return data;
}

}  // namespace galley
