// Source positions, diagnostics, the fatal-error exception and exit codes.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace galley {

// A 1-based line and column (column counts Unicode code points). 0 means
// "unknown" and is printed without the number.
struct source_pos {
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  friend bool operator==(const source_pos&, const source_pos&) = default;
};

enum class severity { error, warning, info };
std::string_view to_string(severity s);

struct diagnostic {
  galley::severity severity = severity::error;
  std::string file;
  source_pos pos;
  std::string message;  // lowercase, no final period
  std::string code;     // stable identifier, e.g. "invalid-utf8"
  std::vector<std::string> notes;
};

// `file:line:col: severity: message [code]` plus one `note:` line per note.
std::string format(const diagnostic& d);

// Collects diagnostics for one input. Not thread-safe: one per input.
class diagnostics {
 public:
  explicit diagnostics(std::string file = {}) : file_(std::move(file)) {}

  diagnostic& add(galley::severity s, source_pos pos, std::string code, std::string message);
  diagnostic& error(source_pos pos, std::string code, std::string message) {
    return add(severity::error, pos, std::move(code), std::move(message));
  }
  diagnostic& warning(source_pos pos, std::string code, std::string message) {
    return add(severity::warning, pos, std::move(code), std::move(message));
  }
  diagnostic& info(source_pos pos, std::string code, std::string message) {
    return add(severity::info, pos, std::move(code), std::move(message));
  }

  const std::vector<diagnostic>& list() const { return list_; }
  const std::string& file() const { return file_; }
  void set_file(std::string f) { file_ = std::move(f); }
  std::size_t count(galley::severity s) const;
  bool has_errors() const { return count(severity::error) > 0; }
  bool has_code(std::string_view code) const;
  // Orders by line and column, keeping the order of equal positions.
  void sort();
  // Gives the diagnostics from index `first` on that have a line the file
  // they are about (a book's layout reports lines of each interview).
  void attribute(std::size_t first, const std::string& file);
  std::size_t size() const { return list_.size(); }

  // At most this many diagnostics of one code are kept; the rest are
  // counted, and one info line says how many were left out.
  static constexpr std::size_t per_code_limit = 50;

  // Every diagnostic, formatted, one per line, in the order they were added.
  std::string to_text(galley::severity at_least = severity::info) const;

 private:
  std::string file_;
  std::vector<diagnostic> list_;
  std::vector<std::pair<std::string, std::size_t>> per_code_;  // code -> count
  diagnostic dropped_;  // what add() returns for a diagnostic over the limit
};

// The one table of exit codes.
enum class exit_code : int {
  ok = 0,
  input_failed = 1,  // at least one input could not be converted
  usage = 2,         // bad command line or configuration
  io = 3,            // a file could not be read or written
  internal = 4,      // a bug in galley
};

// The one exception family for fatal errors. It carries a diagnostic
// and the exit code the command line should end with.
class error : public std::runtime_error {
 public:
  error(galley::exit_code code, diagnostic d)
      : std::runtime_error(format(d)), code_(code), diag_(std::move(d)) {}
  galley::exit_code code() const { return code_; }
  const diagnostic& diag() const { return diag_; }

 private:
  galley::exit_code code_;
  diagnostic diag_;
};

// Helper for fatal errors that are about a whole file (no line or column).
[[noreturn]] void fail(galley::exit_code code, std::string file, std::string code_name,
                       std::string message, source_pos pos = {});

}  // namespace galley
