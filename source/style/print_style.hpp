// The print style: page size, margins, fonts, sizes and typographic switches
// used by the layout engine. Loaded from a TOML file (styles/NAME/print.toml);
// every key is optional and falls back to the defaults below.
#pragma once

#include <string>
#include <string_view>

#include "base/diagnostics.hpp"

namespace galley::style {

struct colour {
  float r = 0, g = 0, b = 0;
  friend bool operator==(const colour&, const colour&) = default;
};

enum class paper { a4, letter, a5, trade_6x9 };
enum class justification { justify, ragged };
// How turns are labelled. `document` keeps what the document tree asks for.
enum class label_mode { document, qa, names, initials };
enum class weight { regular, bold, italic, bold_italic };
// Font expansion (PDF Tz, within 2 %): never, only for paragraphs that
// cannot be set within the tolerance otherwise (instead of TeX's emergency
// stretch), or on every justified line (as microtype does).
enum class expansion { off, emergency, on };

std::string_view to_string(paper p);
std::string_view to_string(justification j);
std::string_view to_string(label_mode l);
std::string_view to_string(weight w);
std::string_view to_string(expansion e);

struct print_style {
  // Page. Sizes in points are derived from `paper`; margins are in mm and
  // mirrored on facing pages (inner = binding side).
  galley::style::paper paper = paper::a5;
  double margin_inner = 15, margin_outer = 15, margin_top = 15, margin_bottom = 15;  // mm
  // Bleed around the trim box, in mm. Negative means "the paper's default":
  // 0 for a4, letter and a5; 3.175 (0.125 in, the usual print-on-demand
  // bleed) for 6x9. With a bleed, the media box is the trim box grown by it.
  double bleed = -1;

  // Fonts: fontconfig family names (TrueType files only).
  std::string body_font = "Charis SIL";
  std::string heading_font = "Charis SIL";
  std::string label_font = "Charis SIL";

  // Sizes in points.
  double body_size = 10;
  double leading = 13;           // baseline to baseline for body text
  double title_size = 18;        // interview headline
  double heading_size = 12;      // headings inside an interview
  double small_size = 8;         // running heads and folios
  double caption_size = 8.5;     // figure captions, notes, related links
  double lead_size = 11;         // standfirst

  double paragraph_indent = 1.2;  // em of the body size
  double turn_space = 4;          // pt between turns (questions and answers)

  // Speaker labels.
  label_mode labels = label_mode::document;
  weight label_weight = weight::bold;
  weight question_weight = weight::regular;  // the question's text
  colour label_colour{0, 0, 0};
  colour question_label_colour{0, 0, 0};
  colour heading_colour{0, 0, 0};

  galley::style::justification justification = justification::justify;
  bool hanging_punctuation = true;
  bool hyphenation = true;
  expansion font_expansion = expansion::emergency;  // up to 2 % (PDF Tz)
  bool running_heads = true;
  bool folios = true;
  bool title_page = true;       // books of several interviews
  bool table_of_contents = true;

  // Derived values.
  double page_width() const;   // trim width, pt
  double page_height() const;  // trim height, pt
  double bleed_pt() const;
};

// Millimetres to points.
inline constexpr double mm(double v) { return v * 72.0 / 25.4; }

// Loads a print style. Throws galley::error (exit_code::io) when the file
// cannot be read. Syntax errors and bad values are reported to diags as
// errors with file:line:col (codes "style-syntax", "style-value"); unknown
// keys are warnings ("style-unknown-key"). Keys in error keep their default.
print_style load_print_style(const std::string& path, diagnostics& diags);
// The same from text; `name` is used in diagnostics.
print_style parse_print_style(std::string_view text, const std::string& name,
                              diagnostics& diags);

}  // namespace galley::style
