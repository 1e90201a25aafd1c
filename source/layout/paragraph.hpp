// Setting one paragraph: styled text in, justified lines of positioned runs
// out. Break opportunities come from ICU (UAX #14), hyphenation points from
// libhyphen, widths from font_set; the breaking itself is linebreak.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "layout/fonts.hpp"
#include "layout/hyphenate.hpp"
#include "layout/linebreak.hpp"
#include "layout/pages.hpp"

namespace galley::layout {

struct text_style {
  int font = 0;  // face asked for (characters it lacks fall back to another face)
  double size = 10;
  rgb colour;
  std::string lang;   // BCP 47, for hyphenation
  std::string link;   // URI, when the text is a link
  bool no_hyphen = false;  // code, URLs, labels
  bool label = false;      // a speaker label: the next word starts a sentence
};

struct styled_text {
  std::string text;  // U+2028 is a forced line break
  text_style style;
};

enum class align { justify, left, centre, right };

struct paragraph_spec {
  std::vector<styled_text> content;
  double width = 300;    // pt
  double indent = 0;     // first line, pt
  galley::layout::align align = align::justify;
  bool hyphenate = true;
  bool protrusion = true;
  std::string lang;      // the paragraph's language (line-break rules)
  bool first_fit = false;  // use the first-fit breaker even when justified
  double expansion = 0;    // font expansion limit (0.02 = 2 %), justified text only
  bool expansion_emergency_only = false;  // only for paragraphs that need the emergency pass
};

struct line_link {
  double x1 = 0, x2 = 0;  // relative to the column's left edge
  std::string uri;
};

struct set_line {
  std::vector<text_run> runs;  // x relative to the column's left edge, y = 0
  std::vector<line_link> links;
  double ratio = 0;
  bool hyphenated = false;
  double ascent = 0, descent = 0;  // pt, descent positive
  double scale = 100;              // horizontal scale of the line's glyphs (percent)
  std::string text;                // plain text, for diagnostics and outlines
};

struct set_paragraph {
  std::vector<set_line> lines;
  int pass = 0;
  double demerits = 0;
  bool overfull = false;
};

class typesetter {
 public:
  typesetter(font_set& fonts, hyphenator& hyph, diagnostics& diags);
  ~typesetter();

  set_paragraph set(const paragraph_spec& spec, source_pos where = {});

  // Items of the last paragraph (for tests).
  const std::vector<item>& last_items() const { return items_; }

  // Warnings go to `log` (when not null) instead of the diagnostics, all
  // of them and in order: a layout worker's warnings are replayed into the
  // document's diagnostics later, which then apply their per-code limit as
  // if they had been added directly.
  void capture_warnings(std::vector<diagnostic>* log) { capture_ = log; }

  break_params params;
  double emergency_stretch_em = 3;  // third pass, in em of the largest size
  double ragged_stretch_em = 2.5;   // ragged lines: the right margin's stretch

 private:
  // A piece of a word (or a space, or a hyphen) in one face and style: its
  // code points, advances and kerning are a range of the flat arrays below,
  // so setting a paragraph does not allocate per piece.
  struct piece {
    int font = 0;
    double size = 10;
    rgb colour;
    const std::string* link = nullptr;  // the style's URI (the spec outlives the pieces), or none
    std::uint32_t first = 0, count = 0;  // code points [first, first + count) of cps_ etc.
    double width = 0;                    // pt, advances plus kerning
  };
  // A piece of `count` code points taken from the arrays given (widths
  // summed in the same order as ever: advances, then kerning).
  int add_piece(int font, double size, const rgb& colour, const std::string* link, const char32_t* cps,
                const int* advance, const double* kern, std::size_t count);
  void* break_iterator(const std::string& lang);

  font_set& fonts_;
  hyphenator& hyph_;
  diagnostics& diags_;
  std::vector<diagnostic>* capture_ = nullptr;
  std::vector<piece> pieces_;
  std::vector<char32_t> cps_;
  std::vector<int> advance_;
  std::vector<double> kern_;
  std::vector<item> items_;
  std::map<std::string, std::unique_ptr<void, void (*)(void*)>> iterators_;

  // Per-paragraph working storage, kept between paragraphs for its capacity.
  struct scratch;
  std::unique_ptr<scratch> scratch_;

  void warn(source_pos where, const char* code, std::string message);
};

// Hanging-punctuation factors (fraction of the glyph's width), microtype-like.
double protrusion_right(char32_t c);
double protrusion_left(char32_t c);

}  // namespace galley::layout
