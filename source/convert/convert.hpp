// One conversion: interviews in, one EPUB or PDF out. The pipeline is
// read -> parse -> smarten -> (EPUB | layout -> PDF), written atomically.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "doc/tree.hpp"
#include "parse/parse.hpp"

namespace galley::convert {

enum class output_format { epub, pdf };

// "book.epub" -> epub, "x.pdf" -> pdf; throws galley::error (usage) otherwise.
output_format format_for_output(const std::string& path);
std::string_view to_string(output_format f);

struct options {
  parse::options parse;
  std::string style = "classic";  // a name under the styles folder, or a folder
  std::string cover;              // --cover IMAGE (EPUB)
  std::string labels;             // "", qa, names, initials
  std::string paper;              // "", a4, letter, a5, 6x9 (PDF; "" = the style's)
  // "YYYY-MM-DDThh:mm:ssZ" from SOURCE_DATE_EPOCH, or "" (then the EPUB's
  // modified date is the start of 1980 and the PDF carries no date).
  std::string date;
  // Book-level metadata for several inputs (front matter of a single input
  // is used otherwise): title, subtitle, publisher...
  std::vector<std::pair<std::string, std::string>> book_meta;
};

// Where the styles live: $GALLEY_STYLES, else the source tree's styles/
// (compiled in), else ../share/galley/styles beside the executable.
std::string styles_root();
// A style name or folder to its folder. Throws galley::error (usage) with
// the list of known styles when it does not exist.
std::string resolve_style(const std::string& name_or_dir);

// SOURCE_DATE_EPOCH (seconds) as an ISO 8601 UTC timestamp; "" when unset.
// Throws galley::error (usage) for a value that is not a number.
std::string date_from_source_date_epoch(const char* value);

// Reads and parses every input into one document: one article per input.
// Diagnostics go to `diags`, one entry per input in order.
doc::document load_book(const std::vector<std::string>& inputs, const options& o,
                        std::vector<diagnostics>& diags);

// The bytes of the output for an already loaded (and smartened) document.
// When `files_used` is given, the files layout chose that are not otherwise
// known to the caller are appended to it (for a PDF: the font files and the
// images placed on pages), for dependency tracking by batch builds.
std::string render(const doc::document& d, output_format f, const options& o, const std::string& base_dir,
                   diagnostics& diags, std::vector<std::string>* files_used = nullptr);

// The whole conversion: load, smarten, render, and write `output`
// atomically. Throws galley::error on fatal problems; input diagnostics are
// returned in `diags` (an input with errors fails the conversion: exit 1).
void convert_files(const std::vector<std::string>& inputs, const std::string& output, output_format f,
                   const options& o, std::vector<diagnostics>& diags);

}  // namespace galley::convert
