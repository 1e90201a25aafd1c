#include "doc/typography.hpp"

#include <cstddef>
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
// A run is cleared and reused, so a document is smartened with a handful of
// allocations rather than a few per character.
struct run {
  std::vector<char32_t> cp;
  std::vector<int> seg;
  std::vector<family> lang;
  std::vector<std::string*> targets;

  // What each character becomes: `put` (0: nothing), with `before` and
  // `after` (0: none) for the French no-break spaces a rule adds.
  struct output {
    char32_t before, put, after;
  };
  std::vector<output> out;
  std::vector<char> drop;  // set by an earlier rule: this character disappears

  void clear() {
    cp.clear();
    seg.clear();
    lang.clear();
    targets.clear();
  }
  void add(std::string& s, family f) {
    const int id = static_cast<int>(targets.size());
    targets.push_back(&s);
    const std::size_t start = cp.size();
    cp.resize(start + s.size());  // at most one code point per byte
    std::size_t i = 0, k = start;
    while (i < s.size()) {
      const auto c = static_cast<unsigned char>(s[i]);
      cp[k++] = c < 0x80 ? (++i, char32_t{c}) : utf8::next(s, i);
    }
    cp.resize(k);
    seg.resize(k, id);
    lang.resize(k, f);
  }
  void placeholder(char32_t c, family f) {
    cp.push_back(c);
    seg.push_back(-1);
    lang.push_back(f);
  }

  void smarten();
};

// Whether a rule of run::smarten starts at this ASCII character: every rule
// is keyed to one of these (or, for Russian, to a letter; and to the
// non-ASCII dashes, guillemets and signs).
bool starts_rule(char c, family f) {
  switch (c) {
    case '"': case '\'': case '.': case '-': case ' ': case '\t': return true;
    case ';': case '!': case '?': case ':': return f == family::fr;
    default: return false;
  }
}

// Whether smartening could change anything in a run.
bool may_change(const std::vector<char32_t>& cp, const std::vector<family>& lang) {
  for (std::size_t i = 0; i < cp.size(); ++i)
    if (cp[i] >= 0x80 ? true : starts_rule(static_cast<char>(cp[i]), lang[i])) return true;
  return false;
}

void run::smarten() {
  const std::size_t n = cp.size();
  if (!may_change(cp, lang)) return;
  out.assign(n, output{0, 0, 0});
  drop.assign(n, 0);
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
    output& p = out[i - 1];
    if (p.before == 0 && p.after == 0 && p.put != 0 && space(p.put)) p.put = with;
    return true;
  };
  auto line_start = [&](std::size_t i) { return i == 0 || cp[i - 1] == '\n'; };
  auto replace = [&](std::size_t j, char32_t with) { out[j] = output{0, with, 0}; };

  // Raw pointers for the loop: the compiler cannot tell that writes to
  // `out` leave the vectors themselves alone, and would reload them.
  const char32_t* const cps = cp.data();
  const family* const langs = lang.data();
  const char* const drops = drop.data();
  output* const outs = out.data();
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = cps[i];
    const family f = langs[i];
    if (drops[i]) continue;
    output& o = outs[i];
    o = output{0, c, 0};
    // Most characters start no rule: letters (but Russian one-letter
    // words), digits, and punctuation other than the ones below.
    if (c < 0x80 && !starts_rule(static_cast<char>(c), f) && f != family::ru) continue;
    if (seg[i] < 0) continue;
    const char32_t prev = at(i, -1), next = at(i, 1);

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
    } else if (c == 0x00AB) {
      stack.push_back({f, static_cast<int>(stack.size())});
    } else if (c == 0x00BB) {
      if (!stack.empty()) stack.pop_back();
    } else if (c == '\'') {
      const quote_pair q = single_quotes(f);
      if (wordlike(prev) && wordlike(next)) o.put = 0x2019;                  // it's
      else if (!wordlike(prev) && utf8::is_digit(next)) o.put = 0x2019;      // '90s
      else if (opens_after(prev) && next != 0 && !space(next)) o.put = q.open;
      else o.put = q.close;
    } else if (c == '.' && next == '.' && at(i, 2) == '.') {
      o.put = 0x2026;
      drop[i + 1] = drop[i + 2] = 1;
    } else if (c == '-' && next == '-') {
      const bool em = at(i, 2) == '-';
      o.put = em ? em_dash : en_dash;
      drop[i + 1] = 1;
      if (em) drop[i + 2] = 1;
      if (space(prev)) set_space_before(i, nbsp);
    } else if (c == '-' && line_start(i) && ordinary_space(next) && f != family::en && f != family::de) {
      // A dialogue dash opening a paragraph.
      o.put = em_dash;
      if (f == family::es) drop[i + 1] = 1;
      else replace(i + 1, nbsp), drop[i + 1] = 1;
    } else if (c == '-' && space(prev) && prev != '\n' && ordinary_space(next)) {
      o.put = f == family::en || f == family::de ? en_dash : em_dash;
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
        else if (wordlike(prev) || closing_punct(prev)) o.before = want;
      }
      if (c == 0x00BB) {
        if (space(prev)) set_space_before(i, narrow_nbsp);
        else if (i > 0) o.before = narrow_nbsp;
      }
      if (c == 0x00AB || (c == '"' && o.put == 0x00AB)) {
        if (space(next) && next != '\n') {
          replace(i + 1, narrow_nbsp);
          drop[i + 1] = 1;
        } else if (next != 0) {
          o.after = narrow_nbsp;
        }
      }
      if (c == '"' && o.put == 0x00BB) {
        if (space(prev)) set_space_before(i, narrow_nbsp);
        else if (i > 0) o.before = narrow_nbsp;
      }
    }

    // Russian and its neighbours: a one-letter word is kept with the next word.
    if (f == family::ru && utf8::is_letter(c) && !wordlike(prev) && prev != '\'' && ordinary_space(next) &&
        seg[i + 1] >= 0) {
      replace(i + 1, nbsp);
      drop[i + 1] = 1;
    }

    // 3,99 €  and  50 %
    if (ordinary_space(c) && utf8::is_digit(prev) && currency_or_percent(next)) o.put = nbsp;
    // № 5  and  § 12
    if (ordinary_space(c) && (prev == 0x2116 || prev == 0x00A7) && utf8::is_digit(next)) o.put = nbsp;
  }

  // Characters dropped by a later rule keep what an earlier rule put in out.
  // Only the text nodes where something changed are written back.
  std::vector<char> changed(targets.size(), 0);
  for (std::size_t i = 0; i < n; ++i)
    if (seg[i] >= 0 && (out[i].put != cp[i] || out[i].before || out[i].after))
      changed[static_cast<std::size_t>(seg[i])] = 1;
  auto put = [](std::string& text, char32_t c) {
    if (c == 0) return;  // dropped
    if (c < 0x80) text.push_back(static_cast<char>(c));
    else utf8::append(text, c);
  };
  std::string text;
  for (std::size_t s = 0, i = 0; s < targets.size(); ++s) {
    while (i < n && seg[i] < static_cast<int>(s)) ++i;  // placeholders, earlier nodes
    if (!changed[s]) continue;
    text.clear();
    for (; i < n && (seg[i] == static_cast<int>(s) || seg[i] < 0); ++i) {
      if (seg[i] < 0) continue;
      const output& o = out[i];
      if (o.before) utf8::append(text, o.before);
      put(text, o.put);
      if (o.after) utf8::append(text, o.after);
    }
    *targets[s] = text;
  }
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

// The run smarten_inlines and smarten_string fill; neither calls the other,
// so one per thread is enough.
run& scratch() {
  thread_local run r;
  r.clear();
  return r;
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
