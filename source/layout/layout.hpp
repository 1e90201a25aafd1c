// The layout engine's entry point: a document tree and a print style in,
// pages of positioned runs out (see pages.hpp), painted by the PDF writer.
#pragma once

#include <string>

#include "base/diagnostics.hpp"
#include "doc/tree.hpp"
#include "layout/pages.hpp"
#include "style/print_style.hpp"

namespace galley::layout {

// Lays out every article: a title block per interview, justified body text
// with Knuth-Plass line breaking and hyphenation, pages without widows or
// orphans, running heads and folios; for a book of several interviews a
// title page and a table of contents. Warnings (overfull lines, missing
// glyphs, long words) go to diags. Throws galley::error (exit_code::usage,
// "font-missing" / "font-not-truetype") when a font named by the style
// cannot be used.
pages layout_document(const doc::document& document, const style::print_style& style,
                      diagnostics& diags);

struct layout_options {
  // Threads for setting a book's interviews side by side; 0: one per core.
  // The pages, their fonts and the diagnostics are the same for any number.
  unsigned threads = 0;
};
pages layout_document(const doc::document& document, const style::print_style& style,
                      diagnostics& diags, const layout_options& options);

// A text dump for golden tests: fonts, pages, runs, rules, links and the
// outline, numbers rounded to 0.1 pt. Font paths are left out (they differ
// between machines).
std::string dump_layout(const pages& p);

}  // namespace galley::layout
