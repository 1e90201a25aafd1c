#include "layout/paragraph.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "base/utf8.hpp"

namespace galley::layout {

double protrusion_right(char32_t c) {
  switch (c) {
    case U'.': case U',': return 0.7;
    case U':': case U';': return 0.5;
    case U'!': case U'?': return 0.2;
    case U'-': case U'\u2010': case U'\u00AD': return 0.7;
    case U'\u2013': return 0.3;
    case U'\u2014': return 0.2;
    case U'\u2019': case U'\'': return 0.7;
    case U'\u201D': case U'"': case U'\u00BB': case U'\u203A': return 0.5;
    case U')': case U']': return 0.05;
    default: return 0;
  }
}

double protrusion_left(char32_t c) {
  switch (c) {
    case U'\u201C': case U'"': case U'\u00AB': case U'\u2039': case U'\u201E': return 0.5;
    case U'\u2018': case U'\'': return 0.7;
    case U'(': case U'[': return 0.05;
    case U'\u2014': return 0.2;
    case U'\u2013': return 0.3;
    default: return 0;
  }
}

// Per-paragraph working storage. Members rather than locals so that their
// capacity survives from one paragraph to the next: a book sets thousands of
// paragraphs, and allocating these each time was a good part of the work.
struct typesetter::scratch {
  std::vector<char32_t> cps;
  std::vector<int> style_of, font_of;
  std::vector<char> break_before, token_no_hyphen, hyph_after;
  std::vector<UChar> u16;
  std::vector<std::size_t> u16_to_cp;
  std::string word, text;
  struct box_part {
    int piece;
    bool hyphen_after;
  };
  std::vector<box_part> parts;
};

typesetter::typesetter(font_set& fonts, hyphenator& hyph, diagnostics& diags)
    : fonts_(fonts), hyph_(hyph), diags_(diags), scratch_(std::make_unique<scratch>()) {}
typesetter::~typesetter() = default;

int typesetter::add_piece(int font, double size, const rgb& colour, const std::string* link,
                          const char32_t* cps, const int* advance, const double* kern, std::size_t count) {
  piece p;
  p.font = font;
  p.size = size;
  p.colour = colour;
  p.link = link;
  p.first = static_cast<std::uint32_t>(cps_.size());
  p.count = static_cast<std::uint32_t>(count);
  cps_.insert(cps_.end(), cps, cps + count);
  advance_.insert(advance_.end(), advance, advance + count);
  kern_.insert(kern_.end(), kern, kern + count);
  double w = 0;
  for (std::size_t k = 0; k < count; ++k) w += advance[k];
  for (std::size_t k = 0; k < count; ++k) w += kern[k];
  p.width = w * size / 1000.0;
  pieces_.push_back(p);
  return static_cast<int>(pieces_.size()) - 1;
}

void typesetter::warn(source_pos where, const char* code, std::string message) {
  if (capture_)
    capture_->push_back(diagnostic{severity::warning, diags_.file(), where, std::move(message), code, {}});
  else
    diags_.warning(where, code, std::move(message));
}

void* typesetter::break_iterator(const std::string& lang) {
  auto it = iterators_.find(lang);
  if (it != iterators_.end()) return it->second.get();
  // Creating a break iterator loads rule data: do it once per language per
  // process and clone.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<icu::BreakIterator>> prototypes;
  icu::BreakIterator* bi = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto& proto = prototypes[lang];
    if (!proto) {
      UErrorCode err = U_ZERO_ERROR;
      icu::Locale loc(lang.empty() ? "en" : lang.c_str());
      proto.reset(icu::BreakIterator::createLineInstance(loc, err));
      if (U_FAILURE(err) || !proto) {
        err = U_ZERO_ERROR;
        proto.reset(icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), err));
      }
    }
    bi = proto->clone();
  }
  auto del = [](void* p) { delete static_cast<icu::BreakIterator*>(p); };
  auto res = iterators_.emplace(lang, std::unique_ptr<void, void (*)(void*)>(bi, del));
  return res.first->second.get();
}

namespace {

bool breaking_space(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\u2028' ||
         (c >= 0x2000 && c <= 0x200A && c != 0x2007) || c == 0x205F || c == 0x3000;
}

bool sentence_end(char32_t c) {
  return c == U'.' || c == U'!' || c == U'?' || c == U'\u2026';
}

bool closing(char32_t c) {
  return c == U'"' || c == U'\'' || c == U'\u201D' || c == U'\u2019' || c == U')' ||
         c == U']' || c == U'\u00BB';
}

constexpr double fil = 1e5;

// utf8::next and utf8::append with the ASCII case inline: the typesetter
// decodes every code point of a book once and encodes it several times.
inline char32_t next_cp(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  return utf8::next(s, i);
}

inline void put_cp(std::string& out, char32_t cp) {
  if (cp < 0x80) out.push_back(static_cast<char>(cp));
  else utf8::append(out, cp);
}

}  // namespace

set_paragraph typesetter::set(const paragraph_spec& spec, source_pos where) {
  set_paragraph out;
  pieces_.clear();
  cps_.clear();
  advance_.clear();
  kern_.clear();
  items_.clear();
  scratch& w = *scratch_;

  // 1. Code points with their style and resolved face.
  std::vector<char32_t>& cps = w.cps;
  std::vector<int>& style_of = w.style_of;
  std::vector<int>& font_of = w.font_of;
  cps.clear();
  style_of.clear();
  font_of.clear();
  double max_size = 0;
  std::vector<std::string> missing_glyphs;
  for (std::size_t s = 0; s < spec.content.size(); ++s) {
    const auto& st = spec.content[s];
    max_size = std::max(max_size, st.style.size);
    for (std::size_t i = 0; i < st.text.size();) {
      char32_t c = next_cp(st.text, i);
      if (c == U'\n' || c == U'\r' || c == U'\t') c = U' ';
      if (c == 0x00AD || c == 0x200B || c == 0xFEFF || c == 0x200C || c == 0x200D) continue;
      int f = st.style.font;
      if (!breaking_space(c) || c == U' ') {
        int r = fonts_.resolve(f, c);
        if (r < 0) {
          if (missing_glyphs.size() < 8) missing_glyphs.push_back(utf8::encode(c));
          c = U'?';
        } else {
          f = r;
        }
      }
      cps.push_back(c);
      style_of.push_back(static_cast<int>(s));
      font_of.push_back(f);
    }
  }
  if (!missing_glyphs.empty()) {
    std::string list;
    for (const auto& m : missing_glyphs) list += (list.empty() ? "" : " ") + m;
    warn(where, "font-missing-glyph", "no installed font has a glyph for: " + list + "; printed as '?'");
  }
  std::size_t n = cps.size();
  if (n == 0 || max_size <= 0) return out;

  // 2. Break opportunities (UAX #14).
  std::vector<char>& break_before = w.break_before;
  break_before.assign(n + 1, 0);
  {
    // The text as UTF-16 in one buffer, which ICU reads in place (appending
    // to an icu::UnicodeString code point by code point was slow).
    std::vector<UChar>& u16 = w.u16;
    std::vector<std::size_t>& u16_to_cp = w.u16_to_cp;
    u16.clear();
    u16_to_cp.clear();
    for (std::size_t i = 0; i < n; ++i) {
      char32_t c = cps[i] == U'\u2028' ? U'\n' : cps[i];
      if (c > 0xFFFF) {
        u16.push_back(static_cast<UChar>(0xD800 + ((c - 0x10000) >> 10)));
        u16.push_back(static_cast<UChar>(0xDC00 + ((c - 0x10000) & 0x3FF)));
        u16_to_cp.push_back(i);
        u16_to_cp.push_back(i);
      } else {
        u16.push_back(static_cast<UChar>(c));
        u16_to_cp.push_back(i);
      }
    }
    u16_to_cp.push_back(n);
    // A read-only alias of the buffer; the iterator keeps a reference to it
    // only until the next setText.
    icu::UnicodeString u(false, u16.data(), static_cast<int32_t>(u16.size()));
    auto* bi = static_cast<icu::BreakIterator*>(break_iterator(spec.lang));
    bi->setText(u);
    for (int32_t p = bi->first(); p != icu::BreakIterator::DONE; p = bi->next())
      if (p > 0) break_before[u16_to_cp[static_cast<std::size_t>(p)]] = 1;
  }

  // Whitespace-delimited tokens: no hyphenation in a token with digits or
  // that looks like a URL, an e-mail address or a path.
  std::vector<char>& token_no_hyphen = w.token_no_hyphen;
  token_no_hyphen.assign(n, 0);
  for (std::size_t i = 0; i < n;) {
    if (breaking_space(cps[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool bad = false;
    bool dot = false;
    char32_t first_ascii = 0;  // the token's first ASCII character
    while (j < n && !breaking_space(cps[j])) {
      char32_t c = cps[j];
      if (c < 128 && first_ascii == 0) first_ascii = c;
      if (utf8::is_digit(c) || c == U'@' || c == U'/' || c == U'\\' || c == U'_' || c == U'=' ||
          c == U'#' || c == U'&')
        bad = true;
      if (c == U'.') dot = true;
      const text_style& st = spec.content[static_cast<std::size_t>(style_of[j])].style;
      if (st.no_hyphen || !st.link.empty()) bad = true;
      ++j;
    }
    // "www.", ".com", ".org" all hold a dot, and "http" must begin the
    // token's ASCII characters: only such tokens need those lower-cased
    // and searched.
    if (!bad && (dot || first_ascii == U'h' || first_ascii == U'H')) {
      std::string& low = w.word;
      low.clear();
      for (std::size_t k = i; k < j; ++k)
        if (cps[k] < 128) low += static_cast<char>(std::tolower(static_cast<int>(cps[k])));
      if (low.find("www.") != std::string::npos || low.find(".com") != std::string::npos ||
          low.find(".org") != std::string::npos || low.find("http") == 0)
        bad = true;
    }
    if (bad)
      for (std::size_t k = i; k < j; ++k) token_no_hyphen[k] = 1;
    i = j;
  }

  // 3. Items.
  const double line_width = spec.width;
  const double expansion = spec.align == align::justify ? std::clamp(spec.expansion, 0.0, 0.05) : 0.0;
  if (spec.indent > 0) items_.push_back(make_box(spec.indent));
  bool sentence_start = true;
  std::size_t long_words = 0;
  auto style = [&](std::size_t i) -> const text_style& {
    return spec.content[static_cast<std::size_t>(style_of[i])].style;
  };
  std::size_t a = 0;
  while (a < n) {
    std::size_t b = a + 1;
    while (b < n && !break_before[b]) ++b;
    std::size_t we = b;
    while (we > a && breaking_space(cps[we - 1])) --we;
    // the word part [a, we)
    if (we > a) {
      const text_style& st0 = style(a);
      bool urlish = st0.no_hyphen || !st0.link.empty();
      for (std::size_t i = a; i < we; ++i)
        if (token_no_hyphen[i]) urlish = true;
      std::vector<char>& hyph_after = w.hyph_after;
      hyph_after.assign(we - a, 0);
      if (spec.hyphenate && !urlish) {
        std::size_t i = a;
        while (i < we) {
          if (!utf8::is_letter(cps[i])) {
            ++i;
            continue;
          }
          std::size_t j = i;
          while (j < we && utf8::is_letter(cps[j]) && style_of[j] == style_of[i]) ++j;
          bool ok = j - i >= 5;
          bool first_upper = utf8::is_upper(cps[i]);
          for (std::size_t k = i + 1; k < j && ok; ++k)
            if (utf8::is_upper(cps[k])) ok = false;  // acronyms, CamelCase
          if (first_upper && !(sentence_start && i == a)) ok = false;  // a name
          // a letter run glued to other letters by an apostrophe is left alone
          if (ok && j < we && (cps[j] == U'\u2019' || cps[j] == U'\'')) ok = false;
          if (ok) {
            std::string& word = w.word;
            word.clear();
            for (std::size_t k = i; k < j; ++k) put_cp(word, cps[k]);
            const std::string& lang = style(i).lang.empty() ? spec.lang : style(i).lang;
            for (int p : hyph_.cached_points(word, lang))
              hyph_after[i - a + static_cast<std::size_t>(p) - 1] = 1;
          }
          i = j;
        }
      }
      // Style runs, shaped whole, then cut at hyphenation points.
      std::vector<scratch::box_part>& parts = w.parts;
      parts.clear();
      double word_width = 0;
      std::size_t r = a;
      while (r < we) {
        std::size_t re = r + 1;
        while (re < we && style_of[re] == style_of[r] && font_of[re] == font_of[r]) ++re;
        const text_style& st = style(r);
        std::string& text = w.text;
        text.clear();
        for (std::size_t k = r; k < re; ++k) put_cp(text, cps[k]);
        const shaped_text& sh = fonts_.shape(font_of[r], text);
        const std::string* link = st.link.empty() ? nullptr : &st.link;
        std::size_t k = 0;
        while (k < re - r) {
          std::size_t ke = k + 1;
          while (ke < re - r && !hyph_after[r - a + ke - 1]) ++ke;
          int pi = add_piece(font_of[r], st.size, st.colour, link, sh.cps.data() + k, sh.advance.data() + k,
                             sh.kern.data() + k, ke - k);
          word_width += pieces_[static_cast<std::size_t>(pi)].width;
          parts.push_back({pi, ke < re - r && hyph_after[r - a + ke - 1] != 0});
          k = ke;
        }
        r = re;
      }
      auto emit_box = [&](int pi) {
        const piece& p = pieces_[static_cast<std::size_t>(pi)];
        item it = make_box(p.width, pi);
        if (expansion > 0 && !spec.expansion_emergency_only) it.expand = expansion * it.width;
        if (spec.protrusion && p.count > 0) {
          const std::size_t last = p.first + p.count - 1;
          it.protrude_right = protrusion_right(cps_[last]) * advance_[last] * p.size / 1000.0;
          it.protrude_left = protrusion_left(cps_[p.first]) * advance_[p.first] * p.size / 1000.0;
        }
        items_.push_back(it);
      };
      if (word_width > line_width) {
        // Too wide for any line: allow a break after every code point.
        ++long_words;
        bool firstcp = true;
        for (const auto& part : parts) {
          const piece src = pieces_[static_cast<std::size_t>(part.piece)];  // a copy: pieces_ grows
          for (std::size_t k = 0; k < src.count; ++k) {
            if (!firstcp) {
              items_.push_back(make_glue(0, line_width, 0));
              items_.push_back(make_penalty(0, 500));
              items_.push_back(make_glue(0, -line_width, 0));
            }
            firstcp = false;
            // copies: cps_ and advance_ grow too
            const char32_t cp = cps_[src.first + k];
            const int adv = advance_[src.first + k];
            const double no_kern = 0;
            emit_box(add_piece(src.font, src.size, src.colour, src.link, &cp, &adv, &no_kern, 1));
          }
        }
      } else {
        for (const auto& part : parts) {
          emit_box(part.piece);
          if (part.hyphen_after) {
            const piece p = pieces_[static_cast<std::size_t>(part.piece)];  // a copy: pieces_ grows
            const double last_kern = kern_[p.first + p.count - 1];
            const int hfont = fonts_.resolve(p.font, U'-') >= 0 ? fonts_.resolve(p.font, U'-') : p.font;
            const char32_t hyphen = U'-';
            const int hadv = fonts_.advance(hfont, U'-');
            const double no_kern = 0;
            int hp = add_piece(hfont, p.size, p.colour, nullptr, &hyphen, &hadv, &no_kern, 1);
            const piece& h = pieces_[static_cast<std::size_t>(hp)];
            double hw = h.width - last_kern * p.size / 1000.0;
            double prot = protrusion_right(U'-') * hadv * h.size / 1000.0;
            item pen = make_penalty(hw, 50, true, hp);
            pen.discretionary = true;
            pen.protrude_right = prot;
            if (expansion > 0 && !spec.expansion_emergency_only) pen.expand = expansion * hw;
            items_.push_back(pen);
          }
        }
      }
      // sentence state for the next word
      std::size_t last = we;
      while (last > a && closing(cps[last - 1])) --last;
      sentence_start = (last > a && sentence_end(cps[last - 1])) || style(we - 1).label;
    }
    // the trailing space, or a break without one
    bool hard = false;
    for (std::size_t i = we; i < b; ++i)
      if (cps[i] == U'\u2028') hard = true;
    if (hard) {
      items_.push_back(make_penalty(0, infinite_penalty));
      items_.push_back(make_glue(0, fil, 0));
      items_.push_back(make_penalty(0, -infinite_penalty));
    } else if (we < b) {
      std::size_t sp = we;
      const char32_t space = U' ';
      const int adv = fonts_.advance(font_of[sp], U' ');
      const double no_kern = 0;
      int pi = add_piece(font_of[sp], style(sp).size, style(sp).colour, nullptr, &space, &adv, &no_kern, 1);
      double w = pieces_[static_cast<std::size_t>(pi)].width;
      if (spec.align == align::justify)
        items_.push_back(make_glue(w, w / 2, w / 3, pi));
      else
        items_.push_back(make_glue(w, 0, 0, pi));  // ragged: fixed spaces
    } else if (b < n && we > a) {
      char32_t last = cps[we - 1];
      bool hyphen = last == U'-' || last == U'\u2010';
      items_.push_back(make_penalty(0, 50, hyphen));
    }
    a = b;
  }
  while (!items_.empty() && items_.back().type == item_type::glue) items_.pop_back();
  if (items_.empty()) return out;
  items_.push_back(make_penalty(0, infinite_penalty));
  items_.push_back(make_glue(0, fil, 0));
  items_.push_back(make_penalty(0, -infinite_penalty));

  if (long_words > 0) {
    warn(where, "layout-long-word",
                   std::to_string(long_words) + (long_words == 1 ? " word is" : " words are") +
                       " wider than the line; broken without a hyphen");
  }

  // 4. Break.
  std::vector<double> widths{line_width};
  break_params P = params;
  P.protrusion = spec.protrusion;
  P.emergency_stretch = emergency_stretch_em * max_size;
  break_result br;
  if (spec.align == align::justify && !spec.first_fit) {
    if (expansion > 0 && spec.expansion_emergency_only) {
      // Font expansion only where the paragraph cannot be set within the
      // tolerance otherwise, in place of TeX's emergency stretch.
      break_params strict = P;
      strict.emergency_stretch = 0;
      br = knuth_plass(items_, widths, strict);
      if (br.pass > 2) {
        for (auto& it : items_) {
          if (it.type == item_type::box && it.ref >= 0) it.expand = expansion * it.width;
          if (it.type == item_type::penalty && it.ref >= 0) it.expand = expansion * it.width;
        }
        br = knuth_plass(items_, widths, P);
      }
    } else {
      br = knuth_plass(items_, widths, P);
    }
  } else if (spec.first_fit) {
    br = first_fit(items_, widths, P, spec.align == align::justify);
  } else {
    // ragged: Knuth-Plass with a stretchable right margin, which evens the
    // rag and keeps hyphens rare
    P.right_stretch = ragged_stretch_em * max_size;
    br = knuth_plass(items_, widths, P);
  }
  out.pass = br.pass;
  out.demerits = br.demerits;
  out.overfull = br.overfull;

  // 5. Lines of runs.
  for (std::size_t li = 0; li < br.lines.size(); ++li) {
    const line_break& lb = br.lines[li];
    bool last_line = li + 1 == br.lines.size();
    set_line L;
    L.hyphenated = lb.hyphenated;
    double natural = 0, stretch = 0, shrink = 0, expand = 0;
    for (std::size_t i = lb.start; i < lb.end; ++i) {
      const item& it = items_[i];
      if (it.type == item_type::penalty) continue;
      natural += it.width;
      if (it.type == item_type::box) expand += it.expand;
      if (it.type == item_type::glue) {
        stretch += it.stretch;
        shrink += it.shrink;
      }
    }
    const item& end_item = items_[lb.end];
    if (end_item.type == item_type::penalty) {
      natural += end_item.width;
      expand += end_item.expand;
    }
    double left_prot = 0, right_prot = 0;
    if (spec.protrusion) {
      if (lb.start < lb.end && items_[lb.start].type == item_type::box)
        left_prot = items_[lb.start].protrude_left;
      if (end_item.type == item_type::penalty && end_item.width > 0) right_prot = end_item.protrude_right;
      else if (lb.end > 0 && items_[lb.end - 1].type == item_type::box)
        right_prot = items_[lb.end - 1].protrude_right;
      if (last_line || spec.align != align::justify) right_prot = 0;
    }
    double shortfall = line_width - (natural - left_prot - right_prot);
    double r = 0;
    if (shortfall < 0 || (spec.align == align::justify && !last_line)) {
      r = adjustment_ratio(shortfall, stretch, shrink, expand);
      if (!std::isfinite(r)) r = 0;
      r = std::max(r, -1.0);
    }
    // with a forced or emergency break the infinite glue takes nearly all
    double grow = expand > 0 ? expansion * std::clamp(r, -1.0, 1.0) : 0;  // font expansion
    if (stretch >= fil / 2 && r >= 0) grow = 0;
    const double scale = 1 + grow;
    L.ratio = r;
    L.scale = 100 * scale;
    double used = natural + (expansion > 0 ? grow / expansion : 0) * expand - left_prot +
                  (r > 0 ? r * stretch : r * shrink);
    double x = -left_prot;
    if (spec.align == align::right) x += std::max(0.0, line_width - used);
    if (spec.align == align::centre) x += std::max(0.0, line_width - used) / 2;
    text_run run;
    bool open = false;
    std::uint32_t cp_count = 0;
    auto flush = [&]() {
      if (open && !run.text.empty()) L.runs.push_back(std::move(run));  // start_run() renews it
      open = false;
    };
    auto start_run = [&](const piece& p) {
      flush();
      run = text_run{};
      run.font = p.font;
      run.size = p.size;
      run.x = x;
      run.y = 0;
      run.colour = p.colour;
      run.horizontal_scale = L.scale;
      open = true;
      cp_count = 0;
    };
    auto compatible = [&](const piece& p) {
      return open && run.font == p.font && run.size == p.size && run.colour.r == p.colour.r &&
             run.colour.g == p.colour.g && run.colour.b == p.colour.b;
    };
    static const std::string no_link;
    std::string link_uri;
    double link_x1 = 0;
    auto close_link = [&](double at) {
      if (!link_uri.empty()) L.links.push_back({link_x1, at, link_uri});
      link_uri.clear();
    };
    for (std::size_t i = lb.start; i < lb.end; ++i) {
      const item& it = items_[i];
      if (it.type == item_type::box) {
        if (it.ref < 0) {
          flush();
          x += it.width;
          continue;
        }
        const piece& p = pieces_[static_cast<std::size_t>(it.ref)];
        const std::string& plink = p.link ? *p.link : no_link;
        if (plink != link_uri) {
          close_link(x);
          if (!plink.empty()) {
            link_uri = plink;
            link_x1 = x;
          }
        }
        if (!compatible(p)) start_run(p);
        bool drop_last_kern = i + 1 == lb.end && end_item.type == item_type::penalty && end_item.ref >= 0;
        for (std::size_t k = 0; k < p.count; ++k) {
          const std::size_t at = p.first + k;
          put_cp(run.text, cps_[at]);
          put_cp(L.text, cps_[at]);
          ++cp_count;
          double kern = kern_[at];
          if (drop_last_kern && k + 1 == p.count) kern = 0;
          if (kern != 0) run.adjust.emplace_back(cp_count - 1, kern);
          x += (advance_[at] + kern) * p.size / 1000.0 * scale;
        }
      } else if (it.type == item_type::glue) {
        double actual = it.width + (r > 0 ? r * it.stretch : r * it.shrink);
        if (it.ref >= 0) {
          const piece& p = pieces_[static_cast<std::size_t>(it.ref)];
          L.text += ' ';
          if (compatible(p) && i + 1 < lb.end) {
            run.text += ' ';
            ++cp_count;
            double extra = (actual / scale - p.width) * 1000.0 / p.size;  // Tz scales it too
            if (std::fabs(extra) > 1e-9) run.adjust.emplace_back(cp_count - 1, extra);
          } else {
            flush();
          }
        } else if (std::fabs(actual) > 1e-9) {
          flush();
        }
        x += actual;
      }
    }
    if (end_item.type == item_type::penalty && end_item.ref >= 0) {
      const piece& h = pieces_[static_cast<std::size_t>(end_item.ref)];
      if (!compatible(h)) start_run(h);
      run.text += '-';
      L.text += '-';
      ++cp_count;
      x += h.width * scale;
    }
    close_link(x);
    flush();
    for (const auto& rr : L.runs) {
      L.ascent = std::max(L.ascent, fonts_.ascender(rr.font) * rr.size / 1000.0);
      L.descent = std::max(L.descent, -fonts_.descender(rr.font) * rr.size / 1000.0);
    }
    if (lb.overfull) {
      std::string t = L.text.substr(0, utf8::prefix_bytes(L.text, 60));
      warn(where, "layout-overfull",
           "overfull line (" + std::to_string(static_cast<int>(std::lround(-shortfall))) +
               " pt too wide): " + t);
    }
    out.lines.push_back(std::move(L));
  }
  return out;
}

}  // namespace galley::layout
