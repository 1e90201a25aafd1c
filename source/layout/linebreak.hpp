// Line breaking over boxes, glue and penalties: Knuth-Plass total fit with
// TeX's parameters, and a first-fit breaker beside it (the reference, and the
// breaker for ragged-right text).
#pragma once

#include <cstddef>
#include <vector>

namespace galley::layout {

enum class item_type { box, glue, penalty };

inline constexpr int infinite_penalty = 10000;

struct item {
  item_type type = item_type::box;
  double width = 0, stretch = 0, shrink = 0;  // pt
  int penalty = 0;                             // penalty items
  bool flagged = false;      // a hyphen break (explicit or discretionary)
  bool discretionary = false;  // inserted by hyphenation: not tried in the first pass
  // Hanging punctuation: how far a box's last/first character may hang into
  // the right/left margin (pt); for a hyphen penalty, the hyphen's.
  double protrude_right = 0, protrude_left = 0;
  // Font expansion: how much the box (or a penalty's hyphen) may grow or
  // shrink (pt). It takes the same ratio as the glue, up to |r| = 1.
  double expand = 0;
  int ref = -1;  // the caller's data
};

item make_box(double w, int ref = -1);
item make_glue(double w, double stretch, double shrink, int ref = -1);
item make_penalty(double w, int p, bool flagged = false, int ref = -1);

struct break_params {
  double pretolerance = 100;  // first pass, no discretionary hyphens; < 0 skips it
  double tolerance = 200;     // second pass
  double emergency_stretch = 0;  // third pass: added stretch per line (pt)
  // Ragged text: stretch every line has at its end (TeX's \rightskip), with
  // fixed word spaces; 0 for justified text.
  double right_stretch = 0;
  int line_penalty = 10;
  int adj_demerits = 10000;
  int double_hyphen_demerits = 10000;
  int final_hyphen_demerits = 5000;
  int runt_demerits = 3000;      // a paragraph's last line holding a single word (0 in TeX)
  int max_hyphen_run = 2;        // never more hyphenated lines in a row (but in the last resort)
  std::size_t max_active = 96;   // bound on the active list (keeps pathological input linear)
  bool protrusion = true;
};

struct line_break {
  std::size_t start = 0;  // first item of the line (after discarded glue/penalties)
  std::size_t end = 0;    // the break item (not part of the line's content)
  double ratio = 0;       // adjustment ratio: > 0 stretch, < 0 shrink
  bool overfull = false;
  bool hyphenated = false;  // ends at a flagged penalty
};

struct break_result {
  std::vector<line_break> lines;
  double demerits = 0;
  int pass = 0;        // 1 pretolerance, 2 tolerance, 3 emergency, 4 forced
  bool overfull = false;
};

// The items must end with a forced break (penalty <= -10000). line_widths:
// the width of line 1, 2, ...; the last one applies to the rest.
break_result knuth_plass(const std::vector<item>& items, const std::vector<double>& line_widths,
                         const break_params& params);

// Greedy: as many items on each line as fit (with shrink if allow_shrink).
break_result first_fit(const std::vector<item>& items, const std::vector<double>& line_widths,
                       const break_params& params, bool allow_shrink);

// TeX's badness of an adjustment ratio (100 |r|^3, capped at 10000).
double badness(double ratio);

// The glue's adjustment ratio for a line `shortfall` pt short (negative:
// too long), with the line's glue stretch and shrink and its font
// expansion limit (boxes follow the glue's ratio up to |r| = 1, then stop).
double adjustment_ratio(double shortfall, double stretch, double shrink, double expand);

}  // namespace galley::layout
