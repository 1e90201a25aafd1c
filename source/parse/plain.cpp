// Stage 3, plain text: lines to raw blocks (see raw.hpp).
//
// Text copied from a web page has one paragraph per line, so each line is a
// block. Text that was hard-wrapped (transcripts, e-mails) has paragraphs
// spread over several lines of similar length, and those lines are joined
// again. Blank lines separate groups; a block that follows another without
// a blank line in between is marked same_group.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.hpp"
#include "parse/raw.hpp"
#include "parse/text_scan.hpp"
#include "parse/whitespace.hpp"

namespace galley::parse {
namespace {

// Joining hard-wrapped lines: the line before the break must have a
// wrapped-text length, and the lines of a hard-wrapped group have similar
// lengths. A lowercase continuation is strong evidence and needs only
// wrap_min; joining an uppercase line on uniform lengths alone needs the
// longer wrap_min_uniform, since runs of short web-page lines (a "read
// also" link then a subscribe line, both 50-59 long) look uniform too.
constexpr std::size_t wrap_min = 50, wrap_min_uniform = 60, wrap_max = 100;
constexpr std::size_t wrap_spread = 25;
constexpr std::size_t max_label_words = 4;

// One non-blank line of the input, trimmed, with white space collapsed.
struct line_info {
  std::string text;
  source_pos pos;
  std::size_t length = 0;  // code points of text
};

// Collapses white space and counts code points. pos.col is set to the
// column of the first non-space character. Returns false for a blank line.
bool collapse_line(std::string_view line, line_info& out) {
  out.text.clear();
  out.text.reserve(line.size());  // one allocation: the text never grows past the line
  const std::size_t leading = collapse_into(line, out.text, true);
  if (out.text.empty()) return false;
  out.pos.col = static_cast<std::uint32_t>(leading) + 1;
  out.length = scan::length(out.text);
  return true;
}

// A line made only of a thematic-break pattern: `* * *`, `***`, `---`,
// `___`, `###`, `~~~` (three or more of one character, spaces allowed) or ⁂.
bool is_separator(std::string_view t) {
  if (t == "\u2042" || t == "\u2042 \u2042 \u2042") return true;
  char mark = 0;
  int count = 0;
  for (char c : t) {
    if (c == ' ') continue;
    if (c != '*' && c != '-' && c != '_' && c != '#' && c != '~') return false;
    if (mark && c != mark) return false;
    mark = c;
    ++count;
  }
  return count >= 3;
}

using utf8::first_char;
using utf8::last_char;

// The code point before the last one.
char32_t second_last_char(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t k = s.size() - 1;
  while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  return k == 0 ? 0 : last_char(s.substr(0, k));
}

bool is_terminal_punct(char32_t c) {
  switch (c) {
    case '.': case '!': case '?': case ':': case ';': case '"': case ')':
    case U'\u2026':  // …
    case U'\u201D':  // ”
    case U'\u00BB':  // »
      return true;
    default:
      return false;
  }
}

// `Q:`, `Jane Doe:`, `PREGUNTA:`, `00:12:31`: at most four words, the first
// not lowercase, then a colon followed by a space or the end of the line.
bool starts_with_label(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view label = s.substr(0, colon);
  if (colon + 1 < s.size() && s[colon + 1] != ' ') {
    // Only a timestamp (00:12:31) may go on after its colon.
    const bool digits = label.find_first_not_of("0123456789") == std::string_view::npos;
    return digits && label.size() <= 2 && s[colon + 1] >= '0' && s[colon + 1] <= '9';
  }
  if (utf8::is_lower(first_char(label))) return false;
  std::size_t words = 1;
  for (std::size_t i = 0; i < label.size();) {
    const char32_t c = utf8::next(label, i);
    if (c == ' ') {
      if (++words > max_label_words) return false;
    } else if (!utf8::is_letter(c) && !utf8::is_digit(c) && c != '.' && c != '-' && c != '\'' && c != U'\u2019') {
      return false;
    }
  }
  return true;
}

// Does the line start like a new turn or list item rather than the
// continuation of the previous line?
bool starts_with_marker(std::string_view s) {
  switch (first_char(s)) {
    case '-': case '*': case '[': case '?': case '>':
    case U'\u2013':  // –
    case U'\u2014':  // —
    case U'\u2022':  // •
    case U'\u00BF':  // ¿
    case U'\u00A1':  // ¡
      return true;
    default:
      break;
  }
  // 1. / 1) numbering
  std::size_t i = 0;
  while (i < s.size() && i < 4 && s[i] >= '0' && s[i] <= '9') ++i;
  if (i > 0 && i < s.size() && (s[i] == '.' || s[i] == ')') && (i + 1 == s.size() || s[i + 1] == ' ')) return true;
  return starts_with_label(s);
}

// One of the two lines begins with the whole of the other: a scraped
// caption repeated with its credit ("Caption" / "Caption Source: X").
bool one_prefixes_other(const std::string& a, const std::string& b) {
  return a.size() <= b.size() ? b.starts_with(a) : a.starts_with(b);
}

// The signature of hard-wrapped text: a group of three or more lines whose
// wrapped lines have similar lengths. The lines considered are all but the
// last, except those shorter than wrap_min_uniform (the ends of paragraphs in a
// group that holds several); they must be at least half of them, and their
// lengths within wrap_spread of each other.
bool uniform_lengths(const std::vector<line_info>& group) {
  if (group.size() < 3) return false;
  std::size_t lo = SIZE_MAX, hi = 0, counted = 0;
  for (std::size_t k = 0; k + 1 < group.size(); ++k) {
    if (group[k].length < wrap_min_uniform) continue;
    lo = std::min(lo, group[k].length);
    hi = std::max(hi, group[k].length);
    ++counted;
  }
  return counted >= 2 && counted * 2 >= group.size() - 1 && hi - lo <= wrap_spread;
}

// Should line b be joined onto line a, the line before it?
bool joins(const line_info& a, const line_info& b, bool uniform) {
  if (a.length < wrap_min || a.length > wrap_max) return false;
  if (one_prefixes_other(a.text, b.text)) return false;
  if (starts_with_marker(b.text)) return false;
  if (utf8::is_lower(first_char(b.text))) return true;
  return uniform && a.length >= wrap_min_uniform && !is_terminal_punct(last_char(a.text));
}

// Appends a paragraph block, built in place.
void add_paragraph(std::vector<raw_block>& out, std::string text, source_pos pos, bool same_group) {
  raw_block& b = out.emplace_back();
  b.kind = raw_kind::paragraph;
  b.pos = pos;
  b.same_group = same_group;
  doc::inline_node& node = b.content.emplace_back();  // doc::text(text, pos), built in place
  node.kind = doc::inline_kind::text;
  node.text = text;
  node.pos = pos;
  b.text = std::move(text);
}

// Emits the blocks of one group (consecutive non-blank lines).
void flush_group(std::vector<line_info>& group, std::vector<raw_block>& out) {
  if (group.empty()) return;
  const bool uniform = uniform_lengths(group);
  // The text being built; joins() looks at the lines as they were.
  std::string text = group.size() == 1 ? std::move(group[0].text) : group[0].text;
  source_pos pos = group[0].pos;
  bool same_group = false;
  for (std::size_t k = 1; k < group.size(); ++k) {
    const line_info& prev = group[k - 1];
    line_info& cur = group[k];
    if (joins(prev, cur, uniform)) {
      // exam- / ple: a word hyphenated at the line end is rejoined.
      if (text.size() >= 2 && text.back() == '-' && utf8::is_letter(second_last_char(text)) &&
          utf8::is_lower(first_char(cur.text))) {
        text.pop_back();
      } else {
        text += ' ';
      }
      text += cur.text;
      continue;
    }
    add_paragraph(out, std::move(text), pos, same_group);
    same_group = true;
    text = cur.text;
    pos = cur.pos;
  }
  add_paragraph(out, std::move(text), pos, same_group);
  group.clear();
}

}  // namespace

std::vector<raw_block> read_plain(std::string_view body, std::uint32_t first_line, diagnostics& /*diags*/) {
  std::vector<raw_block> blocks;
  // Most lines become a block; a rough count keeps reallocation rare.
  blocks.reserve(body.size() / 200 + 16);
  std::vector<line_info> group;
  line_info info;
  std::uint32_t line_no = first_line == 0 ? 1 : first_line;
  for (std::size_t at = 0; at <= body.size(); ++line_no) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = body.substr(at, end - at);
    at = end + 1;
    info.pos.line = line_no;
    if (!collapse_line(line, info)) {
      flush_group(group, blocks);
    } else if (is_separator(info.text)) {
      flush_group(group, blocks);
      raw_block sep;
      sep.kind = raw_kind::separator;
      sep.pos = info.pos;
      sep.text = info.text;
      blocks.push_back(std::move(sep));
    } else {
      group.push_back(std::move(info));
      info = line_info{};
    }
    if (end == body.size()) break;
  }
  flush_group(group, blocks);
  return blocks;
}

}  // namespace galley::parse
