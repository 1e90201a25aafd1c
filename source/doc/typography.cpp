#include "doc/typography.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "base/parallel.hpp"
#include "base/utf8.hpp"

namespace galley::doc {

namespace {

// The languages with rules of their own; anything else is typeset like English.
enum class family { en, es, ru, fr, de };

family family_of(std::string_view lang) {
  std::string primary;
  for (char c : lang) {
    if (c == '-' || c == '_') break;
    primary += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (primary == "es" || primary == "ca" || primary == "gl") return family::es;
  if (primary == "ru" || primary == "uk" || primary == "be") return family::ru;
  if (primary == "fr") return family::fr;
  if (primary == "de") return family::de;
  return family::en;
}

constexpr char32_t nbsp = 0x00A0;         // no-break space
constexpr char32_t narrow_nbsp = 0x202F;  // narrow no-break space
constexpr char32_t object = 0xFFFC;       // stands for an inline we do not touch (code, insertion)
constexpr char32_t en_dash = 0x2013;
constexpr char32_t em_dash = 0x2014;
constexpr char32_t left_guillemet = 0x00AB;
constexpr char32_t right_guillemet = 0x00BB;

struct quote_pair {
  char32_t open, close;
};

quote_pair double_quotes(family f, int level) {
  const bool outer = level % 2 == 0;
  switch (f) {
    case family::en:
    case family::es: return outer ? quote_pair{0x201C, 0x201D} : quote_pair{0x2018, 0x2019};
    case family::ru: return outer ? quote_pair{0x00AB, 0x00BB} : quote_pair{0x201E, 0x201C};
    case family::fr: return outer ? quote_pair{0x00AB, 0x00BB} : quote_pair{0x201C, 0x201D};
    case family::de: return outer ? quote_pair{0x201E, 0x201C} : quote_pair{0x201A, 0x2018};
  }
  return {0x201C, 0x201D};
}

quote_pair single_quotes(family f) {
  return f == family::de ? quote_pair{0x201A, 0x2018} : quote_pair{0x2018, 0x2019};
}

bool space(char32_t c) { return c == '\n' || utf8::is_space(c); }
bool ordinary_space(char32_t c) { return c == ' ' || c == '\t'; }
bool digit(char32_t c) { return c >= '0' && c <= '9'; }
bool wordlike(char32_t c) { return utf8::is_letter(c) || digit(c) || c == object; }

// Characters after which a quote opens rather than closes.
bool opens_after(char32_t c) {
  switch (c) {
    case 0: case '(': case '[': case '{': case '/': case '-':
    case en_dash: case em_dash: case 0x00AB: case 0x201E: case 0x201A: case 0x2018: case 0x201C:
      return true;
    default: return space(c);
  }
}

bool closing_punct(char32_t c) {
  switch (c) {
    case 0x00BB: case ')': case ']': case 0x201D: case 0x2019: case 0x201C: case 0x2026: case '"': case '\'':
      return true;
    default: return false;
  }
}

bool currency_or_percent(char32_t c) {
  switch (c) {
    case 0x20AC: case '$': case 0x00A3: case 0x20BD: case 0x00A5: case '%': case 0x2030: case 0x20B4:
      return true;
    default: return false;
  }
}

// UTF-8 in the run's buffer, which is always well formed (see append_text).
std::size_t sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

char32_t decode(const unsigned char* p) {
  const char32_t b0 = p[0];
  if (b0 < 0x80) return b0;
  if (b0 < 0xE0) return (b0 & 0x1F) << 6 | (p[1] & 0x3Fu);
  if (b0 < 0xF0) return (b0 & 0x0F) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
  return (b0 & 0x07) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
}

// Length of the well-formed sequence that starts with the non-ASCII byte
// s[i], or 0 where utf8::next would read a malformed byte instead.
std::size_t valid_sequence(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const std::size_t len = b0 >= 0xC0 && b0 <= 0xF7 ? sequence_length(b0) : 0;
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  const char32_t cp = decode(reinterpret_cast<const unsigned char*>(s.data()) + i);
  static constexpr char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Eight bytes at a time, where the machine reads them in text order.
constexpr bool word_at_a_time = std::endian::native == std::endian::little;
constexpr std::uint64_t ones = 0x0101010101010101;
constexpr std::uint64_t high_bits = ones * 0x80;

std::uint64_t word_at(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Appends s to out as the encoding of the code points utf8::next reads in
// it: well-formed text as it is, and U+FFFD for each malformed byte (what
// decoding the text and encoding it again gives).
void append_text(std::string& out, std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    if constexpr (word_at_a_time)
      while (i + 8 <= n && (word_at(s.data() + i) & high_bits) == 0) i += 8;  // ASCII
    if (i == n) break;
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      ++i;
    } else if (b0 >= 0xC2 && b0 <= 0xDF && i + 1 < n && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      i += 2;  // Latin, Greek, Cyrillic: a lead from 0xC2 to 0xDF and one continuation are well formed
    } else if (const std::size_t len = valid_sequence(s, i); len != 0) {
      i += len;
    } else {
      break;  // malformed: rare, see below
    }
  }
  if (i == n) {
    out.append(s);
    return;
  }
  out.append(s.substr(0, i));
  while (i < n) utf8::append(out, utf8::next(s, i));
}

// The bytes at which a rule of run::apply_rules may start: every rule is
// keyed to one of these ASCII characters or to a character whose UTF-8 starts
// with 0xC2 (« » § £ ¥) or 0xE2 (– — № € ₽ ₴ ‰). Letters, digits and spaces,
// most of any text, are passed over without a look; spaces are triggers only
// in a run with Russian text, for the space after a one-letter word.
using trigger_table = std::array<bool, 256>;

constexpr trigger_table make_triggers(bool french, bool spaces) {
  trigger_table t{};
  for (unsigned char c : {'"', '\'', '.', '-', '%', '$'}) t[c] = true;
  t[0xC2] = t[0xE2] = true;
  if (french)
    for (unsigned char c : {';', '!', '?', ':'}) t[c] = true;
  if (spaces) t[' '] = t['\t'] = true;
  return t;
}

// Indexed [French][run with Russian text].
constexpr trigger_table triggers[2][2] = {{make_triggers(false, false), make_triggers(false, true)},
                                          {make_triggers(true, false), make_triggers(true, true)}};

// The bytes of w that may be triggers, as their high bits: those from 0x21
// to 0x3F, where every ASCII trigger but the space and the tab lies, and the
// non-ASCII ones. Letters and spaces are not; digits and commas are, and the
// table sorts them out.
std::uint64_t maybe_triggers(std::uint64_t w) {
  const std::uint64_t ascii = w & ~high_bits;  // below 0x80 a byte's sum cannot carry into the next
  const std::uint64_t from_21 = ascii + ones * (0x80 - 0x21);  // high bit set where the byte is >= 0x21
  const std::uint64_t from_40 = ascii + ones * (0x80 - 0x40);  // and where it is >= 0x40
  return ((from_21 & ~from_40) | w) & high_bits;
}

// The first position in [i, end) of a byte in t, or end. Unless spaces are
// triggers, eight bytes at a time: letters and spaces are skipped in bulk.
std::size_t find_trigger(const trigger_table& t, const unsigned char* b, std::size_t i, std::size_t end) {
  if (word_at_a_time && !t[' ']) {
    for (; i + 8 <= end; i += 8) {
      for (std::uint64_t m = maybe_triggers(word_at(reinterpret_cast<const char*>(b) + i)); m != 0; m &= m - 1) {
        const std::size_t k = i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
        if (t[b[k]]) return k;
      }
    }
  }
  while (i < end && !t[b[i]]) ++i;
  return i;
}

// One run of text to smarten: the text nodes of a paragraph, one after the
// other in one buffer, with a character standing for each inline in between
// that is not text (U+FFFC, or a newline for a line break). A rule sees the
// characters around it across nodes: a quote that opens in plain text and
// closes inside an emphasis is one pair.
//
// Rules record edits, one per character they change, in text order; a text
// node with an edit that changes something is written again. A run is
// cleared and reused, so a document is smartened with a handful of
// allocations.
struct run {
  struct piece {
    std::size_t begin, end;  // in buf
    std::string* target;     // the text node; null for a placeholder
    family lang;
  };
  // What the character at buf[pos] (of len bytes, code point `was`) becomes:
  // `put` (0: nothing), with `before` and `after` (0: none) for the French
  // no-break spaces a rule adds.
  struct edit {
    std::size_t pos, len;
    char32_t was, before, put, after;
  };
  struct open_quote {
    family f;
    int level;
  };

  std::string buf;
  std::vector<piece> pieces;
  bool russian = false;  // some text node is Russian: spaces are triggers
  std::vector<edit> edits;
  std::vector<open_quote> stack;
  std::string text;  // a node being written

  void clear() {
    buf.clear();
    pieces.clear();
    russian = false;
  }
  void add(std::string& s, family f) {
    const std::size_t begin = buf.size();
    append_text(buf, s);
    pieces.push_back({begin, buf.size(), &s, f});
    if (f == family::ru) russian = true;
  }
  void placeholder(char32_t c) {
    const std::size_t begin = buf.size();
    utf8::append(buf, c);
    pieces.push_back({begin, buf.size(), nullptr, family::en});
  }

  void smarten();

 private:
  const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(buf.data()); }
  // Where the character before position i starts (i > 0).
  std::size_t start_before(std::size_t i) const {
    do --i;
    while ((bytes()[i] & 0xC0) == 0x80);
    return i;
  }
  char32_t char_at(std::size_t i) const { return i < buf.size() ? decode(bytes() + i) : 0; }
  char32_t char_before(std::size_t i) const { return i == 0 ? 0 : decode(bytes() + start_before(i)); }
  // The language of the text node holding the character at i, given that
  // the node `from` or an earlier one holds it.
  family lang_at(std::size_t i, std::size_t from) const {
    while (pieces[from].begin > i) --from;
    return pieces[from].lang;
  }
  // The edit of the character that starts at pos, one that changes nothing
  // if it has none yet. Only the last edit can be at pos, or none.
  edit& edit_at(std::size_t pos) {
    if (edits.empty() || edits.back().pos != pos) {
      const char32_t c = decode(bytes() + pos);
      edits.push_back({pos, sequence_length(bytes()[pos]), c, 0, c, 0});
    }
    return edits.back();
  }
  // Replaces the space just before i (already emitted) with `with`, if there is one.
  void set_space_before(std::size_t i, char32_t with) {
    if (i == 0) return;
    const std::size_t p = start_before(i);
    const char32_t c = decode(bytes() + p);
    if (!space(c) || c == '\n') return;
    edit& e = edit_at(p);
    if (e.before == 0 && e.after == 0 && e.put != 0 && space(e.put)) e.put = with;
  }
  std::size_t apply_rules(std::size_t i, std::size_t node);
  void write_back();
};

// Applies the rules that start at the character at buf[i], in text node
// `node`, and returns where to look for the next one: past the characters a
// rule took (the dots of an ellipsis, the space after a dialogue dash).
std::size_t run::apply_rules(std::size_t i, std::size_t node) {
  const unsigned char* b = bytes();
  const std::size_t n = buf.size();
  const family f = pieces[node].lang;
  const std::size_t j = i + sequence_length(b[i]);  // the next character
  const char32_t c = decode(b + i);

  // The common case first: a full stop that ends a sentence.
  if (c == '.' && !(j + 1 < n && b[j] == '.' && b[j + 1] == '.')) return j;

  // A space is a trigger only in a run with Russian text: one after a
  // one-letter Russian word goes with it (в лесу). This is the letter's rule,
  // checked at the space it takes; the space's own rules, for signs, are
  // checked at the signs.
  if (c == ' ' || c == '\t') {
    const std::size_t p = i == 0 ? 0 : start_before(i);
    if (i > 0 && utf8::is_letter(decode(b + p)) && lang_at(p, node) == family::ru) {
      // After an apostrophe (' or ’ after a letter: "д'Артаньян") the
      // letter ends a word. A ' with no word before it opens a quote
      // ('я думаю'): it becomes ‘, after which a run binds the letter, so
      // this one must too.
      const char32_t before = char_before(p);
      const bool apostrophe = (before == '\'' || before == 0x2019) && wordlike(char_before(start_before(p)));
      if (!wordlike(before) && !apostrophe) edits.push_back({i, 1, c, 0, nbsp, 0});
    }
    return j;
  }

  const char32_t prev = char_before(i), next = char_at(j);

  // 3,99 €  and  50 %: the rule of the space before the sign, checked here
  // as spaces are not triggers. No rule has touched that space (none takes a
  // space after a digit) and none at the sign will.
  if (currency_or_percent(c) && i >= 2 && ordinary_space(b[i - 1]) && digit(b[i - 2])) edit_at(i - 1).put = nbsp;

  edit o{i, j - i, c, 0, c, 0};
  // Edits of the characters after c, recorded after c's own.
  edit later[2];
  std::size_t nlater = 0, resume = j;
  // A rule takes the character at pos: it becomes `with` (0: nothing) and
  // starts no rule; scanning goes on after it.
  auto take = [&](std::size_t pos, char32_t with) {
    const std::size_t len = sequence_length(b[pos]);
    later[nlater++] = edit{pos, len, decode(b + pos), 0, with, 0};
    resume = pos + len;
  };

  if (c == '"') {
    bool open = opens_after(prev);
    if (space(prev) && (next == 0 || space(next))) open = stack.empty();  // a lone quote
    if (open) {
      const int level = static_cast<int>(stack.size());
      stack.push_back({f, level});
      o.put = double_quotes(f, level).open;
    } else {
      open_quote q = stack.empty() ? open_quote{f, 0} : stack.back();
      if (!stack.empty()) stack.pop_back();
      o.put = double_quotes(q.f, q.level).close;
    }
  } else if (c == left_guillemet) {
    stack.push_back({f, static_cast<int>(stack.size())});
  } else if (c == right_guillemet) {
    if (!stack.empty()) stack.pop_back();
  } else if (c == '\'') {
    const quote_pair q = single_quotes(f);
    if (wordlike(prev) && wordlike(next)) o.put = 0x2019;              // it's
    else if (!wordlike(prev) && digit(next)) o.put = 0x2019;           // '90s
    else if (opens_after(prev) && next != 0 && !space(next)) o.put = q.open;
    else o.put = q.close;
  } else if (c == '.') {  // and the two after it, checked above
    o.put = 0x2026;
    take(j, 0);
    take(j + 1, 0);
  } else if (c == '-' && next == '-') {
    const bool em = j + 1 < n && b[j + 1] == '-';
    o.put = em ? em_dash : en_dash;
    take(j, 0);
    if (em) take(j + 1, 0);
    if (space(prev)) set_space_before(i, nbsp);
  } else if (c == '-' && (i == 0 || b[i - 1] == '\n') && ordinary_space(next) && f != family::en &&
             f != family::de) {
    // A dialogue dash opening a paragraph.
    o.put = em_dash;
    take(j, f == family::es ? 0 : nbsp);
  } else if (c == '-' && space(prev) && prev != '\n' && ordinary_space(next)) {
    o.put = f == family::en || f == family::de ? en_dash : em_dash;
    set_space_before(i, nbsp);
  } else if ((c == en_dash || c == em_dash) && space(prev) && (next == 0 || space(next))) {
    set_space_before(i, nbsp);  // a spaced dash never starts a line
  }

  // French: (narrow) no-break space before high punctuation and inside guillemets.
  if (f == family::fr) {
    const bool high = c == ';' || c == '!' || c == '?' || c == ':';
    const bool time_or_url = c == ':' && ((digit(prev) && digit(next)) || next == '/');
    const char32_t want = c == ':' ? nbsp : narrow_nbsp;
    if (high && !time_or_url) {
      if (space(prev)) set_space_before(i, want);
      else if (wordlike(prev) || closing_punct(prev)) o.before = want;
    }
    if (c == right_guillemet || (c == '"' && o.put == right_guillemet)) {
      if (space(prev)) set_space_before(i, narrow_nbsp);
      else if (i > 0) o.before = narrow_nbsp;
    }
    if (c == left_guillemet || (c == '"' && o.put == left_guillemet)) {
      if (space(next) && next != '\n') take(j, narrow_nbsp);
      else if (next != 0) o.after = narrow_nbsp;
    }
  }

  // № 5  and  § 12: the rule of the space after the sign, checked here too.
  // The space is not taken: what follows still sees a space.
  if ((c == 0x2116 || c == 0x00A7) && j + 1 < n && ordinary_space(b[j]) && digit(b[j + 1]))
    later[nlater++] = edit{j, 1, b[j], 0, nbsp, 0};

  if (o.put != c || o.before != 0 || o.after != 0) edits.push_back(o);
  edits.insert(edits.end(), later, later + nlater);
  return resume;
}

void run::smarten() {
  edits.clear();
  stack.clear();
  std::size_t i = 0;
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    const piece& p = pieces[k];
    if (p.target == nullptr) continue;
    const trigger_table& t = triggers[p.lang == family::fr][russian];
    i = std::max(i, p.begin);  // a rule may have taken the start of this node
    while ((i = find_trigger(t, bytes(), i, p.end)) < p.end) i = apply_rules(i, k);
  }
  if (!edits.empty()) write_back();
}

// Writes again the text nodes where an edit changes something.
void run::write_back() {
  std::size_t e = 0;
  for (const piece& p : pieces) {
    while (e < edits.size() && edits[e].pos < p.begin) ++e;  // in a placeholder: none, in fact
    const std::size_t first = e;
    bool changed = false;
    for (; e < edits.size() && edits[e].pos < p.end; ++e)
      changed = changed || edits[e].put != edits[e].was || edits[e].before != 0 || edits[e].after != 0;
    if (!changed || p.target == nullptr) continue;
    text.clear();
    text.reserve(p.end - p.begin + 8);
    std::size_t copied = p.begin;
    for (std::size_t k = first; k < e; ++k) {
      const edit& d = edits[k];
      text.append(buf, copied, d.pos - copied);
      for (char32_t c : {d.before, d.put, d.after})
        if (c != 0) utf8::append(text, c);
      copied = d.pos + d.len;
    }
    text.append(buf, copied, p.end - copied);
    // A node written again loses its NUL characters, as it always has: the
    // pass once stored characters as code points, where 0 meant "nothing".
    if (std::memchr(buf.data() + p.begin, 0, p.end - p.begin) != nullptr) std::erase(text, '\0');
    p.target->swap(text);
  }
}

// The run smarten_inlines and smarten_string fill, and the one an insertion
// is smartened in while its paragraph's is being filled: one each per thread.
run& scratch() {
  thread_local run r;
  r.clear();
  return r;
}
run& inner_scratch() {
  thread_local run r;
  r.clear();
  return r;
}

void collect(inlines& content, family f, run& r) {
  for (auto& n : content) {
    switch (n.kind) {
      case inline_kind::text: r.add(n.text, f); break;
      case inline_kind::emphasis:
      case inline_kind::strong:
      case inline_kind::link: collect(n.children, f, r); break;
      case inline_kind::foreign: collect(n.children, n.lang.empty() ? f : family_of(n.lang), r); break;
      case inline_kind::insertion:
      case inline_kind::direction: {
        // Smartened on its own: its quotes do not pair with the paragraph's.
        run& inner = inner_scratch();
        inner.add(n.text, f);
        inner.smarten();
        r.placeholder(object);
        break;
      }
      case inline_kind::code: r.placeholder(object); break;
      case inline_kind::line_break: r.placeholder('\n'); break;
    }
  }
}

// A rule may empty a text node (the dots of an ellipsis split across nodes):
// empty text nodes are removed so the tree stays valid.
// A container left without children goes too.
void prune(inlines& content) {
  for (auto& n : content) prune(n.children);
  std::erase_if(content, [](const inline_node& n) {
    switch (n.kind) {
      case inline_kind::text: return n.text.empty();
      case inline_kind::emphasis:
      case inline_kind::strong:
      case inline_kind::foreign:
      case inline_kind::link: return n.children.empty();
      default: return false;
    }
  });
}

void smarten_inlines(inlines& content, family f) {
  if (content.empty()) return;
  run& r = scratch();
  collect(content, f, r);
  r.smarten();
  prune(content);
}

void smarten_string(std::string& s, family f) {
  if (s.empty()) return;
  run& r = scratch();
  r.add(s, f);
  r.smarten();
}

void smarten_blocks(std::vector<block>& blocks, family f) {
  for (auto& b : blocks) {
    const family bf = b.lang.empty() ? f : family_of(b.lang);
    smarten_inlines(b.content, bf);
    smarten_inlines(b.caption, bf);
    smarten_string(b.credit, bf);
    smarten_string(b.alt, bf);
    smarten_string(b.marker, bf);
    smarten_blocks(b.blocks, bf);
  }
}

}  // namespace

std::string smarten_text(std::string_view text, std::string_view lang) {
  std::string s(text);
  smarten_string(s, family_of(lang));
  return s;
}

void smarten(document& d) {
  const family book = family_of(d.metadata.language.empty() && !d.articles.empty() ? d.articles.front().lang
                                                                                    : d.metadata.language);
  smarten_string(d.metadata.title, book);
  smarten_string(d.metadata.subtitle, book);
  for (auto& c : d.metadata.contributors) smarten_string(c.description, book);
  // Articles are independent: a book's are smartened on every core.
  parallel_for(
      d.articles.size(),
      [&](std::size_t i) {
        article& a = d.articles[i];
        const family f = a.lang.empty() ? book : family_of(a.lang);
        smarten_string(a.title, f);
        smarten_string(a.subtitle, f);
        smarten_string(a.byline, f);
        for (auto& s : a.speakers) smarten_string(s.description, f);
        smarten_blocks(a.blocks, f);
      },
      4);
}

}  // namespace galley::doc
