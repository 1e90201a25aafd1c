// Pages to PDF. The layout engine positions everything; this back end only
// paints: embedded subset fonts, one TJ array per text run, rules, images,
// links, bookmarks, page labels and document info. libharu does the writing
// (see haru.hpp for what it is asked to do and what is patched).
#pragma once

#include <string>

#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "layout/pages.hpp"

namespace galley::pdf {

struct pdf_options {
  std::string date;  // "" = no date in the file; else ISO 8601 from SOURCE_DATE_EPOCH or the input
  bool compress = true;
  // Threads for deflating page contents: 0 for one per core (at most two
  // are used). The bytes written are the same for any number.
  unsigned threads = 0;
  // Where warnings go (characters a font lacks, characters above U+FFFF).
  // May be null.
  galley::diagnostics* diagnostics = nullptr;
};

// Writes the whole file to `out`. The same pages and options give the same
// bytes. Throws galley::error: input_failed ("bad-font", "bad-image") for
// unusable fonts and images, usage ("bad-date") for a date that is not ISO
// 8601, internal ("pdf-failed") when libharu fails or the pages are
// inconsistent.
void write_pdf(const layout::pages& p, const pdf_options& o, sink& out);

// "2024-05-01", "2024-05-01T10:20:30Z", "2024-05-01T10:20:30+02:00" ->
// "D:20240501102030+02'00'". Throws galley::error (usage, "bad-date").
std::string pdf_date(const std::string& iso8601);

}  // namespace galley::pdf
