// Stage 3, plain text: lines to raw blocks (see raw.hpp).
//
// Text copied from a web page has one paragraph per line, so each line is a
// block. Text that was hard-wrapped (transcripts, e-mails) has paragraphs
// spread over several lines of similar length, and those lines are joined
// again. Blank lines separate groups; a block that follows another without
// a blank line in between is marked same_group.
//
// Most joins are decided by the two lines alone. What the whole text shows
// decides the rest: in a text that is hard-wrapped throughout, a full line
// that stops in the middle of a sentence goes on in the next line whatever
// that line starts with (a number, `Word:`), and where paragraphs are kept
// apart by blank lines, a break that only the margin forced is no paragraph
// break even after a full stop.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <span>
#include <string_view>
#include <unordered_map>
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
// the others are collapsed into a scratch string that all the lines
// share. Nothing is allocated per line: a paragraph's text is built once,
// at its final size, from its lines. A separator line stays in the list
// where it stands, between the groups around it.
struct line_info {
  std::string_view text;
  std::size_t scratch_at = std::string::npos;  // where a collapsed text is in the scratch string
  source_pos pos;
  std::size_t length = 0;     // code points of text: set for the lines that another line of their group follows
  bool starts_group = false;  // after a blank line or a separator, or the first line
  bool separator = false;     // a line of * * * or --- (is_separator)
  // A transcript's line number before the text ("  5        Q.   Ms.
  // Collins"): its value (0: none), the spaces after it (2: two or more, or
  // a tab), and the column where the text after it starts.
  std::uint16_t number = 0;
  std::uint8_t gap = 0;
  std::uint16_t indent = 0;
  std::uint16_t text_at = 0;  // the text's first byte in the line
  bool numbered = false;  // its line number was taken off (strip_line_numbers)
};

// Reads the line at the start of rest: its length in bytes, up to the
// newline. Returns false for a blank line; else info gets its text (the
// line itself, or its collapsed copy at the end of scratch) and pos.col.
// The scratch string may move as it grows: a text there is good until the
// next line is read, and read_plain finds it again by its scratch_at.
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
  // Asked of every line: most are told by their first byte (the text is
  // trimmed, so it is the mark or the lead byte of ⁂).
  switch (t.empty() ? '\0' : t[0]) {
    case '*': case '-': case '_': case '#': case '~': case '\xE2':
      break;
    default:
      return false;
  }
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

// The character tests of the scans below, which run on every line: the
// parser's inline versions of the utf8:: functions (text_scan.hpp).
using scan::first_char;
using scan::is_letter;
using scan::is_lower;
using scan::last_char;
using utf8::is_digit;

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

// The last word of a line, and the length of the first in code points.
std::string_view last_word(std::string_view s) { return s.substr(s.rfind(' ') + 1); }
std::size_t first_word_length(std::string_view s) { return scan::length(s.substr(0, s.find(' '))); }

// Some letters and none in lowercase: `QUESTION`, `P`, `ANNA-LENA`.
bool in_capitals(std::string_view s) {
  bool letters = false;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = scan::next(s, i);
    if (is_lower(c)) return false;
    letters = letters || is_letter(c);
  }
  return letters;
}

// How a line opens a turn, if it does, and the label it names.
enum class label_form {
  none,
  colon,      // `Q:`, `Jane Doe:`, `PREGUNTA:`
  timestamp,  // `00:12:31`
  dash,       // `P – `, `R - `, `P — `, `ANNA – `
  period      // `P. `, `R. `, `Pregunta. `, `Respuesta. `
};

struct line_label {
  label_form form = label_form::none;
  std::string_view name;  // without its colon, dash or period
};

// `Q:`, `Jane Doe:`, `PREGUNTA:`, `00:12:31`: at most four words, the first
// not lowercase, then a colon followed by a space or the end of the line.
// The label is read only as far as it could go: the scan stops at the
// first character that no label holds, or at the fifth word. Bytes are
// sorted by a table, so the letters, digits and marks of a name are passed
// in a tight loop.
enum label_byte : unsigned char { in_label, label_space, label_colon, not_in_label, label_multibyte };

constexpr auto label_bytes = [] {
  std::array<label_byte, 256> t{};
  for (int c = 0; c < 0x80; ++c) t[c] = not_in_label;
  for (int c = 0x80; c < 0x100; ++c) t[c] = label_multibyte;
  for (const char c : std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-'"))
    t[static_cast<unsigned char>(c)] = in_label;
  t[' '] = label_space;
  t[':'] = label_colon;
  return t;
}();

line_label colon_label(std::string_view s) {
  // Most lines have no colon at all, which memchr tells fastest; else the
  // label is read up to the first one.
  const void* first_colon = std::memchr(s.data(), ':', s.size());
  if (!first_colon) return {};
  const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(first_colon) - s.data());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t colon = 0, words = 1;
  for (std::size_t i = 0;;) {
    while (i < end && label_bytes[p[i]] == in_label) ++i;
    const label_byte b = label_bytes[p[i]];
    if (b == label_colon) {
      colon = i;
      break;
    }
    if (b == label_space) {
      if (++words > max_label_words) return {};
      ++i;
    } else if (b == not_in_label) {
      return {};
    } else if (const char32_t c = scan::next(s, i); !is_letter(c) && c != U'\u2019') {
      return {};
    }
  }
  if (colon == 0) return {};
  std::string_view label = s.substr(0, colon);
  if (colon + 1 < s.size() && s[colon + 1] != ' ') {
    // Only a timestamp (00:12:31) may go on after its colon.
    const bool digits = label.find_first_not_of("0123456789") == std::string_view::npos;
    if (digits && label.size() <= 2 && s[colon + 1] >= '0' && s[colon + 1] <= '9') return {label_form::timestamp, label};
    return {};
  }
  // "Q12 Ruth Cadbury:": the label is the name after the question's number.
  label.remove_prefix(scan::question_number(label));
  if (is_lower(first_char(label))) return {};
  return {label_form::colon, label};
}

// `P – `, `R - `, `P — `, `ANNA – `: a capital letter, or at most four
// words in capitals, then a dash followed by a space (the space before the
// dash may be missing). A capitalized word before a dash is no label: a
// German noun, a dateline ("Berlin – ").
line_label dash_label(std::string_view s) {
  // Only the label is read: the scan stops at the first lowercase letter
  // or past the fourth word.
  std::size_t spaces = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t c = scan::next(s, i);
    if (c == '-' || c == U'\u2013' || c == U'\u2014') {
      std::string_view name = s.substr(0, at);
      if (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (name.empty() || i >= s.size() || s[i] != ' ' || !in_capitals(name)) return {};
      return {label_form::dash, name};
    }
    if (c == ' ') {
      if (++spaces > max_label_words) return {};
    } else if (!is_letter(c) || is_lower(c)) {
      return {};
    }
  }
  return {};
}

// El País writes `Pregunta. ` and `Respuesta. ` in full on the first turns,
// then `P. ` and `R. `; a deposition's transcript `Q. ` and `A. `.
line_label period_label(std::string_view s) {
  static constexpr std::string_view names[] = {"P", "R", "Pregunta", "Respuesta", "PREGUNTA", "RESPUESTA", "Q", "A"};
  if (s.empty() || (s[0] != 'P' && s[0] != 'R' && s[0] != 'Q' && s[0] != 'A')) return {};
  for (std::string_view name : names)
    if (s.size() > name.size() + 2 && s.starts_with(name) && s[name.size()] == '.' && s[name.size() + 1] == ' ')
      return {label_form::period, name};
  return {};
}

line_label label_of(std::string_view s) {
  if (const line_label l = colon_label(s); l.form != label_form::none) return l;
  if (const line_label l = period_label(s); l.form != label_form::none) return l;
  return dash_label(s);
}

// The labels that open lines of the text: how many lines each opens, and
// whether one of them opens a group. A label that opens a group, or more
// than one line, names a speaker; one that opens a single line inside a
// group may be a word of the sentence (`… sagt die` / `Solo-Oboe: Das …`).
class known_labels {
 public:
  void add(std::string_view name, bool starts_group) {
    std::uint32_t& seen = seen_[name];
    seen = (seen + 2) | (starts_group ? 1u : 0u);
  }
  bool known(std::string_view name) const {
    const auto it = seen_.find(name);
    return it != seen_.end() && ((it->second & 1u) != 0 || it->second >= 4);
  }

 private:
  std::unordered_map<std::string_view, std::uint32_t> seen_;  // twice the count, plus 1 once in a group's first line
};

// Does the line start like a new turn or list item rather than the
// continuation of the previous line? A strong mark always starts a new
// paragraph. A weak one (a number, a label that may be a word followed by
// a colon) does so unless, in a hard-wrapped text, the line before stops
// in the middle of a sentence (`… unter dem Niveau von` / `2019. Woran …`).
enum class mark { none, weak, strong };

mark marker_of(std::string_view s, const known_labels& known) {
  switch (first_char(s)) {
    case '-': case '*': case '[': case '?': case '>':
    case U'\u2013':  // –
    case U'\u2014':  // —
    case U'\u2022':  // •
    case U'\u00BF':  // ¿
    case U'\u00A1':  // ¡
      return mark::strong;
    default:
      break;
  }
  // 1. / 1) numbering
  std::size_t i = 0;
  while (i < s.size() && i < 4 && s[i] >= '0' && s[i] <= '9') ++i;
  if (i > 0 && i < s.size() && (s[i] == '.' || s[i] == ')') && (i + 1 == s.size() || s[i + 1] == ' ')) return mark::weak;
  const line_label label = label_of(s);
  switch (label.form) {
    case label_form::none:
      return mark::none;
    case label_form::timestamp:
      return mark::strong;
    case label_form::colon:  // `Q:`, `QUESTION:`
      if (in_capitals(label.name)) return mark::strong;
      break;
    case label_form::dash:  // `P – `
      if (scan::length(label.name) == 1) return mark::strong;
      break;
    case label_form::period:  // `Pregunta. `; `P. ` may be an initial
      if (label.name.size() > 1) return mark::strong;
      break;
  }
  return known.known(label.name) ? mark::strong : mark::weak;
}

// Does the line stop in the middle of a sentence: after a comma, a hyphen
// that splits a word, or a word in lowercase ("in der über", "and we are")?
bool open_end(std::string_view s) {
  const char32_t c = last_char(s);
  if (c == ',') return true;
  if (c == '-') {
    const char32_t before = second_last_char(s);
    return is_letter(before) || is_digit(before);
  }
  if (!is_letter(c)) return false;
  const std::string_view word = last_word(s);
  if (!is_lower(first_char(word))) return false;
  for (std::size_t i = 0; i < word.size();) {
    const char32_t w = scan::next(word, i);
    if (!is_letter(w) && w != '-' && w != '\'' && w != U'\u2019') return false;
  }
  return true;
}

// Words that hardly ever end a sentence: articles, prepositions,
// conjunctions, some pronouns and auxiliaries. German finite verbs are
// left out, since they end subordinate clauses.
bool is_function_word(std::string_view w) {
  static constexpr std::string_view words[] = {
      // English
      "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into",
      "onto", "about", "as", "than", "that", "which", "who", "whose", "if", "because", "while", "although", "when",
      "where", "we", "they", "he", "she", "are", "is", "was", "were", "be", "been", "have", "has", "had", "will",
      "would", "can", "could", "should", "must", "our", "their", "your", "his", "its", "my", "this", "these", "those",
      "very",
      // German
      "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines", "und", "oder",
      "aber", "sondern", "von", "vom", "zu", "zum", "zur", "im", "an", "am", "auf", "aus", "bei", "beim", "mit",
      "nach", "für", "über", "unter", "vor", "durch", "gegen", "ohne", "um", "als", "wie", "dass", "ob", "wenn",
      "weil", "sehr",
      // Spanish, Portuguese, Italian, French
      "el", "la", "los", "las", "un", "una", "unos", "unas", "y", "e", "o", "u", "ni", "pero", "sino", "que", "de",
      "del", "al", "en", "con", "por", "para", "sin", "sobre", "entre", "hasta", "desde", "hacia", "su", "sus",
      "mi", "mis", "muy", "como", "cuando", "donde", "porque", "aunque", "si", "os", "as", "um", "uma", "ou", "nem",
      "mas", "do", "da", "dos", "das", "no", "na", "nos", "nas", "ao", "aos", "à", "às", "com", "pelo", "pela",
      "sem", "até", "seu", "sua", "muito", "quando", "onde", "il", "lo", "gli", "le", "uno", "ed", "ma", "che",
      "di", "della", "dei", "delle", "alla", "nel", "nella", "per", "tra", "fra", "molto", "les", "une", "des",
      "du", "aux", "et", "mais", "car", "qui", "dont", "dans", "sur", "sous", "avec", "pour", "sans", "chez",
      "vers", "ce", "cette", "ces", "son", "sa", "ses", "leur", "très",
      // Russian, Ukrainian
      "и", "а", "но", "или", "в", "во", "на", "с", "со", "к", "по", "о", "об", "от", "до", "из", "за", "для", "у",
      "при", "про", "без", "под", "над", "что", "как", "чтобы", "если", "і", "й", "та", "або", "з", "із", "від",
      "що", "як", "щоб", "якщо"};
  return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

// Does a line stop where no sentence ends: after a comma, a word split by
// a hyphen, or a word that does not end one?
bool ends_mid_clause(std::string_view s) {
  const char32_t c = last_char(s);
  if (c == ',') return true;
  if (c == '-') return is_letter(second_last_char(s));
  return open_end(s) && is_function_word(last_word(s));
}

// One of the two lines begins with the whole of the other: a scraped
// caption repeated with its credit ("Caption" / "Caption Source: X").
bool one_prefixes_other(std::string_view a, std::string_view b) {
  return a.size() <= b.size() ? b.starts_with(a) : a.starts_with(b);
}

// Is line k followed by another line of its group?
bool continues(std::span<const line_info> lines, std::size_t k) {
  return k + 1 < lines.size() && !lines[k].separator && !lines[k + 1].starts_group;
}

// ---- line numbers ---------------------------------------------------------------
//
// A deposition or a committee's evidence is printed with its lines
// numbered, and copied with the numbers ("  5        Q.   Ms. Collins, how
// long did you work at the" / "  6   Henderson plant?"), a "Page 15" at the
// head of each page. The numbers are taken off where they are consistent:
// in a text where most lines are numbered and the numbers go up one at a
// time (from 1 again on a new page), and in a run of lines numbered one
// after another, each set off from its text by two spaces or more, that
// wraps a sentence (Hansard's "1          We have been asking for that to
// be addressed in" / "2   negotiations for some years."). Text that only
// starts with a number ("3 things matter", "2024 was") is left alone.

// Reads the line number at the start of a raw line into info: spaces or
// tabs, one to three digits, then spaces or a tab before the text (or the
// end of the line). Columns count a tab as reaching the next multiple of
// eight.
void read_line_number(std::string_view line, line_info& info) {
  info.number = 0;
  info.gap = 0;
  info.indent = 0;
  info.text_at = 0;
  info.numbered = false;
  std::size_t i = 0, column = 0;
  const auto pass_blanks = [&] {
    std::size_t n = 0;
    bool tab = false;
    for (; i < line.size() && i < 200 && (line[i] == ' ' || line[i] == '\t'); ++i, ++n) {
      tab = tab || line[i] == '\t';
      column = line[i] == '\t' ? (column / 8 + 1) * 8 : column + 1;
    }
    return tab || n >= 2 ? 2 : n;
  };
  pass_blanks();
  const std::size_t digits = i;
  unsigned n = 0;
  for (; i < line.size() && i < digits + 4 && line[i] >= '0' && line[i] <= '9'; ++i, ++column)
    n = n * 10 + static_cast<unsigned>(line[i] - '0');
  if (i == digits || i > digits + 3 || n == 0) return;
  const std::size_t gap = pass_blanks();
  if (gap == 0 && i < line.size() && line[i] != '\r') return;  // "5th", "3,5", "10%"
  info.number = static_cast<std::uint16_t>(n);
  info.gap = static_cast<std::uint8_t>(gap);
  info.indent = static_cast<std::uint16_t>(column);
  info.text_at = static_cast<std::uint16_t>(i);
}

// "Page 15", "PAGE 15", "Page 15 of 40": a page's header in a transcript.
bool is_page_header(std::string_view t) {
  if (t.size() < 6 || t.size() > 24 || (t[0] != 'P' && t[0] != 'p')) return false;
  const std::string_view word = t.substr(1, 4);
  if (word != "age " && word != "AGE ") return false;
  std::size_t i = 5;
  const auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > from;
  };
  if (!digits()) return false;
  if (i == t.size()) return true;
  const std::string_view of = t.substr(i, 4);
  if (of != " of " && of != " OF ") return false;
  i += 4;
  return digits() && i == t.size();
}

// The text of a numbered line after its number: the collapsed text is the
// number, one space and the rest (empty when the line holds only the
// number).
std::string_view after_number(std::string_view t) {
  const std::size_t sp = t.find(' ');
  return sp == std::string_view::npos ? std::string_view() : t.substr(sp + 1);
}

// What the numbering showed: the column most wrapped lines start at, and
// whether new paragraphs are indented past it (a turn's `Q.` is, the lines
// that go on with it are not).
struct numbering {
  std::size_t margin = 0;
  bool indents = false;
};

// Do two numbered lines wrap one sentence: the second goes on in
// lowercase, or the first stops in the middle of a clause?
bool wraps_on(const line_info& a, const line_info& b) {
  const std::string_view x = after_number(a.text), y = after_number(b.text);
  return !x.empty() && !y.empty() && (is_lower(first_char(y)) || ends_mid_clause(x));
}

// Takes the line numbers off where they are consistent (see above), and
// drops the page headers of a numbered text. A line that held only its
// number is a blank line.
numbering strip_line_numbers(std::vector<line_info>& lines, diagnostics& diags) {
  numbering out;
  std::size_t considered = 0, numbered = 0, in_turn = 0;
  unsigned last = 0;
  for (const line_info& l : lines) {
    if (l.separator || is_page_header(l.text)) continue;
    ++considered;
    if (l.number == 0) continue;
    ++numbered;
    in_turn += last == 0 || l.number == last + 1 || l.number == 1;
    last = l.number;
  }
  // A transcript's numbers number the lines of wrapped sentences, or stand
  // apart from turns (two spaces or more before `Q.`, `MS. ORTIZ:`): a
  // list ("1  Preheat the oven", "2  Mix the flour") does neither.
  std::size_t apart = 0, labelled = 0;
  bool wrapped = false;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (lines[k].number == 0) continue;
    apart += lines[k].gap >= 2;
    labelled += label_of(after_number(lines[k].text)).form != label_form::none;
    wrapped = wrapped || (k > 0 && lines[k - 1].number != 0 && !lines[k].starts_group && wraps_on(lines[k - 1], lines[k]));
  }
  const bool whole = numbered >= 5 && numbered * 4 >= considered * 3 && in_turn * 10 >= numbered * 9 &&
                     (wrapped || (apart * 2 >= numbered && labelled * 4 >= numbered));
  std::size_t marked = 0;
  if (whole) {
    for (line_info& l : lines) {
      l.numbered = l.number != 0 && !l.separator;
      marked += l.numbered;
    }
  } else if (numbered >= 2) {
    for (std::size_t k = 0; k < lines.size();) {
      std::size_t e = k + 1;
      if (lines[k].number != 0 && lines[k].gap >= 2)
        while (e < lines.size() && !lines[e].starts_group && lines[e].gap >= 2 &&
               lines[e].number == lines[e - 1].number + 1)
          ++e;
      bool wraps = false;
      for (std::size_t j = k + 1; j < e && !wraps; ++j) wraps = wraps_on(lines[j - 1], lines[j]);
      if (wraps)
        for (std::size_t j = k; j < e; ++j, ++marked) lines[j].numbered = true;
      k = e;
    }
  }
  if (marked == 0) return out;
  bool first = true, blank = false;
  std::size_t w = 0, deepest = 0;
  out.margin = SIZE_MAX;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    line_info l = lines[k];
    if (whole && !l.separator && is_page_header(l.text)) {
      diags.info(l.pos, "noise-page-header", "dropped the transcript's page header \"" + std::string(l.text) + "\"");
      blank = blank || l.starts_group;
      continue;
    }
    if (l.numbered) {
      if (first) {
        diags.info(l.pos, "line-numbers", "took the transcript's line numbers off " + std::to_string(marked) + " lines");
        first = false;
      }
      l.text = after_number(l.text);
      if (l.text.empty()) {
        blank = true;
        continue;
      }
      l.pos.col = static_cast<std::uint32_t>(l.text_at) + 1;
      out.margin = std::min<std::size_t>(out.margin, l.indent);
      deepest = std::max<std::size_t>(deepest, l.indent);
    }
    l.starts_group = l.starts_group || blank;
    blank = false;
    lines[w++] = l;
  }
  lines.resize(w);
  if (out.margin == SIZE_MAX) out.margin = 0;
  out.indents = deepest > out.margin + 2;
  return out;
}

// What the whole text shows about its line breaks.
struct wrap_context {
  // Hard-wrapped throughout: lines of a wrapped length that another line
  // follows go on in lowercase, two of them, or one when three or more
  // stop in the middle of a sentence; those that stop so are half or more
  // of them, and lines longer than wrapped ones are few. (Headlines and
  // related-article lines of a web page may stop in a lowercase word too,
  // but what follows them starts in capitals.)
  bool wrapped = false;
  // ... and its paragraphs are kept apart by blank lines: a break after
  // the end of a sentence that the margin did not force (the next line's
  // first word would have fitted) is rare.
  bool blank_separated = false;
  std::size_t width = 0;  // the longest line of a wrapped length that another line follows
  known_labels labels;    // filled when wrapped
  numbering numbers;      // where line numbers were taken off
};

wrap_context study(std::span<const line_info> lines) {
  wrap_context ctx;
  std::size_t wrapped_length = 0, open = 0, longer = 0, lowercase_next = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (!continues(lines, k)) continue;
    const std::size_t n = lines[k].length;
    if (n > wrap_max) {
      ++longer;
    } else if (n >= wrap_min) {
      ++wrapped_length;
      ctx.width = std::max(ctx.width, n);
      open += open_end(lines[k].text);
      lowercase_next += is_lower(first_char(lines[k + 1].text));
    }
  }
  ctx.wrapped = (lowercase_next >= 2 || (lowercase_next >= 1 && open >= 3)) && open * 2 >= wrapped_length &&
                longer * 2 <= open;
  if (!ctx.wrapped) return ctx;
  std::size_t breaks = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (continues(lines, k) && is_terminal_punct(last_char(lines[k].text)) &&
        lines[k].length + 1 + first_word_length(lines[k + 1].text) <= ctx.width)
      ++breaks;
  }
  ctx.blank_separated = breaks * 4 <= open;
  for (const line_info& l : lines) {
    if (l.separator) continue;
    const line_label label = label_of(l.text);
    if (label.form != label_form::none) ctx.labels.add(label.name, l.starts_group);
  }
  return ctx;
}

// The signature of a hard-wrapped group: three or more lines whose
// wrapped lines have similar lengths. The lines considered are all but the
// last, except those shorter than wrap_min_uniform (the ends of paragraphs in a
// group that holds several); they must be at least half of them, and their
// lengths within wrap_spread of each other.
bool uniform_lengths(std::span<const line_info> group) {
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

// Should line b be joined onto line a, the line before it in its group?
// `first` is the first line of the paragraph a is in.
bool joins(const line_info& a, const line_info& b, bool uniform, std::string_view first, const wrap_context& ctx) {
  if (a.numbered && b.numbered) {
    // Each numbered line is a line of the printed page: an unmarked one
    // goes on with the line above, unless it is indented as a new
    // paragraph is (or, where none is, starts a new sentence).
    if (marker_of(b.text, ctx.labels) != mark::none) return false;
    if (ctx.numbers.indents) return b.indent <= ctx.numbers.margin + 2;
    return is_lower(first_char(b.text)) || open_end(a.text);
  }
  if (a.length < wrap_min) {
    // A turn's line (its paragraph opens with `Q.`, `Jane Doe:`) that
    // stops in the middle of a clause goes on, however short: "Q.   Ms.
    // Collins, how long did you work at the" / "Henderson plant?".
    return (ends_mid_clause(a.text) || (open_end(a.text) && is_lower(first_char(b.text)))) &&
           label_of(first).form != label_form::none && marker_of(b.text, ctx.labels) == mark::none;
  }
  if (one_prefixes_other(a.text, b.text)) return false;
  const mark m = marker_of(b.text, ctx.labels);
  if (a.length > wrap_max) {
    // A paragraph that is one long line, broken once in the middle of a
    // sentence ("… and we are" / "cutting the subsidy …").
    return m == mark::none && is_lower(first_char(b.text)) && ends_mid_clause(a.text);
  }
  if (m == mark::strong) return false;
  // A full line of a hard-wrapped text that stops in the middle of a
  // sentence goes on, even into a number or a word with a colon.
  if (ctx.wrapped && a.length + wrap_spread >= ctx.width && open_end(a.text)) return true;
  if (m != mark::none) return false;
  if (is_lower(first_char(b.text))) return true;
  if (uniform && a.length >= wrap_min_uniform && !is_terminal_punct(last_char(a.text))) return true;
  // Where blank lines part the paragraphs, a break the margin forced is
  // none, even after a full stop: the next word would not have fitted.
  // The longest line seen may be a column short of the margin, hence the
  // one column of slack.
  return ctx.wrapped && ctx.blank_separated && a.length + 1 + first_word_length(b.text) > ctx.width + 1;
}

// Emits the blocks of one group (consecutive non-blank lines). Each
// paragraph's text is written once, into its raw_block; the recognizer
// makes it the block's text node (raw_block::content stays empty).
void flush_group(std::span<const line_info> lines, const wrap_context& ctx, std::vector<raw_block>& out) {
  const bool uniform = uniform_lengths(lines);
  bool same_group = false;
  for (std::size_t k = 0; k < lines.size();) {
    // Lines k .. e-1 make one paragraph; joins() looks at the lines as
    // they were.
    std::size_t e = k + 1, size = lines[k].text.size();
    for (; e < lines.size() && joins(lines[e - 1], lines[e], uniform, lines[k].text, ctx); ++e)
      size += 1 + lines[e].text.size();
    raw_block& b = out.emplace_back();
    b.kind = raw_kind::paragraph;
    b.pos = lines[k].pos;
    b.same_group = same_group;
    std::string& text = b.text;
    text.reserve(size);
    text.assign(lines[k].text);
    for (std::size_t j = k + 1; j < e; ++j) {
      // exam- / ple: a word hyphenated at the line end is rejoined.
      if (text.size() >= 2 && text.back() == '-' && is_letter(second_last_char(text)) &&
          is_lower(first_char(lines[j].text))) {
        text.pop_back();
      } else {
        text += ' ';
      }
      text += lines[j].text;
    }
    same_group = true;
    k = e;
  }
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

std::vector<raw_block> read_plain(std::string_view body, std::uint32_t first_line, diagnostics& diags) {
  std::vector<raw_block> blocks;
  // At most a block per line, reserved at once: the list is never moved
  // as it grows (each move touches all of it again). Blank lines make this
  // too many, which costs only address space: the memory past the last
  // block is never touched. A text of mostly blank lines is held to a
  // bound, past which the list grows as usual. The lines are kept the
  // same way until the whole text has been looked at.
  const std::size_t most = std::min(count_line_feeds(body) + 1, body.size() / 32 + 64);
  blocks.reserve(most);
  std::vector<line_info> lines;
  lines.reserve(most);
  std::string scratch;
  line_info info;
  bool group_start = true;
  std::uint32_t line_no = first_line == 0 ? 1 : first_line;
  for (std::size_t at = 0; at <= body.size(); ++line_no) {
    std::size_t size = 0;
    const bool text = read_line(body.substr(at), size, info, scratch);
    info.pos.line = line_no;
    if (!text) {
      group_start = true;
    } else {
      read_line_number(body.substr(at, size), info);
      info.separator = is_separator(info.text);
      info.starts_group = group_start || info.separator;
      group_start = info.separator;
      lines.push_back(info);
    }
    at += size;
    if (at == body.size()) break;
    ++at;  // the line feed
  }
  // The scratch string is complete: the texts collapsed into it are found
  // again by their offsets. Only the lines that another line of their
  // group follows are measured (see joins and study).
  for (line_info& l : lines)
    if (l.scratch_at != std::string::npos) l.text = std::string_view(scratch).substr(l.scratch_at, l.text.size());
  const numbering numbers = strip_line_numbers(lines, diags);
  for (std::size_t k = 0; k < lines.size(); ++k)
    if (continues(lines, k)) lines[k].length = scan::length(lines[k].text);
  wrap_context ctx = study(lines);
  ctx.numbers = numbers;
  for (std::size_t k = 0; k < lines.size();) {
    if (lines[k].separator) {
      raw_block& sep = blocks.emplace_back();
      sep.kind = raw_kind::separator;
      sep.pos = lines[k].pos;
      sep.text = lines[k].text;
      ++k;
      continue;
    }
    std::size_t e = k + 1;
    while (e < lines.size() && !lines[e].starts_group) ++e;
    flush_group(std::span<const line_info>(lines).subspan(k, e - k), ctx, blocks);
    k = e;
  }
  return blocks;
}

}  // namespace galley::parse
