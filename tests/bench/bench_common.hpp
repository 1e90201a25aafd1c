// Shared by the whole-conversion benchmarks: the sample, copies of it under
// other titles (a book of N interviews), and loading them the way
// `galley convert` does (load_book + smarten), outside the timed loop.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

#include "base/diagnostics.hpp"
#include "convert/convert.hpp"
#include "doc/tree.hpp"
#include "doc/typography.hpp"

namespace bench {

namespace fs = std::filesystem;

inline const fs::path tests_dir{GALLEY_TEST_DATA};

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline fs::path sample_path() { return tests_dir / "data" / "ambrazevich-interview.txt"; }

// The sample with its headline (and every repetition of it) renamed, so a
// book of copies has distinct chapter titles.
inline std::string sample_variant(std::size_t i) {
  static const std::string text = read_file(sample_path());
  static const std::string headline = "Yuri Ambrazevich, Deputy Foreign Minister of Belarus:";
  std::string out = text;
  const std::string repl = "Interview " + std::to_string(i + 1) + ", Yuri Ambrazevich of Belarus:";
  for (std::size_t pos = out.find(headline); pos != std::string::npos;
       pos = out.find(headline, pos + repl.size()))
    out.replace(pos, headline.size(), repl);
  return out;
}

// N interview files in a private temporary folder, removed at exit.
class book_files {
 public:
  explicit book_files(std::size_t n) {
    dir_ = fs::temp_directory_path() / ("galley-bench-" + std::to_string(::getpid()) + "-" + std::to_string(n));
    fs::create_directories(dir_);
    for (std::size_t i = 0; i < n; ++i) {
      char name[48];
      std::snprintf(name, sizeof name, "interview-%03zu.txt", i + 1);
      const fs::path p = dir_ / name;
      std::ofstream(p, std::ios::binary) << sample_variant(i);
      paths_.push_back(p.string());
    }
  }
  ~book_files() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  book_files(const book_files&) = delete;
  book_files& operator=(const book_files&) = delete;
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  fs::path dir_;
  std::vector<std::string> paths_;
};

// What `galley convert` renders: the loaded, checked and smartened tree.
inline galley::doc::document load(const std::vector<std::string>& inputs, const galley::convert::options& o) {
  std::vector<galley::diagnostics> diags;
  galley::doc::document d = galley::convert::load_book(inputs, o, diags);
  galley::doc::smarten(d);
  return d;
}

// The options `galley convert` uses by default, with the date fixed (as
// SOURCE_DATE_EPOCH would) and a book title for several inputs.
inline galley::convert::options default_options(std::size_t inputs) {
  galley::convert::options o;
  o.date = "2024-01-01T00:00:00Z";
  if (inputs > 1) o.book_meta.emplace_back("title", "Interviews");
  return o;
}

}  // namespace bench
