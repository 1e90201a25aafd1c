// What the layout engine makes and the PDF writer paints: pages of
// positioned items. Nothing here knows about libharu.
//
// Units: PDF points (1/72 in). Coordinates: origin at the bottom-left of the
// page's media box, y up, as in PDF. A text run's (x, y) is its baseline start.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace galley::layout {

// A font file chosen by the layout engine (through fontconfig). The PDF writer
// subsets and embeds it; widths it writes must equal the ones layout measured
// (integer 1/1000 em, as libharu truncates them).
struct font_file {
  std::string path;      // TrueType file
  int face_index = 0;    // for collections
  std::string family;    // "Charis SIL"
  std::string style;     // "Regular", "Bold", "Italic", "Bold Italic"
};

struct rgb {
  float r = 0, g = 0, b = 0;
};

// One run of text in one font and size, painted left to right. The PDF writer
// emits it as one TJ array: `text` with `adjust` applied.
struct text_run {
  int font = 0;                 // index into pages::fonts
  double size = 10;             // pt
  double x = 0, y = 0;          // baseline start
  std::string text;             // UTF-8, exactly what is drawn (a break hyphen included)
  // Extra displacement after the code point at the index (0-based, counted in
  // code points of `text`), in 1/1000 em; positive moves the rest right.
  // Kerning and inter-word justification both go here.
  std::vector<std::pair<std::uint32_t, double>> adjust;
  double horizontal_scale = 100;  // percent (PDF Tz), for optional font expansion
  rgb colour;
  // What a copy-paste or search should give when it differs from `text`
  // (a hyphenated word's first half: "hyphen-" -> "hyphen"). Optional.
  std::string actual_text;
};

struct rule {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  double width = 0.5;
  rgb colour;
};

struct image_item {
  std::string path;  // PNG or JPEG, already checked by the layout engine
  double x = 0, y = 0, width = 0, height = 0;  // placement box
  std::string alt;
};

struct rect {
  double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
};

// A clickable area: a URI, or a place in the document.
struct link {
  rect area;
  std::string uri;      // external link, or empty
  int dest_page = -1;   // internal link: page index
  double dest_y = 0;    // and the y to show at the top
};

struct page {
  double width = 0, height = 0;  // media box
  rect trim_box;                 // empty (all zero) when the same as the media box
  rect bleed_box;
  std::string label;             // page label: "i", "1", ... (empty: arabic from the start)
  std::vector<text_run> runs;
  std::vector<rule> rules;
  std::vector<image_item> images;
  std::vector<link> links;
};

// One bookmark: level 0 for an interview, 1 for its questions.
struct outline_entry {
  std::string title;
  int level = 0;
  int page = 0;
  double y = 0;
};

struct document_info {
  std::string title, author, subject, keywords, lang;
  std::string creator = "galley";
  std::string date;  // ISO 8601, or empty for none
};

struct pages {
  std::vector<font_file> fonts;
  std::vector<page> list;
  std::vector<outline_entry> outline;
  document_info info;
};

}  // namespace galley::layout
