#include "doc/check.hpp"

#include <cctype>

#include "base/utf8.hpp"

namespace galley::doc {

namespace {

bool valid_lang(const std::string& tag) { return !tag.empty() && normalize_language(tag) == tag; }

struct checker {
  std::vector<std::string> problems;
  const article* art = nullptr;
  std::size_t article_index = 0;

  void problem(const source_pos& pos, const std::string& what) {
    problems.push_back("article " + std::to_string(article_index) + " line " +
                       std::to_string(pos.line) + ": " + what);
  }

  void inlines_ok(const inlines& content, const source_pos& owner) {
    for (const auto& n : content) {
      switch (n.kind) {
        case inline_kind::text:
        case inline_kind::code:
          if (n.text.empty()) problem(owner, "empty text inline");
          if (!n.children.empty()) problem(owner, "text inline with children");
          break;
        case inline_kind::insertion:
        case inline_kind::direction:
          if (utf8::trim(n.text).empty()) problem(owner, std::string(to_string(n.kind)) + " without text");
          break;
        case inline_kind::link:
          if (n.target.empty()) problem(owner, "link without target");
          inlines_ok(n.children, owner);
          break;
        case inline_kind::foreign:
          if (!valid_lang(n.lang)) problem(owner, "foreign span with invalid lang '" + n.lang + "'");
          inlines_ok(n.children, owner);
          break;
        case inline_kind::emphasis:
        case inline_kind::strong:
          if (n.children.empty()) problem(owner, std::string(to_string(n.kind)) + " without children");
          inlines_ok(n.children, owner);
          break;
        case inline_kind::line_break: break;
      }
    }
  }

  void block_ok(const block& b, bool nested) {
    if (b.pos.line == 0) problem(b.pos, std::string(to_string(b.kind)) + " without a source position");
    if (!b.lang.empty() && !valid_lang(b.lang)) problem(b.pos, "invalid lang '" + b.lang + "'");
    const bool turn = b.kind == block_kind::question || b.kind == block_kind::answer;
    if (turn) {
      if (nested) problem(b.pos, "turn nested inside another block");
      if (b.speaker < 0 || static_cast<std::size_t>(b.speaker) >= art->speakers.size())
        problem(b.pos, "turn with speaker index " + std::to_string(b.speaker) + " out of range");
      if (b.blocks.empty()) problem(b.pos, "turn without paragraphs");
      if (!b.content.empty()) problem(b.pos, "turn with inline content (belongs in its paragraphs)");
      bool has_paragraph = false;
      for (const auto& c : b.blocks) {
        has_paragraph |= c.kind == block_kind::paragraph;
        if (c.kind == block_kind::question || c.kind == block_kind::answer ||
            c.kind == block_kind::heading || c.kind == block_kind::lead)
          problem(c.pos, std::string(to_string(c.kind)) + " inside a turn");
        block_ok(c, true);
      }
      if (!b.blocks.empty() && !has_paragraph) problem(b.pos, "turn without a paragraph");
      return;
    }
    if (!b.blocks.empty()) problem(b.pos, std::string(to_string(b.kind)) + " with child blocks");
    switch (b.kind) {
      case block_kind::figure:
        if (b.caption.empty() && b.image.empty()) problem(b.pos, "figure with neither caption nor image");
        inlines_ok(b.caption, b.pos);
        break;
      case block_kind::separator:
        if (!b.content.empty()) problem(b.pos, "separator with content");
        break;
      case block_kind::heading:
        if (b.level < 1 || b.level > 6) problem(b.pos, "heading level out of range");
        [[fallthrough]];
      default:
        if (b.content.empty()) problem(b.pos, std::string(to_string(b.kind)) + " without content");
        inlines_ok(b.content, b.pos);
        break;
    }
  }
};

}  // namespace

std::string normalize_language(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 35) return {};
  std::string out;
  std::size_t index = 0;  // of the subtag
  std::size_t i = 0;
  while (i <= tag.size()) {
    std::size_t end = i;
    while (end < tag.size() && tag[end] != '-' && tag[end] != '_') ++end;
    const std::string_view sub = tag.substr(i, end - i);
    if (sub.empty() || sub.size() > 8) return {};
    bool letters = true, digits = true;
    for (char c : sub) {
      const auto u = static_cast<unsigned char>(c);
      if (!std::isalnum(u) || u >= 0x80) return {};
      letters = letters && std::isalpha(u);
      digits = digits && std::isdigit(u);
    }
    if (index == 0 && (!letters || sub.size() > 3)) return {};  // the language
    if (index > 0) out += '-';
    const bool script = index == 1 && letters && sub.size() == 4;
    const bool region = index >= 1 && index <= 2 && ((letters && sub.size() == 2) || (digits && sub.size() == 3));
    for (std::size_t k = 0; k < sub.size(); ++k) {
      const auto u = static_cast<unsigned char>(sub[k]);
      out += static_cast<char>(region || (script && k == 0) ? std::toupper(u) : std::tolower(u));
    }
    ++index;
    i = end + 1;
  }
  return out;
}

std::vector<std::string> check(const document& d) {
  checker c;
  if (!d.metadata.language.empty() && !valid_lang(d.metadata.language))
    c.problems.push_back("metadata: invalid language '" + d.metadata.language + "'");
  for (std::size_t i = 0; i < d.articles.size(); ++i) {
    const auto& a = d.articles[i];
    c.art = &a;
    c.article_index = i;
    if (!a.lang.empty() && !valid_lang(a.lang)) c.problem(a.title_pos, "invalid article lang '" + a.lang + "'");
    for (const auto& s : a.speakers)
      if (s.name.empty() && s.label.empty()) c.problem({}, "speaker with neither name nor label");
    for (const auto& b : a.blocks) c.block_ok(b, false);
  }
  return c.problems;
}

}  // namespace galley::doc
