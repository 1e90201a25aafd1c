// Book projects: one book.toml names the book, its interviews (paths or
// globs, in order) and the outputs; `galley build` makes one EPUB and one
// PDF of all its interviews, `galley init` writes a starter file.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "convert/batch.hpp"
#include "convert/convert.hpp"

namespace galley::convert {

struct book_project {
  std::string file;  // the book.toml
  std::string dir;   // its folder: relative paths in it are relative to this
  book_settings book;
  std::string style = "classic";
  std::string paper, cover, labels, from = "auto";
  std::vector<std::pair<std::string, std::string>> meta;  // [meta] table: --meta for every interview
  std::vector<std::string> interviews;                    // expanded, in order, without duplicates
  std::vector<output_format> formats = {output_format::epub, output_format::pdf};
  std::string out_dir = "out";  // resolved against `dir`
  std::string name = "book";    // OUT_DIR/NAME.epub, OUT_DIR/NAME.pdf
};

// Reads and checks a book project. Problems in the file are reported as
// `book.toml:line:col: error: ... [code]` through galley::error (usage);
// unknown keys are warnings added to `warnings`.
book_project load_book_project(const std::string& file, diagnostics& warnings);

// Paths matching a glob relative to `dir` (`*`, `?`, `[...]` within a path
// segment, `**` for any number of folders), sorted; hidden files are only
// matched by patterns that start with a dot.
std::vector<std::string> expand_glob(const std::string& dir, const std::string& pattern);

// The commented starter book.toml that `galley init` writes.
std::string starter_book_toml();

}  // namespace galley::convert
