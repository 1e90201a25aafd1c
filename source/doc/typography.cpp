#include "doc/typography.hpp"

#include <cstddef>
#include <string>
#include <vector>

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
bool wordlike(char32_t c) { return utf8::is_letter(c) || utf8::is_digit(c) || c == object; }

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

// One run of text to smarten: the code points of every text node in a
// paragraph, each tagged with the node it came from (-1 for placeholders).
struct run {
  std::vector<char32_t> cp;
  std::vector<int> seg;
  std::vector<family> lang;
  std::vector<std::string*> targets;

  void add(std::string& s, family f) {
    const int id = static_cast<int>(targets.size());
    targets.push_back(&s);
    std::size_t i = 0;
    while (i < s.size()) {
      cp.push_back(utf8::next(s, i));
      seg.push_back(id);
      lang.push_back(f);
    }
  }
  void placeholder(char32_t c, family f) {
    cp.push_back(c);
    seg.push_back(-1);
    lang.push_back(f);
  }

  void smarten();
};

void run::smarten() {
  const std::size_t n = cp.size();
  std::vector<std::u32string> out(n);
  std::vector<bool> drop(n, false);  // set by an earlier rule: this character disappears
  struct open_quote {
    family f;
    int level;
  };
  std::vector<open_quote> stack;

  auto at = [&](std::size_t i, std::ptrdiff_t d) -> char32_t {
    const auto j = static_cast<std::ptrdiff_t>(i) + d;
    if (j < 0 || j >= static_cast<std::ptrdiff_t>(n)) return 0;
    return cp[static_cast<std::size_t>(j)];
  };
  // Replaces the space just before i (already emitted) with `with`, if there is one.
  auto set_space_before = [&](std::size_t i, char32_t with) {
    if (i == 0 || seg[i - 1] < 0 || !space(cp[i - 1]) || cp[i - 1] == '\n') return false;
    if (out[i - 1].size() == 1 && space(out[i - 1][0])) out[i - 1] = std::u32string(1, with);
    return true;
  };
  auto line_start = [&](std::size_t i) { return i == 0 || cp[i - 1] == '\n'; };

  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = cp[i];
    const family f = lang[i];
    const char32_t prev = at(i, -1), next = at(i, 1);
    if (drop[i]) continue;
    std::u32string& o = out[i];
    o = std::u32string(1, c);
    if (seg[i] < 0) continue;

    if (c == '"') {
      bool open = opens_after(prev);
      if (space(prev) && (next == 0 || space(next))) open = stack.empty();  // a lone quote
      if (open) {
        const int level = static_cast<int>(stack.size());
        stack.push_back({f, level});
        o = std::u32string(1, double_quotes(f, level).open);
      } else {
        open_quote q = stack.empty() ? open_quote{f, 0} : stack.back();
        if (!stack.empty()) stack.pop_back();
        o = std::u32string(1, double_quotes(q.f, q.level).close);
      }
    } else if (c == 0x00AB) {
      stack.push_back({f, static_cast<int>(stack.size())});
    } else if (c == 0x00BB) {
      if (!stack.empty()) stack.pop_back();
    } else if (c == '\'') {
      const quote_pair q = single_quotes(f);
      if (wordlike(prev) && wordlike(next)) o = U"\u2019";                  // it's
      else if (!wordlike(prev) && utf8::is_digit(next)) o = U"\u2019";      // '90s
      else if (opens_after(prev) && next != 0 && !space(next)) o = std::u32string(1, q.open);
      else o = std::u32string(1, q.close);
    } else if (c == '.' && next == '.' && at(i, 2) == '.') {
      o = U"\u2026";
      drop[i + 1] = drop[i + 2] = true;
    } else if (c == '-' && next == '-') {
      const bool em = at(i, 2) == '-';
      o = std::u32string(1, em ? em_dash : en_dash);
      drop[i + 1] = true;
      if (em) drop[i + 2] = true;
      if (space(prev)) set_space_before(i, nbsp);
    } else if (c == '-' && line_start(i) && ordinary_space(next) && f != family::en && f != family::de) {
      // A dialogue dash opening a paragraph.
      o = std::u32string(1, em_dash);
      if (f == family::es) drop[i + 1] = true;
      else out[i + 1] = std::u32string(1, nbsp), drop[i + 1] = true;
    } else if (c == '-' && space(prev) && prev != '\n' && ordinary_space(next)) {
      o = std::u32string(1, f == family::en || f == family::de ? en_dash : em_dash);
      set_space_before(i, nbsp);
    } else if ((c == en_dash || c == em_dash) && space(prev) && (next == 0 || space(next))) {
      set_space_before(i, nbsp);  // a spaced dash never starts a line
    }

    // French: (narrow) no-break space before high punctuation and inside guillemets.
    if (f == family::fr) {
      const bool high = c == ';' || c == '!' || c == '?' || c == ':';
      const bool time_or_url = c == ':' && ((utf8::is_digit(prev) && utf8::is_digit(next)) || next == '/');
      const char32_t want = c == ':' ? nbsp : narrow_nbsp;
      if (high && !time_or_url) {
        if (space(prev)) set_space_before(i, want);
        else if (wordlike(prev) || closing_punct(prev)) o.insert(o.begin(), want);
      }
      if (c == 0x00BB) {
        if (space(prev)) set_space_before(i, narrow_nbsp);
        else if (i > 0) o.insert(o.begin(), narrow_nbsp);
      }
      if (c == 0x00AB || (c == '"' && o[0] == 0x00AB)) {
        if (space(next) && next != '\n') {
          out[i + 1] = std::u32string(1, narrow_nbsp);
          drop[i + 1] = true;
        } else if (next != 0) {
          o.push_back(narrow_nbsp);
        }
      }
      if (c == '"' && o[0] == 0x00BB) {
        if (space(prev)) set_space_before(i, narrow_nbsp);
        else if (i > 0) o.insert(o.begin(), narrow_nbsp);
      }
    }

    // Russian and its neighbours: a one-letter word is kept with the next word.
    if (f == family::ru && utf8::is_letter(c) && !wordlike(prev) && prev != '\'' && ordinary_space(next) &&
        seg[i + 1] >= 0) {
      out[i + 1] = std::u32string(1, nbsp);
      drop[i + 1] = true;
    }

    // 3,99 €  and  50 %
    if (ordinary_space(c) && utf8::is_digit(prev) && currency_or_percent(next)) o = std::u32string(1, nbsp);
    // № 5  and  § 12
    if (ordinary_space(c) && (prev == 0x2116 || prev == 0x00A7) && utf8::is_digit(next)) o = std::u32string(1, nbsp);
  }

  // Characters dropped by a later rule keep what an earlier rule put in out.
  std::vector<std::string> text(targets.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (seg[i] < 0) continue;
    for (char32_t c : out[i]) utf8::append(text[static_cast<std::size_t>(seg[i])], c);
  }
  for (std::size_t s = 0; s < targets.size(); ++s) *targets[s] = std::move(text[s]);
}

void smarten_inlines(inlines& content, family f);

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
        run inner;
        inner.add(n.text, f);
        inner.smarten();
        r.placeholder(object, f);
        break;
      }
      case inline_kind::code: r.placeholder(object, f); break;
      case inline_kind::line_break: r.placeholder('\n', f); break;
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
  run r;
  collect(content, f, r);
  r.smarten();
  prune(content);
}

void smarten_string(std::string& s, family f) {
  if (s.empty()) return;
  run r;
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
  for (auto& a : d.articles) {
    const family f = a.lang.empty() ? book : family_of(a.lang);
    smarten_string(a.title, f);
    smarten_string(a.subtitle, f);
    smarten_string(a.byline, f);
    for (auto& s : a.speakers) smarten_string(s.description, f);
    smarten_blocks(a.blocks, f);
  }
}

}  // namespace galley::doc
