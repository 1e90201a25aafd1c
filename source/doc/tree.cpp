#include "doc/tree.hpp"

namespace galley::doc {

std::string_view to_string(role r) {
  switch (r) {
    case role::interviewer: return "interviewer";
    case role::interviewee: return "interviewee";
    case role::other: return "other";
  }
  return "other";
}

std::string_view to_string(label_style s) {
  switch (s) {
    case label_style::qa: return "qa";
    case label_style::names: return "names";
    case label_style::initials: return "initials";
  }
  return "qa";
}

std::string_view to_string(block_kind k) {
  switch (k) {
    case block_kind::lead: return "lead";
    case block_kind::paragraph: return "paragraph";
    case block_kind::heading: return "heading";
    case block_kind::question: return "question";
    case block_kind::answer: return "answer";
    case block_kind::figure: return "figure";
    case block_kind::related: return "related";
    case block_kind::quote: return "quote";
    case block_kind::separator: return "separator";
    case block_kind::note: return "note";
  }
  return "paragraph";
}

std::string_view to_string(inline_kind k) {
  switch (k) {
    case inline_kind::text: return "text";
    case inline_kind::emphasis: return "emphasis";
    case inline_kind::strong: return "strong";
    case inline_kind::link: return "link";
    case inline_kind::insertion: return "insertion";
    case inline_kind::direction: return "direction";
    case inline_kind::foreign: return "foreign";
    case inline_kind::code: return "code";
    case inline_kind::line_break: return "line_break";
  }
  return "text";
}

int article::interviewee() const {
  for (std::size_t i = 0; i < speakers.size(); ++i)
    if (speakers[i].role == role::interviewee) return static_cast<int>(i);
  return -1;
}

int article::interviewer() const {
  for (std::size_t i = 0; i < speakers.size(); ++i)
    if (speakers[i].role == role::interviewer) return static_cast<int>(i);
  return -1;
}

inline_node text(std::string s, source_pos pos) {
  inline_node n;
  n.kind = inline_kind::text;
  n.text = std::move(s);
  n.pos = pos;
  return n;
}

namespace {
void append_text(const inlines& content, std::string& out) {
  for (const auto& n : content) {
    switch (n.kind) {
      case inline_kind::text:
      case inline_kind::code: out += n.text; break;
      case inline_kind::insertion:
      case inline_kind::direction: out += '[' + n.text + ']'; break;
      case inline_kind::line_break: out += '\n'; break;
      default: append_text(n.children, out); break;
    }
  }
}
}  // namespace

std::string plain_text(const inlines& content) {
  std::string out;
  append_text(content, out);
  return out;
}

std::string plain_text(const block& b) {
  if (b.kind == block_kind::figure) return plain_text(b.caption);
  if (!b.content.empty() || b.blocks.empty()) return plain_text(b.content);
  std::string out;
  for (const auto& c : b.blocks) {
    if (!out.empty()) out += "\n\n";
    out += plain_text(c);
  }
  return out;
}

}  // namespace galley::doc
