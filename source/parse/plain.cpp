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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
// Most lines need no change, and their text is the line in the input;
// the others are collapsed into a scratch string that the group's lines
// share. Nothing is allocated per line: a paragraph's text is built once,
// at its final size, from its lines.
struct line_info {
  std::string_view text;
  std::size_t scratch_at = std::string::npos;  // where a collapsed text is in the scratch string
  source_pos pos;
  std::size_t length = 0;  // code points of text: set by flush_group, where it is looked at
};

// The lines of one group (consecutive non-blank lines), with the storage
// of those that were collapsed.
struct line_group {
  std::vector<line_info> lines;
  std::string scratch;
};

// Reads the line at the start of rest: its length in bytes, up to the
// newline. Returns false for a blank line; else info gets its text (the
// line itself, or its collapsed copy at the end of scratch) and pos.col.
// The scratch string may move as it grows: a text there is good until the
// next line is read, and flush_group finds it again by its scratch_at.
bool read_line(std::string_view rest, std::size_t& size, line_info& info, std::string& scratch) {
  bool quiet = false;
  size = scan_line(rest, quiet);
  if (size == 0) return false;  // an empty line: the most common blank one
  const std::string_view line = rest.substr(0, size);
  if (quiet) {
    info.text = line;
    info.scratch_at = std::string::npos;
    info.pos.col = 1;
    return true;
  }
  const std::size_t start = scratch.size();
  const std::size_t leading = collapse_into(line, scratch, true);
  if (scratch.size() == start) return false;
  info.text = std::string_view(scratch).substr(start);
  info.scratch_at = start;
  info.pos.col = static_cast<std::uint32_t>(leading) + 1;
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

// Some letters and none in lowercase: `P`, `ANNA`, `ANNA-LENA`.
bool in_capitals(std::string_view s) {
  bool letters = false;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = utf8::next(s, i);
    if (utf8::is_lower(c)) return false;
    letters = letters || utf8::is_letter(c);
  }
  return letters;
}

// `P – `, `R - `, `P — `, `ANNA – `: a capital letter, or at most four
// words in capitals, then a dash followed by a space (the space before the
// dash may be missing). A capitalized word before a dash is no label: a
// German noun, a dateline ("Berlin – ").
bool starts_with_dash_label(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t c = utf8::next(s, i);
    if (c == '-' || c == U'\u2013' || c == U'\u2014') {
      std::string_view name = s.substr(0, at);
      if (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (name.empty() || i >= s.size() || s[i] != ' ' || !in_capitals(name)) return false;
      return static_cast<std::size_t>(std::count(name.begin(), name.end(), ' ')) < max_label_words;
    }
    if (c != ' ' && !utf8::is_letter(c)) return false;
  }
  return false;
}

// El País writes `Pregunta. ` and `Respuesta. ` in full on the first turns,
// then `P. ` and `R. `.
bool starts_with_period_label(std::string_view s) {
  static constexpr std::string_view names[] = {"P", "R", "Pregunta", "Respuesta", "PREGUNTA", "RESPUESTA"};
  for (std::string_view name : names)
    if (s.size() > name.size() + 2 && s.starts_with(name) && s[name.size()] == '.' && s[name.size() + 1] == ' ')
      return true;
  return false;
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
  return starts_with_label(s) || starts_with_period_label(s) || starts_with_dash_label(s);
}

// One of the two lines begins with the whole of the other: a scraped
// caption repeated with its credit ("Caption" / "Caption Source: X").
bool one_prefixes_other(std::string_view a, std::string_view b) {
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

// Emits the blocks of one group (consecutive non-blank lines). Each
// paragraph's text is written once, into its raw_block; the recognizer
// makes it the block's text node (raw_block::content stays empty).
void flush_group(line_group& group, std::vector<raw_block>& out) {
  std::vector<line_info>& lines = group.lines;
  if (lines.empty()) {
    group.scratch.clear();
    return;
  }
  for (std::size_t k = 0; k < lines.size(); ++k) {
    line_info& l = lines[k];
    if (l.scratch_at != std::string::npos) l.text = std::string_view(group.scratch).substr(l.scratch_at, l.text.size());
    // Only the lines before the last are measured (see joins and
    // uniform_lengths).
    if (k + 1 < lines.size()) l.length = scan::length(l.text);
  }
  const bool uniform = uniform_lengths(lines);
  bool same_group = false;
  for (std::size_t k = 0; k < lines.size();) {
    // Lines k .. e-1 make one paragraph; joins() looks at the lines as
    // they were.
    std::size_t e = k + 1, size = lines[k].text.size();
    for (; e < lines.size() && joins(lines[e - 1], lines[e], uniform); ++e) size += 1 + lines[e].text.size();
    raw_block& b = out.emplace_back();
    b.kind = raw_kind::paragraph;
    b.pos = lines[k].pos;
    b.same_group = same_group;
    std::string& text = b.text;
    text.reserve(size);
    text.assign(lines[k].text);
    for (std::size_t j = k + 1; j < e; ++j) {
      // exam- / ple: a word hyphenated at the line end is rejoined.
      if (text.size() >= 2 && text.back() == '-' && utf8::is_letter(second_last_char(text)) &&
          utf8::is_lower(first_char(lines[j].text))) {
        text.pop_back();
      } else {
        text += ' ';
      }
      text += lines[j].text;
    }
    same_group = true;
    k = e;
  }
  lines.clear();
  group.scratch.clear();
}

// The number of line feeds in s, sixteen bytes at a time with SSE2.
std::size_t count_line_feeds(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t count = 0, i = 0;
#if defined(__SSE2__)
  const __m128i lf = _mm_set1_epi8('\n');
  const auto matches = [&](std::size_t at) {  // -1 in each byte that is a line feed
    return _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at)), lf);
  };
  while (i + 64 <= s.size()) {
    // Each byte lane counts up to 252 matches (four per round, subtracted);
    // then the lanes are summed.
    __m128i lanes = _mm_setzero_si128();
    for (int rounds = 0; rounds < 63 && i + 64 <= s.size(); ++rounds, i += 64)
      lanes = _mm_sub_epi8(_mm_sub_epi8(lanes, _mm_add_epi8(matches(i), matches(i + 16))),
                           _mm_add_epi8(matches(i + 32), matches(i + 48)));
    const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < s.size(); ++i) count += p[i] == '\n';
  return count;
}

}  // namespace

std::vector<raw_block> read_plain(std::string_view body, std::uint32_t first_line, diagnostics& /*diags*/) {
  std::vector<raw_block> blocks;
  // At most a block per line, reserved at once: the list is never moved
  // as it grows (each move touches all of it again). Blank lines make this
  // too many, which costs only address space: the memory past the last
  // block is never touched. A text of mostly blank lines is held to a
  // bound, past which the list grows as usual.
  blocks.reserve(std::min(count_line_feeds(body) + 1, body.size() / 32 + 64));
  line_group group;
  line_info info;
  std::uint32_t line_no = first_line == 0 ? 1 : first_line;
  for (std::size_t at = 0; at <= body.size(); ++line_no) {
    std::size_t size = 0;
    const bool text = read_line(body.substr(at), size, info, group.scratch);
    at += size;
    info.pos.line = line_no;
    if (!text) {
      flush_group(group, blocks);
    } else if (is_separator(info.text)) {
      raw_block sep;
      sep.kind = raw_kind::separator;
      sep.pos = info.pos;
      sep.text = info.text;  // before the flush, which clears the scratch string
      flush_group(group, blocks);
      blocks.push_back(std::move(sep));
    } else {
      group.lines.push_back(info);
    }
    if (at == body.size()) break;
    ++at;  // the line feed
  }
  flush_group(group, blocks);
  return blocks;
}

}  // namespace galley::parse
