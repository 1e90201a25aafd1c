// The document tree to the files of an EPUB 3 package.
//
// Package layout (flat, so every href is a bare file name):
//   mimetype  META-INF/container.xml
//   EPUB/package.opf  EPUB/nav.xhtml  EPUB/toc.ncx  EPUB/style.css
//   EPUB/cover.xhtml  EPUB/title.xhtml  EPUB/a001.xhtml ...  EPUB/images/...
//
// Interview markup. Each interview is a `doc-chapter` section; its body is
//   <section class="qna" epub:type="qna" role="doc-qna" aria-label="Interview">
// `qna` is in the EPUB 3 Structural Semantics Vocabulary and `doc-qna` in
// DPUB-ARIA 1.0 ("a section of content consisting of a list of questions and
// answers, such as an interview"); both validators know them (epubcheck
// 4.2.6's aria.rnc, Ace's axe). Ace requires the role beside the epub:type
// (rule epub-type-has-matching-role), so the two go together. Each turn is a
// <div class="turn question|answer" data-speaker="..."> holding one <p> per
// paragraph, the first starting with <b class="speaker">label</b> (the HTML
// "Conversations" pattern; not <dl>).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <set>
#include <system_error>
#include <unordered_map>

#include "base/diagnostics.hpp"
#include "base/parallel.hpp"
#include "base/utf8.hpp"
#include "epub/epub.hpp"
#include "epub/internal.hpp"

namespace galley::epub {

namespace fs = std::filesystem;
using namespace detail;

namespace {

constexpr const char* xhtml_ns = "http://www.w3.org/1999/xhtml";
constexpr const char* ops_ns = "http://www.idpf.org/2007/ops";

// ---------------------------------------------------------------- words

struct words {
  const char* question;  // qa labels
  const char* answer;
  const char* colon;     // after a label
  const char* contents;
  const char* landmarks;
  const char* cover;
  const char* title_page;
  const char* start;
  const char* interview;  // the qna section's accessible name
  const char* interview_by;
  const char* related;
};

const words& words_for(std::string_view lang) {
  static const words en{"Q", "A", ":", "Contents", "Landmarks", "Cover", "Title page", "Start of content",
                        "Interview", "Interview by", "Related"};
  static const words es{"P", "R", ":", "Índice", "Puntos de referencia", "Cubierta", "Portadilla",
                        "Inicio del contenido", "Entrevista", "Entrevista de", "Relacionado"};
  static const words ru{"В", "О", ":", "Содержание", "Ориентиры", "Обложка", "Титульный лист", "Начало",
                        "Интервью", "Интервью провёл", "По теме"};
  static const words fr{"Q", "R", "\u00A0:", "Sommaire", "Repères", "Couverture", "Page de titre",
                        "Début du contenu", "Entretien", "Entretien réalisé par", "À lire aussi"};
  static const words de{"F", "A", ":", "Inhalt", "Orientierungspunkte", "Umschlag", "Titelseite", "Textbeginn",
                        "Interview", "Interview von", "Mehr zum Thema"};
  std::string primary;
  for (char c : lang) {
    if (c == '-') break;
    primary += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (primary == "es") return es;
  if (primary == "ru" || primary == "be" || primary == "uk") return ru;
  if (primary == "fr") return fr;
  if (primary == "de") return de;
  return en;
}

// ---------------------------------------------------------------- helpers

void set_lang(pugi::xml_node n, const std::string& lang) {
  n.append_attribute("lang") = lang.c_str();
  n.append_attribute("xml:lang") = lang.c_str();
}

pugi::xml_node add(pugi::xml_node parent, const char* name, const char* cls = nullptr) {
  auto n = parent.append_child(name);
  if (cls) n.append_attribute("class") = cls;
  return n;
}

void add_text(pugi::xml_node parent, std::string_view s) {
  parent.append_child(pugi::node_pcdata).set_value(std::string(s).c_str());
}

pugi::xml_node add_text_element(pugi::xml_node parent, const char* name, std::string_view s,
                                const char* cls = nullptr) {
  auto n = add(parent, name, cls);
  add_text(n, s);
  return n;
}

bool safe_url(std::string_view u) {
  return u.starts_with("http://") || u.starts_with("https://") || u.starts_with("mailto:") ||
         u.starts_with("ftp://");
}

// Percent-encodes what may not appear in an IRI attribute as written
// (non-ASCII bytes, spaces, quotes, angle brackets, a lone %).
std::string encode_url(std::string_view u) {
  static constexpr char hexd[] = "0123456789ABCDEF";
  auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const auto c = static_cast<unsigned char>(u[i]);
    const bool lone_percent = c == '%' && !(i + 2 < u.size() && is_hex(u[i + 1]) && is_hex(u[i + 2]));
    if (c >= 0x80 || c <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}' || lone_percent) {
      out += '%';
      out += hexd[c >> 4];
      out += hexd[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Words up to about max code points, ending with an ellipsis when cut.
std::string shorten(std::string_view s, std::size_t max) {
  const std::string t = utf8::collapse_space(s);
  if (utf8::length(t) <= max) return t;
  std::string out;
  std::size_t i = 0, count = 0, last_space = 0;
  while (i < t.size() && count < max) {
    const std::size_t start = i;
    const char32_t c = utf8::next(t, i);
    if (c == ' ') last_space = start;
    ++count;
  }
  out = t.substr(0, last_space > 0 ? last_space : i);
  while (!out.empty() && (out.back() == ',' || out.back() == ';' || out.back() == ':')) out.pop_back();
  return out + "\u2026";
}

std::string initials(std::string_view name) {
  std::string out;
  bool at_word = true;
  std::size_t i = 0;
  while (i < name.size()) {
    const char32_t c = utf8::next(name, i);
    if (utf8::is_letter(c)) {
      if (at_word) utf8::append(out, utf8::to_upper(c));
      at_word = false;
    } else {
      at_word = c == ' ' || c == '-' || c == 0x00A0;
    }
  }
  return out;
}

bool w3c_date(std::string_view s) {
  // YYYY, YYYY-MM, YYYY-MM-DD (the forms epubcheck accepts without a warning).
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (s.size() == 4) return digits(0, 4);
  if (s.size() == 7) return digits(0, 4) && s[4] == '-' && digits(5, 2);
  if (s.size() == 10) return digits(0, 4) && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2);
  return false;
}

bool valid_modified(std::string_view s) {
  if (s.size() != 20) return false;
  for (std::size_t i = 0; i < 20; ++i) {
    const char c = s[i];
    const bool ok = (i == 4 || i == 7) ? c == '-' : i == 10 ? c == 'T' : (i == 13 || i == 16) ? c == ':' :
                    i == 19 ? c == 'Z' : (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

pugi::xml_document new_xhtml(const std::string& lang, const std::string& title, bool css, pugi::xml_node& body,
                             const char* body_type) {
  pugi::xml_document doc;
  doc.append_child(pugi::node_doctype).set_value("html");
  auto html = doc.append_child("html");
  html.append_attribute("xmlns") = xhtml_ns;
  html.append_attribute("xmlns:epub") = ops_ns;
  set_lang(html, lang);
  auto head = html.append_child("head");
  head.append_child("meta").append_attribute("charset") = "utf-8";
  add_text_element(head, "title", title);
  if (css) {
    auto link = head.append_child("link");
    link.append_attribute("rel") = "stylesheet";
    link.append_attribute("type") = "text/css";
    link.append_attribute("href") = "style.css";
  }
  body = html.append_child("body");
  if (body_type) body.append_attribute("epub:type") = body_type;
  return doc;
}

struct chapter_toc {
  std::string file, title;
  std::vector<std::pair<std::string, std::string>> questions;  // anchor, text
};

// ---------------------------------------------------------------- chapters

// What every chapter reads and none changes, settled before any is built.
struct chapter_settings {
  const std::string& lang;   // the book's
  const std::string& title;  // the book's, for an interview without one
  bool css;
  const std::string& label_mode;  // the option's: empty for each article's own
  // The package href of every figure with an image, found by the builder's
  // pre-pass (builder::find_images).
  const std::unordered_map<const doc::block*, std::string>& figure_hrefs;
};

// One interview's file and what the rest of the package needs from it.
struct chapter_result {
  std::string xhtml;
  chapter_toc toc;
  int figures_with_image = 0, figures_without_alt = 0;
};

// Builds one interview's XHTML with state of its own (labels, question and
// heading numbers), so that a book's chapters can be built at the same time.
class chapter_writer {
 public:
  chapter_writer(const chapter_settings& s, const doc::article& a) : s_(s), art_(&a) {}
  chapter_result write(const std::string& file);

 private:
  const chapter_settings& s_;
  const doc::article* art_;
  std::string art_lang_;
  std::string label_mode_;
  std::set<int> labelled_;
  int question_no_ = 0;
  int last_heading_ = 1;
  chapter_result out_;

  void inlines(pugi::xml_node parent, const doc::inlines& content);
  void block(pugi::xml_node parent, const doc::block& b);
  void turn(pugi::xml_node parent, const doc::block& b);
  std::string label_for(const doc::block& b);
};

// ---------------------------------------------------------------- the builder

class builder {
 public:
  builder(const doc::document& d, const epub_options& o) : d_(d), o_(o) {}
  std::vector<entry> build();

 private:
  const doc::document& d_;
  const epub_options& o_;
  std::string lang_;  // the book's language
  std::string title_;
  bool css_ = false;

  // images
  fs::path base_;
  std::map<std::string, std::string> image_names_;  // resolved path -> package href
  std::vector<entry> image_entries_;
  std::vector<std::pair<std::string, std::string>> image_items_;  // href, media type
  std::unordered_map<const doc::block*, std::string> figure_hrefs_;
  std::string cover_href_, cover_type_;
  int figures_with_image_ = 0, figures_without_alt_ = 0;

  std::vector<chapter_toc> toc_;

  fs::path resolve(const std::string& path, bool restrict, const std::string& file, source_pos pos);
  std::string add_image(const std::string& path, const std::string& file, source_pos pos);
  void add_cover();
  void find_images(const doc::block& b, const std::string& file);

  std::string cover_xhtml();
  std::string svg_cover(pugi::xml_node parent);
  std::string title_xhtml();
  std::string nav_xhtml();
  std::string ncx(const std::string& id);
  std::string opf(const std::string& id, const std::vector<std::string>& chapters);
};

// ---------------------------------------------------------------- images

fs::path builder::resolve(const std::string& path, bool restrict, const std::string& file, source_pos pos) {
  const fs::path p(path);
  const fs::path full = p.is_absolute() ? p : base_ / p;
  std::error_code ec;
  fs::path canon = fs::weakly_canonical(full, ec);
  if (ec) canon = full.lexically_normal();
  if (restrict) {
    fs::path cbase = fs::weakly_canonical(base_, ec);
    if (ec) cbase = base_.lexically_normal();
    const fs::path rel = canon.lexically_relative(cbase);
    if (rel.empty() || rel.is_absolute() || *rel.begin() == "..") {
      diagnostic diag{severity::error, file, pos, "image '" + path + "' is outside the input folder",
                      "image-outside-base", {"the input folder is '" + base_.string() + "'"}};
      throw error(exit_code::input_failed, std::move(diag));
    }
  }
  return canon;
}

std::string builder::add_image(const std::string& path, const std::string& file, source_pos pos) {
  const fs::path p = resolve(path, true, file, pos);
  const std::string key = p.string();
  if (auto it = image_names_.find(key); it != image_names_.end()) return it->second;
  const image_format f = check_image(p, file, pos);
  const std::string ext = f == image_format::png ? ".png" : ".jpg";
  char num[16];
  std::snprintf(num, sizeof num, "%03zu", image_names_.size() + 1);
  const std::string href = "images/img-" + std::string(num) + ext;
  image_names_[key] = href;
  image_entries_.push_back({"EPUB/" + href, read_file(p), false, false});
  image_items_.emplace_back(href, f == image_format::png ? "image/png" : "image/jpeg");
  return href;
}

void builder::add_cover() {
  std::string path = o_.cover_image;
  bool restrict = false;
  std::string file = path;
  if (path.empty() && !d_.metadata.cover.empty()) {
    path = d_.metadata.cover;
    restrict = true;
    file = d_.articles.empty() ? std::string() : d_.articles.front().source_name;
  }
  if (path.empty()) return;
  const fs::path p = resolve(path, restrict, file, {});
  const image_format f = check_image(p, file, {});
  cover_href_ = f == image_format::png ? "images/cover.png" : "images/cover.jpg";
  cover_type_ = f == image_format::png ? "image/png" : "image/jpeg";
  image_entries_.insert(image_entries_.begin(), entry{"EPUB/" + cover_href_, read_file(p), false, false});
}

// Adds the images of b and its children in the order chapter_writer::block
// meets them (figures, and the blocks of a question or answer), recording
// each figure's href for the chapter.
void builder::find_images(const doc::block& b, const std::string& file) {
  using k = doc::block_kind;
  if (b.kind == k::figure && !b.image.empty()) {
    figure_hrefs_[&b] = add_image(b.image, file, b.pos);
  } else if (b.kind == k::question || b.kind == k::answer) {
    for (const auto& c : b.blocks) find_images(c, file);
  }
}

// ---------------------------------------------------------------- content

void chapter_writer::inlines(pugi::xml_node parent, const doc::inlines& content) {
  for (const auto& n : content) {
    switch (n.kind) {
      case doc::inline_kind::text: add_text(parent, n.text); break;
      case doc::inline_kind::emphasis: inlines(add(parent, "em"), n.children); break;
      case doc::inline_kind::strong: inlines(add(parent, "strong"), n.children); break;
      case doc::inline_kind::link:
        if (safe_url(n.target)) {
          auto a = add(parent, "a");
          a.append_attribute("href") = encode_url(n.target).c_str();
          inlines(a, n.children);
        } else {
          inlines(parent, n.children);
        }
        break;
      case doc::inline_kind::insertion: add_text_element(parent, "span", "[" + n.text + "]", "insertion"); break;
      case doc::inline_kind::direction: add_text_element(parent, "span", "[" + n.text + "]", "direction"); break;
      case doc::inline_kind::foreign: {
        auto s = add(parent, "span", "foreign");
        if (!n.lang.empty()) set_lang(s, n.lang);
        inlines(s, n.children);
        break;
      }
      case doc::inline_kind::code: add_text_element(parent, "code", n.text); break;
      case doc::inline_kind::line_break: parent.append_child("br"); break;
    }
  }
}

std::string chapter_writer::label_for(const doc::block& b) {
  const words& w = words_for(art_lang_);
  const bool question = b.kind == doc::block_kind::question;
  const doc::speaker* s = nullptr;
  if (b.speaker >= 0 && static_cast<std::size_t>(b.speaker) < art_->speakers.size())
    s = &art_->speakers[static_cast<std::size_t>(b.speaker)];
  std::string qa = question ? w.question : w.answer;
  if (s && !question && s->role == doc::role::other) qa = !s->name.empty() ? s->name : !s->label.empty() ? s->label : qa;
  std::string label = qa;
  if (label_mode_ != "qa" && s) {
    const std::string name = !s->name.empty() ? s->name : s->label;
    if (!name.empty()) {
      label = name;
      if (label_mode_ == "initials" && labelled_.contains(b.speaker) && !s->name.empty()) label = initials(s->name);
      labelled_.insert(b.speaker);
    }
  }
  return label + w.colon;
}

void chapter_writer::turn(pugi::xml_node parent, const doc::block& b) {
  const bool question = b.kind == doc::block_kind::question;
  auto div = add(parent, "div", question ? "turn question" : "turn answer");
  if (question) {
    ++question_no_;
    const std::string id = "q" + std::to_string(question_no_);
    div.append_attribute("id") = id.c_str();
    std::string text;
    for (const auto& c : b.blocks)
      if (c.kind == doc::block_kind::paragraph) {
        text = doc::plain_text(c.content);
        break;
      }
    out_.toc.questions.emplace_back(id, shorten(text, 90));
  }
  if (b.speaker >= 0 && static_cast<std::size_t>(b.speaker) < art_->speakers.size()) {
    const auto& s = art_->speakers[static_cast<std::size_t>(b.speaker)];
    const std::string who = !s.name.empty() ? s.name : s.label;
    if (!who.empty()) div.append_attribute("data-speaker") = who.c_str();
  }
  if (!b.lang.empty()) set_lang(div, b.lang);
  bool labelled = false;
  for (const auto& c : b.blocks) {
    if (!labelled && c.kind == doc::block_kind::paragraph) {
      auto p = add(div, "p");
      if (!c.lang.empty()) set_lang(p, c.lang);
      auto label = add_text_element(p, "b", label_for(b), "speaker");
      if (!c.lang.empty() || !b.lang.empty()) set_lang(label, art_lang_);
      add_text(p, " ");
      inlines(p, c.content);
      labelled = true;
    } else {
      block(div, c);
    }
  }
}

void chapter_writer::block(pugi::xml_node parent, const doc::block& b) {
  using k = doc::block_kind;
  pugi::xml_node n;
  switch (b.kind) {
    case k::paragraph:
      n = add(parent, "p");
      inlines(n, b.content);
      break;
    case k::lead:
      n = add(parent, "p", "standfirst");
      inlines(n, b.content);
      break;
    case k::heading: {
      // h1 is the headline; levels never skip (axe "heading-order").
      const int level = std::clamp(std::min(b.level + 1, last_heading_ + 1), 2, 6);
      last_heading_ = level;
      const std::string name = "h" + std::to_string(level);
      n = add(parent, name.c_str());
      inlines(n, b.content);
      break;
    }
    case k::question:
    case k::answer: turn(parent, b); return;
    case k::figure: {
      n = add(parent, "figure", b.image.empty() ? "figure text-only" : "figure");
      if (!b.image.empty()) {
        auto img = n.append_child("img");
        img.append_attribute("src") = s_.figure_hrefs.at(&b).c_str();
        std::string alt = b.alt;
        if (alt.empty()) alt = utf8::collapse_space(doc::plain_text(b.caption));
        ++out_.figures_with_image;
        if (alt.empty()) ++out_.figures_without_alt;
        img.append_attribute("alt") = alt.c_str();
      }
      if (!b.caption.empty() || !b.credit.empty()) {
        auto cap = add(n, "figcaption");
        inlines(cap, b.caption);
        if (!b.credit.empty()) {
          if (!b.caption.empty()) add_text(cap, " ");
          add_text_element(cap, "span", b.credit, "credit");
        }
      }
      break;
    }
    case k::related: {
      // Not a landmark: role="note" marks it as ancillary to the interview.
      n = add(parent, "aside", "related");
      n.append_attribute("role") = "note";
      auto p = add(n, "p");
      if (!b.marker.empty()) {
        add_text_element(p, "span", b.marker, "marker");
        add_text(p, " ");
      }
      bool has_link = false;
      for (const auto& c : b.content) has_link |= c.kind == doc::inline_kind::link;
      if (!has_link && safe_url(b.target)) {
        auto a = add(p, "a");
        a.append_attribute("href") = encode_url(b.target).c_str();
        inlines(a, b.content);
      } else {
        inlines(p, b.content);
      }
      break;
    }
    case k::quote:
      n = add(parent, "blockquote");
      inlines(add(n, "p"), b.content);
      break;
    case k::separator: n = add(parent, "hr", "separator"); break;
    case k::note:
      n = add(parent, "aside", "note");
      n.append_attribute("role") = "note";
      inlines(add(n, "p"), b.content);
      break;
  }
  if (n && !b.lang.empty()) set_lang(n, b.lang);
}

chapter_result chapter_writer::write(const std::string& file) {
  const doc::article& a = *art_;
  art_lang_ = a.lang.empty() ? s_.lang : a.lang;
  label_mode_ = s_.label_mode.empty() ? std::string(doc::to_string(a.label_style)) : s_.label_mode;
  out_.toc = {file, a.title.empty() ? s_.title : a.title, {}};

  pugi::xml_node body;
  auto doc = new_xhtml(art_lang_, out_.toc.title, s_.css, body, "bodymatter");
  auto sec = add(body, "section", "interview");
  sec.append_attribute("epub:type") = "chapter";
  sec.append_attribute("role") = "doc-chapter";
  sec.append_attribute("aria-labelledby") = "title";

  auto header = add(sec, "header");
  if (!a.subject.empty()) add_text_element(header, "p", a.subject, "kicker");
  add_text_element(header, "h1", out_.toc.title).append_attribute("id") = "title";
  if (!a.subtitle.empty())
    add_text_element(header, "p", a.subtitle, "subtitle").append_attribute("role") = "doc-subtitle";
  std::size_t first = 0;
  while (first < a.blocks.size() && a.blocks[first].kind == doc::block_kind::lead) block(header, a.blocks[first++]);
  if (!a.byline.empty()) add_text_element(header, "p", a.byline, "byline");

  auto qna = add(sec, "section", "qna");
  qna.append_attribute("epub:type") = "qna";
  qna.append_attribute("role") = "doc-qna";
  qna.append_attribute("aria-label") = words_for(art_lang_).interview;
  for (std::size_t i = first; i < a.blocks.size(); ++i) block(qna, a.blocks[i]);
  if (!qna.first_child()) sec.remove_child(qna);
  out_.xhtml = to_xml(doc, true);
  return std::move(out_);
}

// ---------------------------------------------------------------- front matter

// Greedy word wrap by an estimated width in characters.
std::vector<std::string> wrap(std::string_view text, std::size_t max_chars) {
  std::vector<std::string> lines;
  std::string line;
  std::string t = utf8::collapse_space(text);
  std::size_t i = 0;
  while (i <= t.size()) {
    std::size_t sp = t.find(' ', i);
    if (sp == std::string::npos) sp = t.size();
    const std::string word = t.substr(i, sp - i);
    if (!line.empty() && utf8::length(line) + 1 + utf8::length(word) > max_chars) {
      lines.push_back(line);
      line = word;
    } else {
      line += (line.empty() ? "" : " ") + word;
    }
    i = sp + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string builder::svg_cover(pugi::xml_node parent) {
  const bool magazine = o_.style_name == "magazine";
  const doc::article* one = d_.articles.size() == 1 ? &d_.articles.front() : nullptr;
  std::string who;
  if (one && one->interviewee() >= 0) who = one->speakers[static_cast<std::size_t>(one->interviewee())].name;
  if (who.empty())
    for (const auto& c : d_.metadata.contributors)
      if (c.role == doc::role::interviewee) {
        who = c.name;
        break;
      }
  const std::string& publisher = d_.metadata.publisher;

  std::string label = title_;
  if (!who.empty()) label += " \u2014 " + who;
  if (!publisher.empty()) label += " \u2014 " + publisher;

  auto svg = parent.append_child("svg");
  svg.append_attribute("xmlns") = "http://www.w3.org/2000/svg";
  svg.append_attribute("version") = "1.1";
  svg.append_attribute("viewBox") = "0 0 600 900";
  svg.append_attribute("width") = "100%";
  svg.append_attribute("height") = "100%";
  svg.append_attribute("preserveAspectRatio") = "xMidYMid meet";
  svg.append_attribute("role") = "img";
  svg.append_attribute("aria-labelledby") = "cover-title";
  add_text_element(svg, "title", label).append_attribute("id") = "cover-title";

  auto rect = [&](int x, int y, int w, int h, const char* fill) {
    auto r = svg.append_child("rect");
    r.append_attribute("x") = x;
    r.append_attribute("y") = y;
    r.append_attribute("width") = w;
    r.append_attribute("height") = h;
    r.append_attribute("fill") = fill;
    return r;
  };
  auto text = [&](int x, int y, const std::string& s, int size, const char* fill, const char* family,
                  const char* weight, const char* anchor, const char* spacing = nullptr) {
    auto t = add_text_element(svg, "text", s);
    t.append_attribute("x") = x;
    t.append_attribute("y") = y;
    t.append_attribute("font-family") = family;
    t.append_attribute("font-size") = size;
    t.append_attribute("font-weight") = weight;
    t.append_attribute("fill") = fill;
    t.append_attribute("text-anchor") = anchor;
    if (spacing) t.append_attribute("letter-spacing") = spacing;
    t.append_attribute("aria-hidden") = "true";
  };

  // Font size by length: a short title is set large.
  const std::size_t len = utf8::length(title_);
  if (magazine) {
    const char* sans = "Helvetica Neue, Helvetica, Arial, sans-serif";
    rect(0, 0, 600, 900, "#14213d");
    rect(0, 0, 600, 14, "#e63946");
    rect(48, 96, 72, 8, "#e63946");
    const int size = len < 40 ? 58 : len < 80 ? 46 : len < 140 ? 36 : 28;
    const auto lines = wrap(title_, static_cast<std::size_t>(500.0 / (size * 0.55)));
    int y = 190;
    for (const auto& l : lines) {
      text(48, y, l, size, "#ffffff", sans, "bold", "start");
      y += static_cast<int>(size * 1.12);
    }
    if (!who.empty()) text(48, std::max(y + 50, 620), who, 30, "#e63946", sans, "bold", "start");
    if (!publisher.empty()) text(48, 852, publisher, 20, "#c9d1e0", sans, "normal", "start", "2");
  } else {
    const char* serif = "Georgia, Charis SIL, Gentium Plus, Times New Roman, serif";
    rect(0, 0, 600, 900, "#f5efe3");
    auto frame = rect(30, 30, 540, 840, "none");
    frame.append_attribute("stroke") = "#7a2e1f";
    frame.append_attribute("stroke-width") = 2;
    rect(270, 150, 60, 2, "#7a2e1f");
    const int size = len < 40 ? 50 : len < 80 ? 40 : len < 140 ? 32 : 26;
    const auto lines = wrap(title_, static_cast<std::size_t>(460.0 / (size * 0.5)));
    // The title block is centred between the two rules (y 150 and 560).
    const int leading = static_cast<int>(size * 1.2);
    const int block = static_cast<int>(lines.size()) * leading;
    int y = std::max(150 + 60, 150 + (410 - block) / 2) + size;
    for (const auto& l : lines) {
      text(300, y, l, size, "#222222", serif, "normal", "middle");
      y += leading;
    }
    rect(270, std::max(y + 20, 560), 60, 2, "#7a2e1f");
    if (!who.empty()) text(300, std::max(y + 90, 630), who, 28, "#7a2e1f", serif, "normal", "middle", "1");
    if (!publisher.empty()) text(300, 820, publisher, 20, "#555555", serif, "normal", "middle", "3");
  }
  return label;
}

std::string builder::cover_xhtml() {
  pugi::xml_node body;
  const words& w = words_for(lang_);
  auto doc = new_xhtml(lang_, w.cover, css_, body, "cover");
  auto div = add(body, "div", cover_href_.empty() ? "cover cover-typographic" : "cover");
  if (!cover_href_.empty()) {
    auto img = div.append_child("img");
    img.append_attribute("src") = cover_href_.c_str();
    img.append_attribute("alt") = (std::string(w.cover) + ": " + title_).c_str();
    img.append_attribute("role") = "doc-cover";
  } else {
    svg_cover(div);
  }
  return to_xml(doc, true);
}

std::string builder::title_xhtml() {
  pugi::xml_node body;
  const words& w = words_for(lang_);
  auto doc = new_xhtml(lang_, title_, css_, body, "frontmatter");
  auto sec = add(body, "section", "titlepage");
  sec.append_attribute("epub:type") = "titlepage";
  sec.append_attribute("aria-label") = w.title_page;
  add_text_element(sec, "h1", title_, "title");
  const std::string subtitle =
      !d_.metadata.subtitle.empty() ? d_.metadata.subtitle
                                    : (d_.articles.size() == 1 && d_.metadata.title.empty() ? d_.articles[0].subtitle : "");
  if (!subtitle.empty()) add_text_element(sec, "p", subtitle, "subtitle").append_attribute("role") = "doc-subtitle";

  std::vector<doc::contributor> people = d_.metadata.contributors;
  if (people.empty() && d_.articles.size() == 1) {
    for (const auto& s : d_.articles[0].speakers)
      if (!s.name.empty() && s.role != doc::role::other) people.push_back({s.name, s.role, s.description});
  }
  for (const auto& p : people)
    if (p.role == doc::role::interviewee) {
      add_text_element(sec, "p", p.name, "interviewee");
      if (!p.description.empty()) add_text_element(sec, "p", p.description, "description");
    }
  for (const auto& p : people)
    if (p.role == doc::role::interviewer)
      add_text_element(sec, "p", std::string(w.interview_by) + " " + p.name, "interviewer");
  if (!d_.metadata.publisher.empty()) add_text_element(sec, "p", d_.metadata.publisher, "publisher");
  return to_xml(doc, true);
}

std::string builder::nav_xhtml() {
  pugi::xml_node body;
  const words& w = words_for(lang_);
  auto doc = new_xhtml(lang_, w.contents, css_, body, "frontmatter");
  auto nav = add(body, "nav", "toc");
  nav.append_attribute("epub:type") = "toc";
  nav.append_attribute("id") = "toc";
  nav.append_attribute("role") = "doc-toc";
  nav.append_attribute("aria-labelledby") = "toc-title";
  add_text_element(nav, "h1", w.contents).append_attribute("id") = "toc-title";
  auto ol = add(nav, "ol");
  for (const auto& c : toc_) {
    auto li = add(ol, "li");
    auto a = add_text_element(li, "a", c.title);
    a.append_attribute("href") = c.file.c_str();
    if (toc_.size() == 1 && !c.questions.empty()) {
      auto sub = add(li, "ol");
      for (const auto& [id, text] : c.questions) {
        if (text.empty()) continue;
        auto qa = add_text_element(add(sub, "li"), "a", text);
        qa.append_attribute("href") = (c.file + "#" + id).c_str();
      }
      if (!sub.first_child()) li.remove_child(sub);
    }
  }

  auto marks = add(body, "nav", "landmarks");
  marks.append_attribute("epub:type") = "landmarks";
  marks.append_attribute("id") = "landmarks";
  marks.append_attribute("hidden") = "hidden";
  marks.append_attribute("aria-labelledby") = "landmarks-title";
  add_text_element(marks, "h2", w.landmarks).append_attribute("id") = "landmarks-title";
  auto mol = add(marks, "ol");
  auto mark = [&](const char* type, const std::string& href, const std::string& text) {
    auto a = add_text_element(add(mol, "li"), "a", text);
    a.append_attribute("epub:type") = type;
    a.append_attribute("href") = href.c_str();
  };
  mark("cover", "cover.xhtml", w.cover);
  mark("titlepage", "title.xhtml", w.title_page);
  mark("toc", "nav.xhtml#toc", w.contents);
  if (!toc_.empty()) mark("bodymatter", toc_.front().file, w.start);
  return to_xml(doc, true);
}

std::string builder::ncx(const std::string& id) {
  pugi::xml_document doc;
  auto root = doc.append_child("ncx");
  root.append_attribute("xmlns") = "http://www.daisy.org/z3986/2005/ncx/";
  root.append_attribute("version") = "2005-1";
  root.append_attribute("xml:lang") = lang_.c_str();
  const bool nested = toc_.size() == 1 && !toc_.front().questions.empty();
  auto head = root.append_child("head");
  auto meta = [&](const char* name, const std::string& content) {
    auto m = head.append_child("meta");
    m.append_attribute("name") = name;
    m.append_attribute("content") = content.c_str();
  };
  meta("dtb:uid", id);
  meta("dtb:depth", nested ? "2" : "1");
  meta("dtb:totalPageCount", "0");
  meta("dtb:maxPageNumber", "0");
  add_text_element(root.append_child("docTitle"), "text", title_);
  auto map = root.append_child("navMap");
  int order = 0;
  auto point = [&](pugi::xml_node parent, const std::string& label, const std::string& src) {
    ++order;
    auto np = parent.append_child("navPoint");
    np.append_attribute("id") = ("nav-" + std::to_string(order)).c_str();
    np.append_attribute("playOrder") = order;
    add_text_element(np.append_child("navLabel"), "text", label);
    np.append_child("content").append_attribute("src") = src.c_str();
    return np;
  };
  for (const auto& c : toc_) {
    auto np = point(map, c.title, c.file);
    if (nested)
      for (const auto& [qid, text] : c.questions)
        if (!text.empty()) point(np, text, c.file + "#" + qid);
  }
  return to_xml(doc, false);
}

std::string builder::opf(const std::string& id, const std::vector<std::string>& chapters) {
  pugi::xml_document doc;
  auto pkg = doc.append_child("package");
  pkg.append_attribute("xmlns") = "http://www.idpf.org/2007/opf";
  pkg.append_attribute("version") = "3.0";
  pkg.append_attribute("unique-identifier") = "uid";
  pkg.append_attribute("xml:lang") = lang_.c_str();
  auto md = pkg.append_child("metadata");
  md.append_attribute("xmlns:dc") = "http://purl.org/dc/elements/1.1/";
  auto dc = [&](const char* name, const std::string& value, const char* idv = nullptr) {
    auto n = add_text_element(md, name, value);
    if (idv) n.append_attribute("id") = idv;
    return n;
  };
  auto meta = [&](const char* property, const std::string& value, const std::string& refines = {},
                  const char* scheme = nullptr) {
    auto m = md.append_child("meta");
    if (!refines.empty()) m.append_attribute("refines") = ("#" + refines).c_str();
    m.append_attribute("property") = property;
    if (scheme) m.append_attribute("scheme") = scheme;
    add_text(m, value);
  };
  const doc::article* one = d_.articles.size() == 1 ? &d_.articles.front() : nullptr;

  dc("dc:identifier", id, "uid");
  dc("dc:title", title_, "title");
  meta("title-type", "main", "title");
  std::string subtitle = d_.metadata.subtitle;
  if (subtitle.empty() && one && d_.metadata.title.empty()) subtitle = one->subtitle;
  if (!subtitle.empty()) {
    dc("dc:title", subtitle, "subtitle");
    meta("title-type", "subtitle", "subtitle");
  }

  // Creators: the front matter's, else the named interviewers and interviewees.
  std::vector<doc::contributor> people = d_.metadata.contributors;
  if (people.empty()) {
    std::set<std::string> seen;
    for (const auto& a : d_.articles)
      for (const auto& s : a.speakers)
        if (!s.name.empty() && s.role != doc::role::other && seen.insert(s.name).second)
          people.push_back({s.name, s.role, s.description});
  }
  int n = 0;
  for (const auto& p : people) {
    const std::string pid = "creator-" + std::to_string(++n);
    const bool creator = p.role != doc::role::other;
    dc(creator ? "dc:creator" : "dc:contributor", p.name, pid.c_str());
    if (creator) meta("role", p.role == doc::role::interviewer ? "ivr" : "ive", pid, "marc:relators");
  }
  dc("dc:language", lang_);
  if (!d_.metadata.publisher.empty()) dc("dc:publisher", d_.metadata.publisher);
  const std::string source = !d_.metadata.source.empty() ? d_.metadata.source : one ? one->source : "";
  if (!source.empty()) dc("dc:source", source);
  std::string date = !d_.metadata.date.empty() ? d_.metadata.date : one ? one->date : "";
  if (date.size() > 10 && w3c_date(std::string_view(date).substr(0, 10)) && date[10] == 'T') date.resize(10);
  if (w3c_date(date)) dc("dc:date", date);
  std::vector<std::string> subjects = d_.metadata.subjects;
  if (subjects.empty()) {
    std::set<std::string> seen;
    for (const auto& a : d_.articles)
      if (!a.subject.empty() && seen.insert(a.subject).second) subjects.push_back(a.subject);
  }
  for (const auto& s : subjects) dc("dc:subject", s);
  if (!d_.metadata.rights.empty()) dc("dc:rights", d_.metadata.rights);
  meta("dcterms:modified", o_.modified.empty() ? "1980-01-01T00:00:00Z" : o_.modified);
  if (!cover_href_.empty()) {
    auto m = md.append_child("meta");
    m.append_attribute("name") = "cover";
    m.append_attribute("content") = "cover-image";
  }

  // Accessibility (EPUB Accessibility 1.1, schema.org properties).
  const bool images = figures_with_image_ > 0 || !cover_href_.empty();
  const bool all_alt = figures_without_alt_ == 0;
  meta("schema:accessMode", "textual");
  if (images) meta("schema:accessMode", "visual");
  if (all_alt) meta("schema:accessModeSufficient", "textual");
  if (images) meta("schema:accessModeSufficient", "textual,visual");
  meta("schema:accessibilityFeature", "structuralNavigation");
  meta("schema:accessibilityFeature", "tableOfContents");
  meta("schema:accessibilityFeature", "readingOrder");
  if (figures_with_image_ > 0 && all_alt) meta("schema:accessibilityFeature", "alternativeText");
  meta("schema:accessibilityFeature", "displayTransformability");
  meta("schema:accessibilityHazard", "none");
  std::string summary =
      "Interviews marked up as questions and answers: every turn names its speaker. The publication has a "
      "table of contents, landmarks, a logical reading order, headings for each interview, and text that can "
      "be restyled and resized.";
  if (figures_with_image_ > 0)
    summary += all_alt ? " Every image has a text alternative and a caption."
                       : " Some images have no text alternative.";
  if (all_alt) summary += " It meets WCAG 2.1 Level AA.";
  meta("schema:accessibilitySummary", summary);
  // The claim holds when every image has a text alternative: the markup
  // itself is checked by Ace in galley's tests (tests/epub/ace-check).
  if (all_alt) meta("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");

  auto manifest = pkg.append_child("manifest");
  auto item = [&](const std::string& iid, const std::string& href, const char* type, const char* props = nullptr) {
    auto it = manifest.append_child("item");
    it.append_attribute("id") = iid.c_str();
    it.append_attribute("href") = href.c_str();
    it.append_attribute("media-type") = type;
    if (props) it.append_attribute("properties") = props;
  };
  item("nav", "nav.xhtml", "application/xhtml+xml", "nav");
  item("ncx", "toc.ncx", "application/x-dtbncx+xml");
  if (css_) item("css", "style.css", "text/css");
  item("cover", "cover.xhtml", "application/xhtml+xml", cover_href_.empty() ? "svg" : nullptr);
  if (!cover_href_.empty()) item("cover-image", cover_href_, cover_type_.c_str(), "cover-image");
  item("titlepage", "title.xhtml", "application/xhtml+xml");
  for (std::size_t i = 0; i < chapters.size(); ++i)
    item(chapters[i].substr(0, chapters[i].find('.')), chapters[i], "application/xhtml+xml");
  for (std::size_t i = 0; i < image_items_.size(); ++i)
    item("img-" + std::to_string(i + 1), image_items_[i].first, image_items_[i].second.c_str());

  auto spine = pkg.append_child("spine");
  spine.append_attribute("toc") = "ncx";
  auto ref = [&](const char* idref) { spine.append_child("itemref").append_attribute("idref") = idref; };
  ref("cover");
  ref("titlepage");
  ref("nav");
  for (const auto& c : chapters) ref(c.substr(0, c.find('.')).c_str());
  return to_xml(doc, false);
}

// The identifier of a book that names none: a UUID from its metadata and
// text. The pieces go to the hash as they come (one line at a time, in a
// buffer reused), never gathered into one string of the whole book.
std::string content_uuid(const doc::document& d) {
  uuid_source u;
  std::string line;
  auto add = [&](std::initializer_list<std::string_view> pieces) {
    line.clear();
    for (auto p : pieces) line += p;
    u.add(line);
  };
  add({d.metadata.title, "\n", d.metadata.subtitle, "\n", d.metadata.language, "\n", d.metadata.publisher, "\n"});
  for (const auto& c : d.metadata.contributors) add({c.name, "\n"});
  for (const auto& a : d.articles) {
    add({"\x1e", a.title, "\n", a.subtitle, "\n", a.lang, "\n", a.source, "\n"});
    for (const auto& s : a.speakers) add({s.name, "\x1f", s.label, "\n"});
    doc::walk(a.blocks, [&](const doc::block& b, int depth) {
      add({std::to_string(depth), doc::to_string(b.kind), ":", doc::plain_text(b.content), doc::plain_text(b.caption),
           b.image, "\n"});
    });
  }
  return u.uuid();
}

std::vector<entry> builder::build() {
  if (!o_.label_mode.empty() && o_.label_mode != "qa" && o_.label_mode != "names" && o_.label_mode != "initials")
    fail(exit_code::usage, "", "bad-epub-option", "unknown label mode '" + o_.label_mode + "'",
         {});
  if (!o_.modified.empty() && !valid_modified(o_.modified))
    fail(exit_code::usage, "", "bad-epub-option",
         "modified date '" + o_.modified + "' is not of the form YYYY-MM-DDThh:mm:ssZ");
  if (d_.articles.empty())
    fail(exit_code::input_failed, "", "empty-document", "nothing to put in the epub: the document has no articles");
  lang_ = !d_.metadata.language.empty() ? d_.metadata.language
          : (!d_.articles.empty() && !d_.articles.front().lang.empty()) ? d_.articles.front().lang
                                                                         : "en";
  title_ = !d_.metadata.title.empty() ? d_.metadata.title
           : (!d_.articles.empty() && !d_.articles.front().title.empty()) ? d_.articles.front().title
                                                                           : "Untitled";
  css_ = !o_.css.empty();
  base_ = o_.base_dir.empty() ? fs::path(".") : fs::path(o_.base_dir);
  // Without an identifier given, one is derived from the content, below.
  std::string id = !o_.identifier.empty() ? o_.identifier : d_.metadata.identifier;

  // Images first, one after another in document order: each is checked,
  // read and numbered where it first appears, so the hrefs, and the error
  // for a bad image (the first one in the book), are those of building the
  // chapters in turn. Nothing else in a chapter can fail.
  add_cover();
  for (const auto& a : d_.articles) {
    // An article's images are relative to its own input's folder; in a book
    // of interviews from several folders each has its own.
    const fs::path from = fs::path(a.source_name).parent_path();
    base_ = !from.empty() ? from : o_.base_dir.empty() ? fs::path(".") : fs::path(o_.base_dir);
    for (const auto& b : a.blocks) find_images(b, a.source_name);
  }

  // Then the chapters, each on its own state, on every core, merged in
  // order; beside them the identifier, whose hash of the whole text costs
  // about as much as building a few chapters: job 0 derives it, job i + 1
  // builds chapter i.
  const std::size_t n = d_.articles.size();
  std::vector<std::string> files;
  for (std::size_t i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "a%03zu.xhtml", i + 1);
    files.emplace_back(name);
  }
  const chapter_settings settings{lang_, title_, css_, o_.label_mode, figure_hrefs_};
  std::vector<chapter_result> built(n);
  parallel_for(n + 1, [&](std::size_t job) {
    if (job == 0) {
      if (id.empty()) id = content_uuid(d_);  // only this job touches id
    } else {
      built[job - 1] = chapter_writer(settings, d_.articles[job - 1]).write(files[job - 1]);
    }
  }, 2);  // a thread per two jobs: one interview is built on this thread (a thread did not pay)
  std::vector<entry> chapters;
  toc_.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    chapters.push_back({"EPUB/" + files[i], std::move(built[i].xhtml), true, true});
    toc_.push_back(std::move(built[i].toc));
    figures_with_image_ += built[i].figures_with_image;
    figures_without_alt_ += built[i].figures_without_alt;
  }

  std::vector<entry> out;
  out.push_back({"mimetype", "application/epub+zip", false, false});
  out.push_back({"META-INF/container.xml",
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
                 "  <rootfiles>\n"
                 "    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
                 "  </rootfiles>\n"
                 "</container>\n",
                 true, true});
  out.push_back({"EPUB/package.opf", opf(id, files), true, true});
  out.push_back({"EPUB/nav.xhtml", nav_xhtml(), true, true});
  out.push_back({"EPUB/toc.ncx", ncx(id), true, true});
  if (css_) out.push_back({"EPUB/style.css", o_.css, true, false});
  out.push_back({"EPUB/cover.xhtml", cover_xhtml(), true, true});
  out.push_back({"EPUB/title.xhtml", title_xhtml(), true, true});
  for (auto& c : chapters) out.push_back(std::move(c));
  for (auto& img : image_entries_) out.push_back(std::move(img));
  return out;
}

}  // namespace

namespace detail {
std::vector<entry> build_package(const doc::document& d, const epub_options& o) { return builder(d, o).build(); }
}  // namespace detail

void write_epub(const doc::document& d, const epub_options& o, sink& out) {
  const auto entries = build_package(d, o);
  out.write(zip_package(entries, o.modified));
}

std::string dump_epub(const doc::document& d, const epub_options& o) {
  const auto entries = build_package(d, o);
  std::string s;
  for (const auto& e : entries)
    s += e.name + (e.compress ? "  deflated  " : "  stored  ") + std::to_string(e.data.size()) + "\n";
  for (const auto& e : entries) {
    s += "\n==> " + e.name + " <==\n";
    if (e.xml) s += e.data;
    else if (e.name == "mimetype") s += e.data + "\n";
    else if (e.name.ends_with(".css")) s += "(stylesheet, sha1 " + sha1_hex(e.data) + ")\n";
    else s += "(binary, sha1 " + sha1_hex(e.data) + ")\n";
  }
  return s;
}

}  // namespace galley::epub
