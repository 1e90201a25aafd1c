// Font subsetting with HarfBuzz (hb-subset), done before libharu sees a font.
#pragma once

#include <cstdint>
#include <set>
#include <string>

namespace galley::pdf {

struct subset_options {
  bool retain_gids = false;  // keep original glyph ids (larger hmtx/loca)
  bool keep_hinting = false;  // hinting is useless in print and costs bytes
};

// Returns a TrueType font holding only the glyphs for `code_points` (plus
// .notdef). Throws galley::error (input_failed, "bad-font") when the file
// cannot be read or subset (CFF outlines, not a font).
std::string subset_font(const std::string& path, int face_index,
                        const std::set<char32_t>& code_points, const subset_options& o = {});

// Which of `code_points` the font maps to a glyph.
std::set<char32_t> covered_code_points(const std::string& path, int face_index,
                                       const std::set<char32_t>& code_points);

}  // namespace galley::pdf
