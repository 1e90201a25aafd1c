// The parser's entry point: bytes in, a document tree out. It always returns
// a tree; problems are reported through diagnostics. It throws galley::error
// only for input that cannot be read as text at all (a binary file).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/diagnostics.hpp"
#include "doc/tree.hpp"

namespace galley::parse {

// vtt and srt: captions (WebVTT, SubRip). New formats go at the end: batch
// reports and caches store a format as its number.
enum class input_format { automatic, plain, markdown, vtt, srt };

struct options {
  input_format format = input_format::automatic;  // automatic: by the file name's extension
  // `--meta key=value` pairs; they override front matter and the recognizer.
  std::vector<std::pair<std::string, std::string>> meta;
};

// Chooses the reader from a file name: .md and .markdown are Markdown,
// .vtt WebVTT and .srt SubRip captions; anything else is plain text.
input_format format_for(std::string_view source_name);

// The format a `--from` value or a book's `from` key names ("plain",
// "markdown", "vtt", "srt"); automatic for "auto" and anything else.
input_format format_named(std::string_view name);

doc::document parse_interview(std::string_view bytes, const std::string& source_name,
                              const options& opts, diagnostics& diags);

}  // namespace galley::parse
