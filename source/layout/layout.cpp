#include "layout/layout.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "base/parallel.hpp"
#include "base/utf8.hpp"
#include "image/image.hpp"
#include "layout/fonts.hpp"
#include "layout/hyphenate.hpp"
#include "layout/paragraph.hpp"

namespace galley::layout {

namespace {

using style::print_style;

// Break classes after a vertical item: the page breaker avoids higher ones.
enum brk : int { ok = 0, hyphen = 1, widow = 2, keep = 3, never = 4 };

struct vitem {
  double advance = 0;   // from the previous baseline, when not first on the page
  double top = 0;       // from the top of the text block, when first on the page
  double space_before = 0;  // dropped at the top of a page
  int after = ok;
  bool new_page = false;
  double x = 0;         // offset from the column's left edge
  set_line line;
  std::vector<outline_entry> marks;  // page and y filled when placed
  int article = -1;
  bool opening = false;  // an interview's first page starts here
  int toc_entry = -1;    // TOC: which article this line's links go to
  bool has_image = false;  // a figure's picture: its box ends at the "baseline"
  image_item img;          // x relative to the column, y/height set when placed
};

struct placed {
  std::size_t first = 0, last = 0;  // items [first, last)
  std::vector<double> baselines;
};

rgb to_rgb(const style::colour& c) { return rgb{c.r, c.g, c.b}; }

std::string roman(int n) {
  static const std::pair<int, const char*> t[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                  {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                  {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                  {1, "i"}};
  std::string s;
  for (const auto& [v, r] : t)
    while (n >= v) {
      s += r;
      n -= v;
    }
  return s;
}

class engine {
 public:
  // threads: for setting the interviews of a book (0: one per core).
  engine(const doc::document& d, const print_style& st, diagnostics& diags, unsigned threads = 1)
      : doc_(d), st_(st), diags_(diags), warm_(warm_hyphenation(d, st, threads)), ts_(fonts_, hyph_, diags),
        threads_(threads) {
    width_ = st.page_width() - style::mm(st.margin_inner) - style::mm(st.margin_outer);
    height_ = st.page_height() - style::mm(st.margin_top) - style::mm(st.margin_bottom);
    // A column narrower than a quarter inch holds no text at all: the style
    // is wrong, and laying out a letter per line would only fill pages.
    if (width_ < 18)
      fail(exit_code::usage, "", "layout-narrow",
           "the margins leave a text column of " + std::to_string(static_cast<int>(std::lround(width_))) +
               " pt; a quarter inch (18 pt) is the least galley sets");
    if (height_ < st.leading) {
      diags_.warning({}, "layout-short", "the text block is shorter than one line");
      height_ = st.leading;
    }
    body_ = fonts_.find(st.body_font, false, false);
    heading_bold_ = fonts_.find(st.heading_font, true, false);
  }

  pages run();

 private:
  int face(const std::string& family, bool bold, bool italic) { return fonts_.find(family, bold, italic); }
  int weighted(const std::string& family, style::weight w) {
    return face(family, w == style::weight::bold || w == style::weight::bold_italic,
                w == style::weight::italic || w == style::weight::bold_italic);
  }

  struct base_style {
    std::string family;
    bool bold = false, italic = false;
    double size = 10;
    rgb colour;
    std::string lang;
    std::string link;
    bool no_hyphen = false;
  };
  void flatten(const doc::inlines& in, base_style b, std::vector<styled_text>& out);
  void add(std::vector<styled_text>& out, const std::string& text, const base_style& b, bool label = false);

  struct para_opts {
    double size = 10, leading = 13, indent = 0, space_before = 0, x = 0, width = -1;
    align al = align::justify;
    int last_after = ok;
    int keep_first_lines = 0;  // the first N lines stay together with what precedes
    bool inside_never = false;  // no page break inside
    std::string lang;
    bool hyphenate = true;
  };
  std::size_t paragraph(std::vector<styled_text> content, const para_opts& o, source_pos where);

  void article(const doc::article& a, int index);
  void articles();
  struct article_job;
  void set_detached(article_job& job);
  void merge(article_job& job, const engine& worker, std::vector<int>& font_map);
  void title_block(const doc::article& a, int index);
  void body_blocks(const doc::article& a, const std::vector<doc::block>& blocks, int depth);
  std::string label_for(const doc::article& a, const doc::block& turn, int turn_index);

  void paginate(std::size_t from, std::vector<placed>& out);
  void furniture(pages& P);
  text_run simple_run(int font, double size, const std::string& s, rgb c);
  std::string fit(int font, double size, const std::string& s, double w);

  // Loading a language's hyphenation patterns and starting fontconfig take
  // about as long as each other (~10 ms); with a second core the patterns
  // the interviews ask for are loaded on it meanwhile (into the process-wide
  // store the hyphenators share), before fonts_ starts fontconfig here.
  static std::unique_ptr<background_task> warm_hyphenation(const doc::document& d, const print_style& st,
                                                           unsigned threads);

  const doc::document& doc_;
  const print_style& st_;
  diagnostics& diags_;
  std::unique_ptr<background_task> warm_;
  font_set fonts_;
  hyphenator hyph_;
  typesetter ts_;
  double width_ = 0, height_ = 0;
  int body_ = 0, heading_bold_ = 0;
  std::vector<vitem> items_;
  bool indent_next_ = false;
  std::string lang_;  // the article's
  std::vector<std::string> running_verso_, running_recto_;  // per article
  std::vector<int> article_first_page_;
  unsigned threads_ = 1;
  // A worker setting interviews on its own (see articles()): it cannot see
  // the items of the interview before the one it sets.
  bool detached_ = false;
  // Captions set with the gap that follows text because nothing came
  // before them here; they follow a picture if the item before the
  // interview is one (items_ indexes).
  std::vector<std::size_t> caption_fixups_;
};

// One interview set by a worker: what it adds to the document, and what
// the document's font_set, hyphenator and diagnostics must learn from it.
struct engine::article_job {
  std::vector<vitem> items;       // runs use the worker's font numbers
  std::vector<std::size_t> caption_fixups;
  std::vector<diagnostic> warnings;  // all of them, in order
  std::vector<int> fonts;          // the worker's faces the interview touched, in order
  std::vector<std::string> no_hyphenation;  // languages without patterns it asked for, in order
  std::string verso, recto;        // running heads
  unsigned worker = 0;
  bool done = false;
  std::exception_ptr error;
};

std::unique_ptr<background_task> engine::warm_hyphenation(const doc::document& d, const print_style& st,
                                                          unsigned threads) {
  if (!st.hyphenation || worker_count(2, threads) < 2) return nullptr;
  // The languages article() sets the interviews in.
  std::vector<std::string> langs;
  for (const auto& a : d.articles) {
    std::string lang = a.lang.empty() ? d.metadata.language : a.lang;
    if (lang.empty()) lang = "en";
    if (std::find(langs.begin(), langs.end(), lang) == langs.end()) langs.push_back(lang);
  }
  return std::make_unique<background_task>([langs = std::move(langs)]() noexcept {
    try {
      hyphenator h;
      for (const auto& lang : langs) h.available(lang);
    } catch (...) {
      // Only a head start: the typesetter loads (and reports) for itself.
    }
  });
}

void engine::add(std::vector<styled_text>& out, const std::string& text, const base_style& b, bool label) {
  styled_text s;
  s.text = text;
  s.style.font = face(b.family, b.bold, b.italic);
  s.style.size = b.size;
  s.style.colour = b.colour;
  s.style.lang = b.lang;
  s.style.link = b.link;
  s.style.no_hyphen = b.no_hyphen || label;
  s.style.label = label;
  out.push_back(std::move(s));
}

void engine::flatten(const doc::inlines& in, base_style b, std::vector<styled_text>& out) {
  for (const auto& n : in) {
    base_style c = b;
    switch (n.kind) {
      case doc::inline_kind::text: add(out, n.text, b); break;
      case doc::inline_kind::emphasis:
        c.italic = !b.italic;
        flatten(n.children, c, out);
        break;
      case doc::inline_kind::strong:
        c.bold = true;
        flatten(n.children, c, out);
        break;
      case doc::inline_kind::link:
        c.link = n.target;
        flatten(n.children, c, out);
        if (n.children.empty()) add(out, n.target, c);
        break;
      case doc::inline_kind::insertion: add(out, "[" + n.text + "]", b); break;
      case doc::inline_kind::direction:
        c.italic = !b.italic;
        add(out, "[" + n.text + "]", c);
        break;
      case doc::inline_kind::foreign:
        if (!n.lang.empty()) c.lang = n.lang;
        flatten(n.children, c, out);
        if (n.children.empty() && !n.text.empty()) add(out, n.text, c);
        break;
      case doc::inline_kind::code:
        c.no_hyphen = true;
        add(out, n.text, c);
        break;
      case doc::inline_kind::line_break: add(out, "\u2028", b); break;
    }
  }
}

std::size_t engine::paragraph(std::vector<styled_text> content, const para_opts& o, source_pos where) {
  paragraph_spec spec;
  spec.content = std::move(content);
  spec.width = o.width > 0 ? o.width : width_;
  spec.indent = o.indent;
  spec.align = o.al;
  spec.hyphenate = st_.hyphenation && o.hyphenate;
  spec.protrusion = st_.hanging_punctuation;
  spec.expansion = st_.font_expansion == style::expansion::off ? 0 : 0.02;
  spec.expansion_emergency_only = st_.font_expansion == style::expansion::emergency;
  spec.lang = o.lang.empty() ? lang_ : o.lang;
  set_paragraph sp = ts_.set(spec, where);
  std::size_t n = sp.lines.size();
  for (std::size_t i = 0; i < n; ++i) {
    vitem v;
    v.advance = o.leading;
    v.top = std::max(o.size, sp.lines[i].ascent);
    v.space_before = i == 0 ? o.space_before : 0;
    v.x = o.x;
    v.line = std::move(sp.lines[i]);
    if (i + 1 < n) {
      int a = ok;
      if (o.inside_never) a = never;
      else if (i == 0 || i + 2 == n) a = widow;
      if (static_cast<int>(i) + 1 < o.keep_first_lines) a = std::max(a, static_cast<int>(keep));
      if (v.line.hyphenated) a = std::max(a, static_cast<int>(hyphen));
      v.after = a;
    } else {
      v.after = o.last_after;
    }
    items_.push_back(std::move(v));
  }
  return n;
}

std::string engine::label_for(const doc::article& a, const doc::block& turn, int turn_index) {
  style::label_mode mode = st_.labels;
  doc::label_style ls = a.label_style;
  if (mode == style::label_mode::qa) ls = doc::label_style::qa;
  if (mode == style::label_mode::names) ls = doc::label_style::names;
  if (mode == style::label_mode::initials) ls = doc::label_style::initials;
  const doc::speaker* sp = nullptr;
  if (turn.speaker >= 0 && turn.speaker < static_cast<int>(a.speakers.size()))
    sp = &a.speakers[static_cast<std::size_t>(turn.speaker)];
  bool question = turn.kind == doc::block_kind::question;
  auto qa = [&]() -> std::string {
    std::string l = (a.lang.empty() ? std::string("en") : a.lang).substr(0, 2);
    if (l == "es") return question ? "P." : "R.";
    if (l == "fr") return question ? "Q." : "R.";
    if (l == "de") return question ? "F." : "A.";
    if (l == "ru") return question ? "\u2014" : "\u2014";
    return question ? "Q." : "A.";
  };
  // Someone who neither asks nor is interviewed (counsel's objection, a
  // moderator) is named in every style: "A." would give the words to the
  // interviewee. The EPUB's labels do the same.
  if (sp && !question && sp->role == doc::role::other && !(sp->name.empty() && sp->label.empty()))
    return (sp->name.empty() ? sp->label : sp->name) + ":";
  if (ls == doc::label_style::qa || !sp || sp->name.empty()) {
    if (sp && sp->name.empty() && !sp->label.empty() && ls != doc::label_style::qa) return sp->label + ":";
    return qa();
  }
  if (ls == doc::label_style::initials && turn_index > 0) {
    std::string ini;
    std::string_view nm = sp->name;
    bool at_start = true;
    for (std::size_t i = 0; i < nm.size();) {
      char32_t c = utf8::next(nm, i);
      if (utf8::is_space(c) || c == U'-') {
        at_start = true;
        continue;
      }
      if (at_start && utf8::is_letter(c)) {
        utf8::append(ini, utf8::to_upper(c));
        ini += '.';
      }
      at_start = false;
    }
    return ini + ":";
  }
  return sp->name + ":";
}

void engine::title_block(const doc::article& a, int index) {
  std::size_t first = items_.size();
  base_style h{st_.heading_font, true, false, st_.title_size, to_rgb(st_.heading_colour), a.lang, {}, true};
  std::vector<styled_text> c;
  add(c, a.title.empty() ? std::string("Untitled") : a.title, h);
  para_opts o;
  o.size = st_.title_size;
  o.leading = st_.title_size * 1.2;
  o.al = align::left;
  o.inside_never = true;
  o.last_after = never;
  o.hyphenate = false;
  paragraph(c, o, a.title_pos);
  if (!a.subtitle.empty()) {
    c.clear();
    base_style s{st_.body_font, false, true, st_.lead_size, {}, a.lang, {}, false};
    add(c, a.subtitle, s);
    o.size = st_.lead_size;
    o.leading = st_.lead_size * 1.3;
    o.space_before = st_.leading * 0.5;
    paragraph(c, o, a.title_pos);
  }
  int ie = a.interviewee();
  if (ie >= 0) {
    const auto& sp = a.speakers[static_cast<std::size_t>(ie)];
    c.clear();
    base_style s{st_.label_font, true, false, st_.body_size, to_rgb(st_.label_colour), a.lang, {}, true};
    add(c, sp.name, s);
    if (!sp.description.empty()) {
      base_style d{st_.body_font, false, true, st_.body_size, {}, a.lang, {}, false};
      add(c, sp.name.empty() ? sp.description : ", " + sp.description, d);
    }
    o = para_opts{};
    o.size = st_.body_size;
    o.leading = st_.leading;
    o.al = align::left;
    o.space_before = st_.leading * 0.75;
    o.inside_never = true;
    o.last_after = never;
    paragraph(c, o, a.title_pos);
  }
  // standfirst: leading lead blocks
  for (const auto& b : a.blocks) {
    if (b.kind != doc::block_kind::lead) break;
    c.clear();
    base_style s{st_.body_font, false, true, st_.body_size, {}, b.lang.empty() ? a.lang : b.lang, {}, false};
    flatten(b.content, s, c);
    o = para_opts{};
    o.size = st_.body_size;
    o.leading = st_.leading;
    o.space_before = st_.leading * 0.75;
    o.last_after = never;
    o.lang = s.lang;
    paragraph(c, o, b.pos);
  }
  if (!a.byline.empty()) {
    c.clear();
    base_style s{st_.body_font, false, false, st_.caption_size, {}, a.lang, {}, true};
    add(c, a.byline, s);
    o = para_opts{};
    o.size = st_.caption_size;
    o.leading = st_.leading;
    o.al = align::left;
    o.space_before = st_.leading * 0.5;
    o.inside_never = true;
    o.last_after = never;
    paragraph(c, o, a.title_pos);
  }
  if (items_.size() > first) {
    items_[first].new_page = true;
    items_[first].opening = true;
    items_[first].article = index;
    outline_entry e;
    e.title = a.title.empty() ? std::string("Untitled") : a.title;
    e.level = 0;
    items_[first].marks.push_back(e);
    items_.back().after = ok;
  }
  indent_next_ = false;
}

void engine::body_blocks(const doc::article& a, const std::vector<doc::block>& blocks, int depth) {
  int turn_index_q = 0, turn_index_a = 0;
  std::map<int, int> turns_by_speaker;
  bool first_lead = depth == 0;
  for (const auto& b : blocks) {
    std::string lang = b.lang.empty() ? a.lang : b.lang;
    base_style body{st_.body_font, false, false, st_.body_size, {}, lang, {}, false};
    para_opts o;
    o.size = st_.body_size;
    o.leading = st_.leading;
    o.lang = lang;
    o.al = st_.justification == style::justification::justify ? align::justify : align::left;
    std::vector<styled_text> c;
    switch (b.kind) {
      case doc::block_kind::lead:
        if (first_lead) continue;  // in the title block
        [[fallthrough]];
      case doc::block_kind::paragraph:
        first_lead = false;
        flatten(b.content, body, c);
        o.indent = indent_next_ ? st_.paragraph_indent * st_.body_size : 0;
        if (paragraph(c, o, b.pos) > 0) indent_next_ = true;
        break;
      case doc::block_kind::heading: {
        first_lead = false;
        base_style h{st_.heading_font, true, false, st_.heading_size, to_rgb(st_.heading_colour), lang, {}, true};
        flatten(b.content, h, c);
        o.size = st_.heading_size;
        o.leading = std::max(st_.leading, st_.heading_size * 1.25);
        o.al = align::left;
        o.space_before = st_.leading;
        o.last_after = keep;
        o.inside_never = true;
        o.hyphenate = false;
        std::size_t at = items_.size();
        if (paragraph(c, o, b.pos) > 0) {
          outline_entry e;
          e.title = doc::plain_text(b.content);
          e.level = 1;
          items_[at].marks.push_back(e);
        }
        indent_next_ = false;
        break;
      }
      case doc::block_kind::question:
      case doc::block_kind::answer: {
        first_lead = false;
        bool q = b.kind == doc::block_kind::question;
        int idx = turns_by_speaker[b.speaker]++;
        (q ? turn_index_q : turn_index_a)++;
        std::string label = label_for(a, b, idx);
        base_style lab{st_.label_font, false, false, st_.body_size,
                       to_rgb(q ? st_.question_label_colour : st_.label_colour), lang, {}, true};
        lab.bold = st_.label_weight == style::weight::bold || st_.label_weight == style::weight::bold_italic;
        lab.italic = st_.label_weight == style::weight::italic || st_.label_weight == style::weight::bold_italic;
        base_style text = body;
        if (q) {
          text.bold = st_.question_weight == style::weight::bold || st_.question_weight == style::weight::bold_italic;
          text.italic = st_.question_weight == style::weight::italic || st_.question_weight == style::weight::bold_italic;
        }
        std::size_t turn_first = items_.size();
        bool first_par = true;
        std::size_t lines_in_turn = 0;
        for (const auto& pb : b.blocks) {
          std::string plang = pb.lang.empty() ? lang : pb.lang;
          base_style t = text;
          t.lang = plang;
          std::vector<styled_text> pc;
          if (pb.kind == doc::block_kind::paragraph || pb.kind == doc::block_kind::lead) {
            if (first_par) {
              add(pc, label, lab, true);
              add(pc, " ", text);
            }
            flatten(pb.content, t, pc);
            para_opts po = o;
            po.lang = plang;
            po.indent = first_par ? 0 : st_.paragraph_indent * st_.body_size;
            po.space_before = first_par ? st_.turn_space : 0;
            if (!q && lines_in_turn < 2) po.keep_first_lines = static_cast<int>(2 - lines_in_turn);
            std::size_t n = paragraph(pc, po, pb.pos);
            if (!q && lines_in_turn < 2 && n > 0 && n + lines_in_turn < 2)
              items_.back().after = std::max(items_.back().after, static_cast<int>(keep));
            lines_in_turn += n;
            if (n > 0) first_par = false;
          } else {
            std::vector<doc::block> one{pb};
            body_blocks(a, one, depth + 1);
          }
        }
        if (q && items_.size() > turn_first) {
          items_.back().after = keep;
          outline_entry e;
          std::string t = utf8::collapse_space(doc::plain_text(b));
          if (utf8::length(t) > 70) t = t.substr(0, utf8::prefix_bytes(t, 67)) + "\u2026";
          e.title = t;
          e.level = 1;
          items_[turn_first].marks.push_back(e);
        }
        indent_next_ = true;
        break;
      }
      case doc::block_kind::figure: {
        first_lead = false;
        base_style cap{st_.body_font, false, true, st_.caption_size, {}, lang, {}, false};
        flatten(b.caption, cap, c);
        if (!b.credit.empty()) {
          base_style cr = cap;
          cr.italic = false;
          add(c, (c.empty() ? "" : " ") + b.credit, cr);
        }
        if (!b.image.empty()) {
          // relative to the input's folder
          std::filesystem::path path = b.image;
          if (path.is_relative() && !a.source_name.empty())
            path = std::filesystem::path(a.source_name).parent_path() / path;
          try {
            image::info info = image::probe(path);
            double w = info.width * 72.0 / 150.0, h = info.height * 72.0 / 150.0;  // 150 dpi
            double fit = std::min({1.0, width_ / w, height_ * 0.45 / h});
            w *= fit;
            h *= fit;
            vitem v;
            v.has_image = true;
            v.img.path = path.string();
            v.img.alt = b.alt.empty() ? doc::plain_text(b.caption) : b.alt;
            v.img.width = w;
            v.img.height = h;
            v.img.x = (width_ - w) / 2;
            v.top = h;
            v.advance = h + st_.leading * 0.5;
            v.space_before = st_.leading * 0.5;
            v.after = never;  // kept with its caption
            items_.push_back(std::move(v));
          } catch (const galley::error& e) {
            // As in the EPUB: a figure whose picture cannot be read stops
            // the conversion, so a broken image never ships unnoticed.
            diagnostic d{severity::error, a.source_name, b.pos, "figure image: " + e.diag().message, "bad-image",
                         {path.string()}};
            throw galley::error(exit_code::input_failed, std::move(d));
          }
        }
        o.size = st_.caption_size;
        o.leading = st_.caption_size * 1.3;
        o.al = align::left;
        o.space_before = !items_.empty() && items_.back().has_image ? st_.caption_size * 0.5 : st_.leading * 0.5;
        o.inside_never = true;
        std::size_t caption_at = items_.size();
        if (paragraph(c, o, b.pos) > 0 && detached_ && caption_at == 0) caption_fixups_.push_back(caption_at);
        indent_next_ = false;
        break;
      }
      case doc::block_kind::related:
      case doc::block_kind::note: {
        first_lead = false;
        base_style s{st_.body_font, false, true, st_.caption_size, {}, lang, {}, false};
        if (b.kind == doc::block_kind::related && !b.marker.empty()) {
          base_style m = s;
          m.italic = false;
          m.bold = true;
          add(c, b.marker + ": ", m);
        }
        if (!b.target.empty()) s.link = b.target;
        flatten(b.content, s, c);
        o.size = st_.caption_size;
        o.leading = st_.caption_size * 1.3;
        o.al = align::left;
        o.space_before = st_.leading * 0.5;
        o.inside_never = true;
        paragraph(c, o, b.pos);
        if (!items_.empty()) items_.back().space_before += 0;
        indent_next_ = false;
        break;
      }
      case doc::block_kind::quote: {
        first_lead = false;
        base_style s = body;
        s.italic = true;
        flatten(b.content, s, c);
        o.x = 1.5 * st_.body_size;
        o.width = width_ - 3 * st_.body_size;
        o.space_before = st_.leading * 0.5;
        paragraph(c, o, b.pos);
        indent_next_ = false;
        break;
      }
      case doc::block_kind::separator: {
        first_lead = false;
        add(c, "*\u2003*\u2003*", body);
        o.al = align::centre;
        o.space_before = st_.leading * 0.5;
        o.hyphenate = false;
        paragraph(c, o, b.pos);
        indent_next_ = false;
        break;
      }
    }
  }
}

void engine::article(const doc::article& a, int index) {
  lang_ = a.lang.empty() ? doc_.metadata.language : a.lang;
  if (lang_.empty()) lang_ = "en";
  title_block(a, index);
  body_blocks(a, a.blocks, 0);
  std::string verso = doc_.articles.size() > 1 && !doc_.metadata.title.empty() ? doc_.metadata.title : a.title;
  std::string recto;
  int ie = a.interviewee();
  if (ie >= 0) recto = a.speakers[static_cast<std::size_t>(ie)].name;
  if (recto.empty()) recto = a.title;
  running_verso_.push_back(verso);
  running_recto_.push_back(recto);
}

// The interviews, one after another, or for a book on several threads:
// each worker (an engine of its own, with its own fonts, hyphenator and
// typesetter) sets whole interviews, taking the next one in order as it
// finishes one, and the results are merged in the book's order, so the
// pages, the font numbering, the diagnostics and their order are the
// same as one thread's, whatever the number of threads and whichever
// thread set what.
void engine::articles() {
  const std::size_t na = doc_.articles.size();
  const unsigned threads = na > 1 ? worker_count(na, threads_) : 1;
  if (threads <= 1) {
    for (std::size_t k = 0; k < na; ++k) {
      // Warnings about an interview's lines name that interview's file.
      const std::size_t first = diags_.size();
      article(doc_.articles[k], static_cast<int>(k));
      diags_.attribute(first, doc_.articles[k].source_name);
    }
    return;
  }
  struct worker {
    diagnostics ignored;  // the constructor's warnings, which this engine gave already
    engine e;
    explicit worker(const engine& main) : e(main.doc_, main.st_, ignored) {
      e.detached_ = true;
      e.fonts_.take_touched();  // the constructor's, known to this engine too
      e.hyph_.take_asked_missing();
    }
  };
  std::vector<std::unique_ptr<worker>> workers(threads);
  std::vector<article_job> jobs(na);
  std::exception_ptr outer;
  try {
    for_each_index(na, threads, [&](std::size_t k, unsigned slot) {
      article_job& job = jobs[k];
      job.worker = slot;
      try {
        if (!workers[slot]) workers[slot] = std::make_unique<worker>(*this);
        engine& e = workers[slot]->e;
        e.set_detached(job);
        e.article(doc_.articles[k], static_cast<int>(k));
        job.items = std::move(e.items_);
        job.caption_fixups = std::move(e.caption_fixups_);
        job.fonts = e.fonts_.take_touched();
        job.no_hyphenation = e.hyph_.take_asked_missing();
        job.verso = std::move(e.running_verso_.back());
        job.recto = std::move(e.running_recto_.back());
        e.ts_.capture_warnings(nullptr);
        job.done = true;
      } catch (...) {
        job.error = std::current_exception();
        throw;  // no interview after this one is started
      }
    });
  } catch (...) {
    // A job's error is reported below, in the book's order, after what
    // came before it; anything else (no memory for the workers) as it is.
    outer = std::current_exception();
  }
  std::vector<std::vector<int>> font_maps(threads);
  for (std::size_t k = 0; k < na; ++k) {
    article_job& job = jobs[k];
    const std::size_t first = diags_.size();
    for (auto& d : job.warnings) diags_.add(d.severity, d.pos, std::move(d.code), std::move(d.message));
    if (job.error) std::rethrow_exception(job.error);  // as the loop above would: unattributed
    if (!job.done) {
      if (outer) std::rethrow_exception(outer);
      fail(exit_code::internal, "", "internal", "an interview was not set");
    }
    diags_.attribute(first, doc_.articles[k].source_name);
    merge(job, workers[job.worker]->e, font_maps[job.worker]);
  }
}

// Gets a worker ready for one interview: nothing of the last one left.
void engine::set_detached(article_job& job) {
  items_.clear();
  caption_fixups_.clear();
  running_verso_.clear();
  running_recto_.clear();
  fonts_.take_touched();
  hyph_.take_asked_missing();
  ts_.capture_warnings(&job.warnings);
}

// Adds an interview a worker set: its faces first (in the order the worker
// touched them, which numbers new ones as one engine would have), then its
// items with their runs renumbered, and what the hyphenator missed.
void engine::merge(article_job& job, const engine& worker, std::vector<int>& font_map) {
  for (int f : job.fonts) {
    const auto i = static_cast<std::size_t>(f);
    if (i >= font_map.size()) font_map.resize(i + 1, -1);
    font_map[i] = fonts_.adopt(worker.fonts_, f);
  }
  for (const auto& lang : job.no_hyphenation) hyph_.note_missing(lang);
  for (std::size_t at : job.caption_fixups)
    if (!items_.empty() && items_.back().has_image && at < job.items.size())
      job.items[at].space_before = st_.caption_size * 0.5;
  for (auto& v : job.items) {
    for (auto& r : v.line.runs) {
      const auto i = static_cast<std::size_t>(r.font);
      if (i >= font_map.size() || font_map[i] < 0)
        fail(exit_code::internal, "", "internal", "a worker's face was not merged");
      r.font = font_map[i];
    }
    items_.push_back(std::move(v));
  }
  running_verso_.push_back(std::move(job.verso));
  running_recto_.push_back(std::move(job.recto));
}

void engine::paginate(std::size_t from, std::vector<placed>& out) {
  std::size_t N = items_.size();
  std::size_t i = from;
  while (i < N) {
    std::size_t s = i;
    std::vector<double> depth;  // baseline distance from the block's top, per item
    double y = 0;
    std::size_t j = s;
    for (; j < N; ++j) {
      if (j > s && items_[j].new_page) break;
      double ny = j == s ? items_[j].top : y + items_[j].space_before + items_[j].advance;
      if (j > s && ny > height_ + 0.01) break;
      y = ny;
      depth.push_back(y);
    }
    std::size_t end = j;  // the page holds [s, end)
    if (j < N && !items_[j].new_page) {
      // choose where to break among [s, j-1]
      // A page that ends in a hyphen costs as much as one ten lines short:
      // only a longer gap, a widow or a broken keep is worse.
      static const double class_cost[] = {0, 1000, 2000, 5000, 1e9};
      double best = 1e18;
      std::size_t best_k = j - 1;
      for (std::size_t k = j; k-- > s;) {
        double short_by = (depth.back() - depth[k - s]) / st_.leading;
        double cost = short_by * short_by * 10 + class_cost[std::clamp(items_[k].after, 0, 4)];
        if (cost < best) {
          best = cost;
          best_k = k;
        }
      }
      int cls = items_[best_k].after;
      if (cls >= widow && cls < never)
        diags_.warning({}, "layout-page-rule",
                       "page " + std::to_string(out.size() + 1) + ": a widow, orphan or keep could not be avoided");
      if (cls == never && best_k + 1 < j)
        diags_.warning({}, "layout-page-rule", "page " + std::to_string(out.size() + 1) + ": a block had to be split");
      end = best_k + 1;
    }
    placed pl;
    pl.first = s;
    pl.last = end;
    pl.baselines.assign(depth.begin(), depth.begin() + static_cast<long>(end - s));
    out.push_back(std::move(pl));
    i = end;
  }
}

text_run engine::simple_run(int font, double size, const std::string& s, rgb c) {
  text_run r;
  r.font = font;
  r.size = size;
  r.colour = c;
  const shaped_text& sh = fonts_.shape(font, s);
  for (std::size_t k = 0; k < sh.cps.size(); ++k) {
    utf8::append(r.text, sh.cps[k]);
    if (sh.kern[k] != 0) r.adjust.emplace_back(static_cast<std::uint32_t>(k), sh.kern[k]);
  }
  return r;
}

std::string engine::fit(int font, double size, const std::string& s, double w) {
  if (fonts_.shape(font, s).width() * size / 1000 <= w) return s;
  // Shorten at a word boundary ("...army should…", not "...army s…");
  // a single word too long for the line is cut where it must be.
  std::string t = s;
  while (!t.empty()) {
    std::size_t sp = t.find_last_of(' ');
    if (sp != std::string::npos && sp > 0) {
      t = std::string(utf8::trim(std::string_view(t).substr(0, sp)));
      while (!t.empty() && (t.back() == ',' || t.back() == ':' || t.back() == ';')) t.pop_back();
    } else {
      std::size_t n = utf8::length(t);
      t = t.substr(0, utf8::prefix_bytes(t, n - 1));
    }
    std::string c = std::string(utf8::trim(t)) + "\u2026";
    if (fonts_.shape(font, c).width() * size / 1000 <= w) return c;
  }
  return {};
}

pages engine::run() {
  pages P;
  std::size_t na = doc_.articles.size();
  bool book = na > 1;
  std::vector<placed> front_pages;
  // Front matter for books: title page and contents, laid out first so their
  // page count is known; page numbers are filled in afterwards.
  std::size_t toc_begin = 0, toc_end = 0;
  if (book) {
    lang_ = doc_.metadata.language.empty() ? "en" : doc_.metadata.language;
    if (st_.title_page) {
      std::string title = doc_.metadata.title.empty() ? std::string("Interviews") : doc_.metadata.title;
      base_style h{st_.heading_font, true, false, st_.title_size * 1.3, to_rgb(st_.heading_colour), lang_, {}, true};
      std::vector<styled_text> c;
      add(c, title, h);
      para_opts o;
      o.size = h.size;
      o.leading = h.size * 1.2;
      o.al = align::centre;
      o.inside_never = true;
      o.last_after = never;
      o.hyphenate = false;
      std::size_t at = items_.size();
      paragraph(c, o, {});
      if (items_.size() > at) {
        items_[at].new_page = true;
        items_[at].top = height_ / 3;
      }
      if (!doc_.metadata.subtitle.empty()) {
        c.clear();
        base_style s{st_.body_font, false, true, st_.lead_size * 1.2, {}, lang_, {}, true};
        add(c, doc_.metadata.subtitle, s);
        o.size = s.size;
        o.leading = s.size * 1.3;
        o.space_before = st_.leading;
        paragraph(c, o, {});
      }
      std::string names;
      for (const auto& ct : doc_.metadata.contributors) names += (names.empty() ? "" : ", ") + ct.name;
      if (!names.empty()) {
        c.clear();
        base_style s{st_.body_font, false, false, st_.lead_size, {}, lang_, {}, true};
        add(c, names, s);
        o.size = s.size;
        o.leading = st_.leading;
        o.space_before = st_.leading * 2;
        paragraph(c, o, {});
      }
      if (!items_.empty()) items_.back().after = ok;
    }
    if (st_.table_of_contents) {
      std::vector<styled_text> c;
      base_style h{st_.heading_font, true, false, st_.heading_size * 1.2, to_rgb(st_.heading_colour), lang_, {}, true};
      add(c, lang_.rfind("es", 0) == 0 ? "Índice" : "Contents", h);
      para_opts o;
      o.size = h.size;
      o.leading = h.size * 1.4;
      o.al = align::left;
      o.last_after = keep;
      o.hyphenate = false;
      std::size_t at = items_.size();
      paragraph(c, o, {});
      if (items_.size() > at) items_[at].new_page = true;
      toc_begin = items_.size();
      for (std::size_t k = 0; k < na; ++k) {
        const auto& a = doc_.articles[k];
        c.clear();
        base_style s{st_.body_font, false, false, st_.body_size, {}, lang_, {}, true};
        add(c, a.title.empty() ? std::string("Untitled") : a.title, s);
        int ie = a.interviewee();
        if (ie >= 0 && !a.speakers[static_cast<std::size_t>(ie)].name.empty()) {
          base_style n = s;
          n.italic = true;
          add(c, " \u2014 " + a.speakers[static_cast<std::size_t>(ie)].name, n);
        }
        para_opts e;
        e.size = st_.body_size;
        e.leading = st_.leading;
        e.al = align::left;
        e.width = width_ - 3 * st_.body_size;
        e.space_before = k == 0 ? st_.leading * 0.5 : st_.leading * 0.25;
        e.inside_never = true;
        e.hyphenate = false;
        std::size_t first = items_.size();
        paragraph(c, e, {});
        for (std::size_t t = first; t < items_.size(); ++t) items_[t].toc_entry = static_cast<int>(k);
      }
      toc_end = items_.size();
    }
    paginate(0, front_pages);
  }
  std::size_t body_from = items_.size();
  articles();
  std::vector<placed> body_pages;
  paginate(body_from, body_pages);

  // Build the pages.
  const double bleed = st_.bleed_pt();
  const double W = st_.page_width(), H = st_.page_height();
  std::vector<placed> all = front_pages;
  all.insert(all.end(), body_pages.begin(), body_pages.end());
  std::vector<int> page_of_article(na, -1);
  std::vector<double> y_of_article(na, 0);
  int folio_body = 0;
  std::vector<int> article_on_page(all.size(), -1);
  std::vector<bool> opening_page(all.size(), false);
  int current_article = -1;
  for (std::size_t p = 0; p < all.size(); ++p) {
    page pg;
    pg.width = W + 2 * bleed;
    pg.height = H + 2 * bleed;
    if (bleed > 0) {
      pg.trim_box = rect{bleed, bleed, bleed + W, bleed + H};
      pg.bleed_box = rect{0, 0, pg.width, pg.height};
    }
    bool front = p < front_pages.size();
    pg.label = front ? roman(static_cast<int>(p) + 1) : std::to_string(++folio_body);
    bool recto = p % 2 == 0;
    double left = bleed + style::mm(recto ? st_.margin_inner : st_.margin_outer);
    double top = bleed + H - style::mm(st_.margin_top);
    const placed& pl = all[p];
    for (std::size_t k = pl.first; k < pl.last; ++k) {
      vitem& v = items_[k];
      double base = top - pl.baselines[k - pl.first];
      if (v.article >= 0) current_article = v.article;
      if (v.opening) {
        opening_page[p] = true;
        page_of_article[static_cast<std::size_t>(v.article)] = static_cast<int>(p);
        y_of_article[static_cast<std::size_t>(v.article)] = std::min(pg.height, base + v.line.ascent + 4);
      }
      if (v.has_image) {
        image_item im = v.img;
        im.x += left + v.x;
        im.y = base;
        pg.images.push_back(std::move(im));
      }
      for (auto& r : v.line.runs) {
        text_run t = r;
        t.x += left + v.x;
        t.y = base;
        pg.runs.push_back(std::move(t));
      }
      for (const auto& l : v.line.links) {
        link lk;
        lk.area = rect{left + v.x + l.x1, base - v.line.descent, left + v.x + l.x2, base + v.line.ascent};
        lk.uri = l.uri;
        pg.links.push_back(lk);
      }
      for (auto e : v.marks) {
        e.page = static_cast<int>(p);
        e.y = std::min(pg.height, base + v.line.ascent + 2);
        P.outline.push_back(e);
      }
    }
    article_on_page[p] = front ? -1 : current_article;
    P.list.push_back(std::move(pg));
  }
  // Contents: leaders, page numbers and links, now that pages are known.
  if (book && st_.table_of_contents) {
    for (std::size_t p = 0; p < front_pages.size(); ++p) {
      const placed& pl = all[p];
      bool recto = p % 2 == 0;
      double left = bleed + style::mm(recto ? st_.margin_inner : st_.margin_outer);
      double top = bleed + H - style::mm(st_.margin_top);
      for (std::size_t k = pl.first; k < pl.last; ++k) {
        const vitem& v = items_[k];
        if (v.toc_entry < 0 || k < toc_begin || k >= toc_end) continue;
        bool last_of_entry = k + 1 >= toc_end || items_[k + 1].toc_entry != v.toc_entry;
        double base = top - pl.baselines[k - pl.first];
        int target = page_of_article[static_cast<std::size_t>(v.toc_entry)];
        if (target >= 0) {
          link lk;
          lk.area = rect{left, base - v.line.descent, left + width_, base + v.line.ascent};
          lk.dest_page = target;
          lk.dest_y = y_of_article[static_cast<std::size_t>(v.toc_entry)];
          P.list[p].links.push_back(lk);
        }
        if (!last_of_entry || target < 0) continue;
        std::string num = P.list[static_cast<std::size_t>(target)].label;
        text_run nr = simple_run(body_, st_.body_size, num, {});
        double nw = fonts_.shape(body_, num).width() * st_.body_size / 1000;
        nr.x = left + width_ - nw;
        nr.y = base;
        double text_end = left;
        for (const auto& r : v.line.runs)
          text_end = std::max(text_end, left + r.x + fonts_.shape(r.font, r.text).width() * r.size / 1000);
        double pitch = st_.body_size * 0.45;
        double dot = fonts_.advance(body_, U'.') * st_.body_size / 1000;
        long k0 = static_cast<long>(std::ceil((text_end + pitch - left) / pitch));
        long k1 = static_cast<long>(std::floor((nr.x - pitch * 0.8 - dot - left) / pitch));
        if (k1 >= k0) {
          text_run d;
          d.font = body_;
          d.size = st_.body_size;
          d.x = left + static_cast<double>(k0) * pitch;
          d.y = base;
          for (long q = k0; q <= k1; ++q) {
            d.text += '.';
            if (q < k1) d.adjust.emplace_back(static_cast<std::uint32_t>(q - k0), (pitch - dot) * 1000 / st_.body_size);
          }
          P.list[p].runs.push_back(std::move(d));
        }
        P.list[p].runs.push_back(std::move(nr));
      }
    }
  }
  // Running heads and folios.
  int small = face(st_.body_font, false, true);
  int small_r = body_;
  for (std::size_t p = 0; p < P.list.size(); ++p) {
    page& pg = P.list[p];
    bool recto = p % 2 == 0;
    bool front = p < front_pages.size();
    double left = bleed + style::mm(recto ? st_.margin_inner : st_.margin_outer);
    if (st_.folios && !(front && p == 0 && st_.title_page)) {
      text_run f = simple_run(small_r, st_.small_size, pg.label, {});
      double w = fonts_.shape(small_r, pg.label).width() * st_.small_size / 1000;
      f.x = left + (width_ - w) / 2;
      f.y = bleed + style::mm(st_.margin_bottom) * 0.45;
      pg.runs.push_back(std::move(f));
    }
    int art = article_on_page[p];
    if (st_.running_heads && !front && art >= 0 && !opening_page[p]) {
      std::string t = recto ? running_recto_[static_cast<std::size_t>(art)] : running_verso_[static_cast<std::size_t>(art)];
      t = fit(small, st_.small_size, utf8::collapse_space(t), width_);
      if (!t.empty()) {
        text_run r = simple_run(small, st_.small_size, t, {});
        double w = fonts_.shape(small, t).width() * st_.small_size / 1000;
        r.x = left + (width_ - w) / 2;
        r.y = bleed + H - style::mm(st_.margin_top) * 0.55;
        pg.runs.push_back(std::move(r));
      }
    }
  }
  P.fonts = fonts_.files();

  // Document information.
  const auto& md = doc_.metadata;
  P.info.title = !md.title.empty() ? md.title : (na > 0 ? doc_.articles[0].title : std::string());
  std::vector<std::string> names;
  auto add_name = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  for (const auto& a : doc_.articles)
    for (const auto& s : a.speakers)
      if (s.role == doc::role::interviewee) add_name(s.name);
  for (const auto& a : doc_.articles)
    for (const auto& s : a.speakers)
      if (s.role == doc::role::interviewer) add_name(s.name);
  if (names.empty())
    for (const auto& c : md.contributors) add_name(c.name);
  for (const auto& n : names) P.info.author += (P.info.author.empty() ? "" : ", ") + n;
  std::vector<std::string> subjects = md.subjects;
  for (const auto& a : doc_.articles)
    if (!a.subject.empty() && std::find(subjects.begin(), subjects.end(), a.subject) == subjects.end())
      subjects.push_back(a.subject);
  if (!subjects.empty()) P.info.subject = subjects.front();
  for (const auto& s : subjects) P.info.keywords += (P.info.keywords.empty() ? "" : ", ") + s;
  P.info.lang = !md.language.empty() ? md.language : (na > 0 ? doc_.articles[0].lang : std::string());
  const std::string& d = md.date.empty() && na == 1 ? doc_.articles[0].date : md.date;
  bool iso = d.size() >= 4 && d.size() <= 10;
  for (std::size_t i = 0; i < d.size() && iso; ++i)
    iso = (i == 4 || i == 7) ? d[i] == '-' : std::isdigit(static_cast<unsigned char>(d[i])) != 0;
  if (iso && (d.size() == 4 || d.size() == 7 || d.size() == 10)) P.info.date = d;

  for (const auto& l : hyph_.missing())
    diags_.info({}, "layout-no-hyphenation", "no hyphenation patterns for language '" + l + "'");
  return P;
}

std::string num(double v) {
  char buf[32];
  double r = std::round(v * 10) / 10;
  if (r == 0) r = 0;
  std::snprintf(buf, sizeof buf, "%.1f", r);
  return buf;
}

std::string quoted(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + '"';
}

std::string colour_str(const rgb& c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(c.r * 255)),
                static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255)));
  return buf;
}

}  // namespace

pages layout_document(const doc::document& document, const style::print_style& style,
                      diagnostics& diags, const layout_options& options) {
  engine e(document, style, diags, options.threads);
  return e.run();
}

pages layout_document(const doc::document& document, const style::print_style& style,
                      diagnostics& diags) {
  return layout_document(document, style, diags, layout_options{});
}

std::string dump_layout(const pages& p) {
  std::string o;
  o += "info title=" + quoted(p.info.title) + " author=" + quoted(p.info.author) +
       " lang=" + quoted(p.info.lang) + "\n";
  for (std::size_t i = 0; i < p.fonts.size(); ++i)
    o += "font " + std::to_string(i) + " " + quoted(p.fonts[i].family) + " " + quoted(p.fonts[i].style) + "\n";
  for (std::size_t i = 0; i < p.list.size(); ++i) {
    const page& pg = p.list[i];
    o += "page " + std::to_string(i + 1) + " label=" + quoted(pg.label) + " size=" + num(pg.width) + "x" +
         num(pg.height) + "\n";
    if (pg.trim_box.x2 > 0)
      o += "  trim " + num(pg.trim_box.x1) + " " + num(pg.trim_box.y1) + " " + num(pg.trim_box.x2) + " " +
           num(pg.trim_box.y2) + "\n";
    for (const auto& r : pg.runs) {
      o += "  run f" + std::to_string(r.font) + " " + num(r.size) + " @" + num(r.x) + "," + num(r.y);
      if (r.colour.r != 0 || r.colour.g != 0 || r.colour.b != 0) o += " " + colour_str(r.colour);
      if (r.horizontal_scale != 100) o += " tz" + num(r.horizontal_scale);
      o += " " + quoted(r.text);
      if (!r.adjust.empty()) {
        o += " adj";
        for (const auto& [k, v] : r.adjust) o += " " + std::to_string(k) + ":" + num(v);
      }
      o += "\n";
    }
    for (const auto& r : pg.rules)
      o += "  rule " + num(r.x1) + "," + num(r.y1) + " " + num(r.x2) + "," + num(r.y2) + " w" + num(r.width) + "\n";
    for (const auto& im : pg.images)
      o += "  image " + quoted(im.path) + " @" + num(im.x) + "," + num(im.y) + " " + num(im.width) + "x" +
           num(im.height) + "\n";
    for (const auto& l : pg.links) {
      o += "  link " + num(l.area.x1) + "," + num(l.area.y1) + " " + num(l.area.x2) + "," + num(l.area.y2);
      if (!l.uri.empty()) o += " uri=" + quoted(l.uri);
      else o += " page=" + std::to_string(l.dest_page + 1) + " y=" + num(l.dest_y);
      o += "\n";
    }
  }
  for (const auto& e : p.outline)
    o += "outline " + std::to_string(e.level) + " page=" + std::to_string(e.page + 1) + " y=" + num(e.y) + " " +
         quoted(e.title) + "\n";
  return o;
}

}  // namespace galley::layout
