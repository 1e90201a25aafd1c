// Where back ends write: a sink. Files are written through atomic_file, which
// writes a temporary file beside the target and renames it into place only
// when everything succeeded, so a crash or kill never leaves half a book.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

namespace galley {

class sink {
 public:
  virtual ~sink() = default;
  virtual void write(std::string_view bytes) = 0;
};

class string_sink final : public sink {
 public:
  void write(std::string_view bytes) override { data_.append(bytes); }
  const std::string& str() const { return data_; }
  std::string take() { return std::move(data_); }

 private:
  std::string data_;
};

// A file written atomically. Throws galley::error (exit_code::io) when the
// temporary file cannot be created, written or renamed. If commit() is not
// called (an exception, an early return), the destructor removes the
// temporary file and the target is left as it was.
class atomic_file final : public sink {
 public:
  explicit atomic_file(std::filesystem::path target);
  ~atomic_file() override;
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  void write(std::string_view bytes) override;
  void commit();
  const std::filesystem::path& temp_path() const { return temp_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  int slot_ = -1;  // in the registry a signal handler cleans up
};

// A scratch file in the temporary folder, removed when the object goes away
// or, if galley is interrupted first (SIGINT, SIGTERM, SIGHUP), by its signal
// handler. For libraries that only read from a named file.
class temp_file {
 public:
  // Creates TMPDIR/galley-XXXXXX<suffix> holding `bytes`. Throws
  // galley::error (exit_code::io) when it cannot.
  temp_file(std::string_view bytes, std::string_view suffix);
  ~temp_file() { remove(); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  const std::filesystem::path& path() const { return path_; }
  void remove();

 private:
  std::filesystem::path path_;
  int slot_ = -1;
};

// Writes bytes to path atomically.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// Reads a whole file. Throws galley::error (exit_code::io) with the reason.
std::string read_file(const std::filesystem::path& path);

}  // namespace galley
