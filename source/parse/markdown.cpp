// Stage 3, Markdown: cmark's tree to raw blocks (see raw.hpp).
//
// One pass with cmark's iterator. Block containers (block quotes, lists,
// items) only set the context; leaf blocks (paragraphs, headings, code,
// HTML, rules) become raw blocks, and the inlines of paragraphs and headings
// become doc::inline_node trees. Typography (smart quotes, dashes) is left to
// later stages, so cmark runs without CMARK_OPT_SMART.
#include <cmark.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.hpp"
#include "parse/raw.hpp"
#include "parse/text_scan.hpp"
#include "parse/whitespace.hpp"

namespace galley::parse {
namespace {

// Deeper emphasis / links are flattened into their parent: nothing real
// nests this deep, and later stages may walk inlines recursively.
constexpr std::size_t max_inline_depth = 48;

std::string_view literal(cmark_node* node) {
  const char* s = cmark_node_get_literal(node);
  return s ? std::string_view(s) : std::string_view();
}

std::string_view url_of(cmark_node* node) {
  const char* s = cmark_node_get_url(node);
  return s ? std::string_view(s) : std::string_view();
}

// Removes tags and comments from raw HTML and decodes the common entities.
std::string strip_tags(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size();) {
    if (html.compare(i, 4, "<!--") == 0) {
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      out += ' ';
    } else if (html[i] == '<') {
      const std::size_t end = html.find('>', i);
      i = end == std::string_view::npos ? html.size() : end + 1;
      out += ' ';
    } else if (html[i] == '&') {
      static constexpr std::pair<std::string_view, std::string_view> entities[] = {
          {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&apos;", "'"},
          {"&nbsp;", "\u00A0"}};
      bool done = false;
      for (const auto& [name, value] : entities) {
        if (html.compare(i, name.size(), name) == 0) {
          out += value;
          i += name.size();
          done = true;
          break;
        }
      }
      if (!done) out += html[i++];
    } else {
      // Text up to the next tag or entity, at once.
      std::size_t end = i + 1;
      while (end < html.size() && html[end] != '<' && html[end] != '&') ++end;
      out.append(html.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

// The first `what` (lower case) in s at or after `from`, in any case.
std::size_t find_nocase(std::string_view s, std::string_view what, std::size_t from = 0) {
  for (std::size_t i = s.find('<', from); i != std::string_view::npos; i = s.find('<', i + 1)) {
    if (s.size() - i < what.size()) return std::string_view::npos;
    std::size_t k = 0;
    while (k < what.size() && (s[i + k] | (s[i + k] >= 'A' && s[i + k] <= 'Z' ? 0x20 : 0)) == what[k]) ++k;
    if (k == what.size()) return i;
  }
  return std::string_view::npos;
}

// The value of an attribute of an HTML tag ("<img src=... alt=...>"), its
// entities decoded; empty when the tag has none.
std::string tag_attribute(std::string_view tag, std::string_view name) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t i = 1;
  while (i < tag.size() && !is_space(tag[i]) && tag[i] != '>' && tag[i] != '/') ++i;  // the tag's name
  while (i < tag.size() && tag[i] != '>') {
    while (i < tag.size() && (is_space(tag[i]) || tag[i] == '/')) ++i;
    const std::size_t start = i;
    while (i < tag.size() && !is_space(tag[i]) && tag[i] != '=' && tag[i] != '>' && tag[i] != '/') ++i;
    const std::string key = utf8::to_lower(tag.substr(start, i - start));
    while (i < tag.size() && is_space(tag[i])) ++i;
    std::string_view value;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && is_space(tag[i])) ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        const std::size_t close = tag.find(tag[i], i + 1);
        const std::size_t end = close == std::string_view::npos ? tag.size() : close;
        value = tag.substr(i + 1, end - i - 1);
        i = end == tag.size() ? end : end + 1;
      } else {
        const std::size_t v = i;
        while (i < tag.size() && !is_space(tag[i]) && tag[i] != '>') ++i;
        value = tag.substr(v, i - v);
      }
    }
    if (key == name) return collapse(strip_tags(value), true);
    if (i == start) ++i;  // a stray character: on
  }
  return {};
}

// The images of an HTML block (WordPress's <figure><img ...><figcaption>,
// a lone <img>): their sources, alt texts and titles, the text of a
// <figcaption>, and the block's other text.
struct html_figure {
  struct image {
    std::string src, alt, title;
  };
  std::vector<image> images;
  std::string caption, rest;
};

html_figure read_html_figure(std::string_view html) {
  html_figure f;
  std::string rest;
  std::size_t done = 0;
  const auto cut = [&](std::size_t from, std::size_t to) {
    rest.append(html.substr(done, from - done));
    rest += ' ';
    done = to;
  };
  for (std::size_t i = find_nocase(html, "<img"); i != std::string_view::npos; i = find_nocase(html, "<img", done)) {
    const std::size_t close = html.find('>', i);
    const std::size_t end = close == std::string_view::npos ? html.size() : close + 1;
    const std::string_view tag = html.substr(i, end - i);
    cut(i, end);
    if (tag.size() > 4 && tag[4] != ' ' && tag[4] != '\t' && tag[4] != '\n' && tag[4] != '/' && tag[4] != '>')
      continue;  // <imgur-embed> and the like
    html_figure::image img;
    img.src = tag_attribute(tag, "src");
    // Lazy loading: a placeholder in src, the picture in data-src.
    if (img.src.empty() || img.src.starts_with("data:")) {
      std::string lazy = tag_attribute(tag, "data-src");
      if (!lazy.empty()) img.src = std::move(lazy);
    }
    if (img.src.empty() || img.src.starts_with("data:")) continue;
    img.alt = tag_attribute(tag, "alt");
    img.title = tag_attribute(tag, "title");
    f.images.push_back(std::move(img));
  }
  rest.append(html.substr(done));
  const std::string_view all = rest;
  if (const std::size_t open = find_nocase(all, "<figcaption"); open != std::string_view::npos) {
    const std::size_t text = all.find('>', open);
    if (text != std::string_view::npos) {
      const std::size_t close = find_nocase(all, "</figcaption", text);
      const std::size_t text_end = close == std::string_view::npos ? all.size() : close;
      f.caption = collapse(strip_tags(all.substr(text + 1, text_end - text - 1)), true);
      const std::size_t close_end = close == std::string_view::npos ? std::string_view::npos : all.find('>', close);
      const std::size_t after = close_end == std::string_view::npos ? all.size() : close_end + 1;
      f.rest = collapse(strip_tags(std::string(all.substr(0, open)) + " " + std::string(all.substr(after))), true);
      return f;
    }
  }
  f.rest = collapse(strip_tags(all), true);
  return f;
}

// Inline HTML tags that only format the words around them: dropped, since
// the words themselves are separate text nodes.
bool is_formatting_tag(std::string_view tag) {
  if (tag.starts_with("<!--")) return true;
  std::size_t i = 1;
  if (i < tag.size() && tag[i] == '/') ++i;
  std::size_t j = i;
  while (j < tag.size() && ((tag[j] >= 'a' && tag[j] <= 'z') || (tag[j] >= 'A' && tag[j] <= 'Z') ||
                            (tag[j] >= '0' && tag[j] <= '9')))
    ++j;
  const std::string name = utf8::to_lower(tag.substr(i, j - i));
  static constexpr std::string_view known[] = {"a",    "abbr", "b",    "bdi",  "bdo",  "cite", "del",
                                               "dfn",  "em",   "font", "i",    "ins",  "kbd",  "mark",
                                               "q",    "s",    "samp", "small", "span", "strong", "sub",
                                               "sup",  "time", "u",    "var",  "wbr",  "code"};
  for (auto k : known)
    if (name == k) return true;
  return false;
}

bool is_br_tag(std::string_view tag) {
  const std::string t = collapse(utf8::to_lower(tag), true);
  return t == "<br>" || t == "<br/>" || t == "<br />";
}

// The length of a pandoc attribute block at the start of s, `{#id .class
// key=value key="a value"}`, or 0 when s does not start with one.
std::size_t attribute_block(std::string_view s) {
  if (s.size() < 3 || s[0] != '{') return 0;
  const auto name_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':' || c == '.' || static_cast<unsigned char>(c) >= 0x80;
  };
  std::size_t i = 1, tokens = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i == s.size()) return 0;
    if (s[i] == '}') return tokens > 0 ? i + 1 : 0;
    const std::size_t start = i;
    if (s[i] == '#' || s[i] == '.') {
      ++i;
      while (i < s.size() && name_char(s[i])) ++i;
      if (i == start + 1) return 0;
    } else if (s[i] == '-' && i + 1 < s.size() && (s[i + 1] == ' ' || s[i + 1] == '}')) {
      ++i;  // {-}: an unnumbered heading
    } else {
      while (i < s.size() && name_char(s[i])) ++i;
      if (i == start || i == s.size() || s[i] != '=') return 0;
      ++i;
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        const std::size_t close = s.find(s[i], i + 1);
        if (close == std::string_view::npos) return 0;
        i = close + 1;
      } else {
        const std::size_t value = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '}' && s[i] != '"' && s[i] != '\'') ++i;
        if (i == value) return 0;
      }
    }
    if (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '}') return 0;
    ++tokens;
  }
  return 0;
}

// Text right after an image or a link that starts with an attribute block
// (pandoc's `![alt](src){width=50%}`): the length of that block, else 0.
// s: the text node's literal.
std::size_t attributes_after(cmark_node* text, std::string_view s) {
  if (s.empty() || s.front() != '{') return 0;
  cmark_node* prev = cmark_node_previous(text);
  if (!prev) return 0;
  const cmark_node_type t = cmark_node_get_type(prev);
  return t == CMARK_NODE_IMAGE || t == CMARK_NODE_LINK ? attribute_block(s) : 0;
}

// Only spaces and tabs (or nothing).
bool is_blank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}

// One look at the children of a paragraph, heading or link.
struct children {
  // About how many inline nodes they make at its top level: consecutive
  // text, soft breaks, angle-bracket words and images' alt text make one
  // text node, other children one node each.
  std::size_t inlines = 0;
  // The only child apart from white space, line breaks and attribute blocks
  // (of the image or link before them), or null.
  cmark_node* only = nullptr;
};

children survey(cmark_node* parent) {
  children out;
  bool in_text = false, several = false;
  for (cmark_node* c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
    bool blank = false;  // not a candidate for the only child
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT: {
        const char* p = cmark_node_get_literal(c);
        if (!p || !*p) {  // empty before a hard line break: no node
          blank = true;
          break;
        }
        out.inlines += in_text ? 0 : 1;
        in_text = true;
        // Blank text and attribute blocks start with one of these; most
        // text starts with a word, and its length is not needed.
        if (*p == ' ' || *p == '\t' || *p == '{') {
          const std::string_view t = p;
          const std::size_t k = attributes_after(c, t);
          blank = is_blank(t) || (k > 0 && is_blank(t.substr(k)));
        }
        break;
      }
      case CMARK_NODE_SOFTBREAK:
        blank = true;
        [[fallthrough]];
      case CMARK_NODE_HTML_INLINE:
      case CMARK_NODE_IMAGE:
        out.inlines += in_text ? 0 : 1;
        in_text = true;
        break;
      case CMARK_NODE_LINEBREAK:
        blank = true;
        [[fallthrough]];
      default:
        ++out.inlines;
        in_text = false;
        break;
    }
    if (blank || several) continue;
    several = out.only != nullptr;
    out.only = several ? nullptr : c;
  }
  return out;
}

// flatten() and collapse_into(..., true) at once, for inlines whose text
// nodes are collapsed already (end_run) and that hold no code. White space
// in such text is a single space or a lone no-break-like space between two
// words, or a single ASCII space at either end of a node; line breaks are a
// space too. Collapsing then only has to merge the spaces where nodes meet
// and drop them at the ends. False, with out unfinished, on meeting code.
bool flatten_collapsed(const doc::inlines& content, std::string& out) {
  for (const auto& n : content) {
    switch (n.kind) {
      case doc::inline_kind::text:
      case doc::inline_kind::line_break: {
        std::string_view t = n.kind == doc::inline_kind::text ? std::string_view(n.text) : std::string_view(" ");
        if (!t.empty() && t.front() == ' ' && (out.empty() || out.back() == ' ')) t.remove_prefix(1);
        out += t;
        break;
      }
      case doc::inline_kind::emphasis:
      case doc::inline_kind::strong:
      case doc::inline_kind::link:
        if (!flatten_collapsed(n.children, out)) return false;
        break;
      default: return false;
    }
  }
  return true;
}

void flatten(const doc::inlines& content, std::string& out) {
  for (const auto& n : content) {
    switch (n.kind) {
      case doc::inline_kind::line_break: out += ' '; break;
      case doc::inline_kind::emphasis:
      case doc::inline_kind::strong:
      case doc::inline_kind::link:
      case doc::inline_kind::foreign: flatten(n.children, out); break;
      default: out += n.text; break;
    }
  }
}

// --- GFM tables ------------------------------------------------------------------
//
// cmark without extensions reads a pipe table (`| a | b |` rows under a
// `|---|---|` delimiter row) as one paragraph of lines. The tree has no
// table block, so a table stays one paragraph, a line per row: its cells
// joined by an em dash (a pipe between short words reads as a breadcrumb
// trail, " | " is one of its separators), empty cells and the delimiter row
// left out.

constexpr std::string_view cell_separator = " \u2014 ";

// The cells of a table row, split at pipes that are not escaped; a pipe at
// either end of the row only closes the row.
void split_row(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  line = scan::trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|' && !(line.size() >= 2 && line[line.size() - 2] == '\\'))
    line.remove_suffix(1);
  std::size_t start = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(scan::trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
  cells.push_back(scan::trim(line.substr(start)));
}

// ":---", "---:", ":-:": a cell of the delimiter row.
bool is_delimiter_cell(std::string_view c) {
  c = scan::trim(c);
  if (!c.empty() && c.front() == ':') c.remove_prefix(1);
  if (!c.empty() && c.back() == ':') c.remove_suffix(1);
  return !c.empty() && c.find_first_not_of('-') == std::string_view::npos;
}

// The line of a table's delimiter row: only pipes, dashes, colons and
// spaces, with a pipe (a line of dashes alone is a setext underline).
bool is_delimiter_row(std::string_view line, std::vector<std::string_view>& cells) {
  if (line.find('|') == std::string_view::npos || line.find('-') == std::string_view::npos) return false;
  if (line.find_first_not_of("|-: \t") != std::string_view::npos) return false;
  split_row(line, cells);
  return std::all_of(cells.begin(), cells.end(), is_delimiter_cell);
}

// Lines of a paragraph without the block-quote markers and indentation
// before them.
std::string_view without_container_prefix(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>')) ++i;
  return line.substr(i);
}

// The text of the inlines' text nodes with pipes read as cell separators
// (a pipe inside emphasis or a link: the cells cannot be split there).
void replace_pipes(doc::inlines& content) {
  for (auto& n : content) {
    if (n.kind != doc::inline_kind::text) {
      replace_pipes(n.children);
      continue;
    }
    if (n.text.find('|') == std::string::npos) continue;
    std::string out;
    for (char c : n.text) {
      if (c != '|') {
        if (c != ' ' || out.empty() || !out.ends_with(cell_separator)) out += c;
        continue;
      }
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += cell_separator;
    }
    n.text = std::move(out);
  }
}

// Appends text to the inlines, joined to a text node at their end.
void append_text(doc::inlines& content, std::string_view s, source_pos pos) {
  if (s.empty()) return;
  if (!content.empty() && content.back().kind == doc::inline_kind::text) content.back().text += s;
  else content.push_back(doc::text(std::string(s), pos));
}

// Removes white space at either end of a cell, and text nodes left empty.
void trim_cell(doc::inlines& cell) {
  while (!cell.empty() && cell.front().kind == doc::inline_kind::text) {
    std::string& t = cell.front().text;
    const std::size_t k = t.find_first_not_of(' ');
    if (k == std::string::npos) {
      cell.erase(cell.begin());
      continue;
    }
    t.erase(0, k);
    break;
  }
  while (!cell.empty() && cell.back().kind == doc::inline_kind::text) {
    std::string& t = cell.back().text;
    const std::size_t k = t.find_last_not_of(' ');
    if (k == std::string::npos) {
      cell.pop_back();
      continue;
    }
    t.erase(k + 1);
    break;
  }
}

// `# Title {#id .class}`: pandoc's attributes at the end of a heading are
// not its text.
void strip_heading_attributes(doc::inlines& content) {
  if (content.empty() || content.back().kind != doc::inline_kind::text) return;
  std::string& t = content.back().text;
  const std::size_t end = t.find_last_not_of(' ');
  if (end == std::string::npos || t[end] != '}') return;
  const std::size_t open = t.rfind('{', end);
  if (open == std::string::npos || attribute_block(std::string_view(t).substr(open, end + 1 - open)) != end + 1 - open)
    return;
  t.erase(open);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t.empty()) content.pop_back();
}

// --- pandoc's block extensions ----------------------------------------------------
//
// Exports made with pandoc hold block constructs that CommonMark does not
// know. A pass over the body's lines (outside fenced code) finds them
// before cmark reads it, and rewrites them, keeping every line where it is:
//  - fenced divs, `::: {.class}` ... `:::`: the fence lines are emptied, so
//    that the blocks inside read as any others; the blocks of a div whose
//    class names page furniture (promo, newsletter, share, ...) are then
//    dropped;
//  - footnote definitions, `[^1]: text` and the lines indented under it:
//    the marker is cut from the line and the indentation from the others,
//    and the definition's paragraphs become notes (code blocks are read as
//    notes), the first one starting with the footnote's number. The
//    references in the text, `[^1]`, become that number in superscript
//    digits. Numbered labels keep their number; the others are numbered
//    after the highest one, in the order of their definitions.

struct furniture_div {
  std::size_t first = 0, last = 0;  // line indices of its fences
  const char* code = nullptr;       // the diagnostic's code
  std::string name;                 // the class that names it
};

struct footnote {
  std::size_t first = 0, last = 0;  // line indices of its definition
  std::uint32_t column = 1;          // where its marker starts
  std::string label;
  int number = 0;
};

struct extensions {
  bool rewritten = false;
  std::string body;  // the body rewritten, if it was
  std::vector<furniture_div> dropped;  // in the order of their lines, none inside another
  bool references = false;  // the body may refer to footnotes
  bool spans = false;       // the body may hold bracketed spans
  std::vector<footnote> notes;  // in the order of their lines
  std::unordered_map<std::string, int> numbers;  // footnotes' labels and numbers
  // Code points cut from the start of each line, by line index; empty when
  // no line's start was cut.
  std::vector<std::uint32_t> shifts;
  // By line index, 1 + the index in `notes` of the footnote whose
  // definition holds the line, and 1 + the index in `dropped` of the div
  // the line is inside (its fences are not), else 0; empty when there are
  // no notes, or no dropped divs.
  std::vector<std::uint32_t> note_lines, dropped_lines;
};

// The number of a footnote label of digits, or -1.
int numbered_label(std::string_view label) {
  if (label.empty() || label.size() > 4 || label.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  return std::atoi(std::string(label).c_str());
}

// A footnote's label: no white space or brackets, not too long.
bool is_footnote_label(std::string_view label) {
  return !label.empty() && label.size() <= 100 && label.find_first_of(" \t[]") == std::string_view::npos;
}

// A footnote definition's first line, `[^label]: text`, up to three spaces
// in: its label, and in `length` the bytes before its text.
bool footnote_definition(std::string_view line, std::string_view& label, std::size_t& length) {
  std::size_t i = 0;
  while (i < line.size() && i < 4 && line[i] == ' ') ++i;
  if (i > 3 || line.substr(i, 2) != "[^") return false;
  const std::size_t close = line.find(']', i + 2);
  if (close == std::string_view::npos || close + 1 >= line.size() || line[close + 1] != ':') return false;
  label = line.substr(i + 2, close - i - 2);
  if (!is_footnote_label(label)) return false;
  length = close + 2;
  while (length < line.size() && (line[length] == ' ' || line[length] == '\t')) ++length;
  return true;
}

// Pandoc's bracketed spans, `[words]{.class}`: the words alone (the
// brackets would read as an editor's insertion).
std::string without_spans(std::string_view text) {
  std::string out;
  std::size_t done = 0;
  for (std::size_t k = text.find("]{"); k != std::string_view::npos; k = text.find("]{", k + 1)) {
    const std::size_t attrs = attribute_block(text.substr(k + 1));
    const std::size_t open = attrs == 0 ? std::string_view::npos : text.rfind('[', k);
    if (open == std::string_view::npos || open < done || text.substr(open, k - open).find(']') != std::string_view::npos)
      continue;
    out.append(text.substr(done, open - done));
    out.append(text.substr(open + 1, k - open - 1));
    done = k + 1 + attrs;
  }
  out.append(text.substr(done));
  return out;
}

// Whether s holds a square bracket, '[' or ']'.
bool has_bracket(std::string_view s) {
  const char* p = s.data();
#if defined(__SSE2__)
  if (s.size() >= 16) {
    // Sixteen bytes at a time, the last sixteen read last (again in part).
    const __m128i open = _mm_set1_epi8('['), close = _mm_set1_epi8(']');
    const auto any = [&](std::size_t i) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      return _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, open), _mm_cmpeq_epi8(v, close))) != 0;
    };
    for (std::size_t i = 0; i + 16 < s.size(); i += 16)
      if (any(i)) return true;
    return any(s.size() - 16);
  }
#endif
  for (char c : s)
    if (c == '[' || c == ']') return true;
  return false;
}

// The text with footnote references, `[^label]`, as superscript numbers.
std::string with_footnote_numbers(std::string_view text, const std::unordered_map<std::string, int>& numbers) {
  std::string out;
  std::size_t done = 0;
  for (std::size_t k = text.find("[^"); k != std::string_view::npos; k = text.find("[^", k + 2)) {
    const std::size_t close = text.find(']', k + 2);
    if (close == std::string_view::npos) break;
    const std::string_view label = text.substr(k + 2, close - k - 2);
    if (!is_footnote_label(label)) continue;
    int number = numbered_label(label);
    if (number < 0) {
      const auto note = numbers.find(std::string(label));
      if (note == numbers.end()) continue;
      number = note->second;
    }
    out.append(text.substr(done, k - done));
    out += scan::superscript(number);
    done = close + 1;
    k = close - 1;
  }
  out.append(text.substr(done));
  return out;
}

// The diagnostic code for a div of page furniture, by one of its classes
// ("promo", "newsletter-signup", "share_buttons"), or null.
const char* furniture_code(std::string_view name) {
  static constexpr std::pair<std::string_view, const char*> words[] = {
      {"promo", "noise-promo"},          {"promotion", "noise-promo"},    {"newsletter", "noise-promo"},
      {"subscribe", "noise-promo"},      {"subscription", "noise-promo"}, {"signup", "noise-promo"},
      {"paywall", "noise-promo"},        {"ad", "noise-banner"},          {"ads", "noise-banner"},
      {"advert", "noise-banner"},        {"advertisement", "noise-banner"}, {"advertising", "noise-banner"},
      {"sponsored", "noise-banner"},     {"share", "noise-share"},        {"sharing", "noise-share"},
      {"social", "noise-share"},         {"related", "noise-related"},    {"cookie", "noise-cookie"},
      {"cookies", "noise-cookie"}};
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t end = name.find_first_of("-_", start);
    if (end == std::string_view::npos) end = name.size();
    const std::string part = utf8::to_lower(name.substr(start, end - start));
    for (const auto& [word, code] : words)
      if (part == word) return code;
    start = end + 1;
  }
  return nullptr;
}

// A fenced div's fence, up to three spaces in: 1 opening (its attributes,
// `{.promo}` or a bare class, in attrs), 2 closing, 0 neither.
int div_fence(std::string_view line, std::string_view& attrs) {
  std::size_t i = 0;
  while (i < line.size() && i < 4 && line[i] == ' ') ++i;
  if (i > 3) return 0;
  std::size_t colons = i;
  while (colons < line.size() && line[colons] == ':') ++colons;
  if (colons - i < 3) return 0;
  std::string_view rest = scan::trim(line.substr(colons));
  if (rest.empty()) return 2;
  while (!rest.empty() && rest.back() == ':') rest.remove_suffix(1);
  rest = scan::trim(rest);
  if (rest.empty()) return 0;
  if (rest.front() == '{') {
    if (attribute_block(rest) != rest.size()) return 0;
  } else if (rest.find_first_of(" \t{}") != std::string_view::npos) {
    return 0;
  }
  attrs = rest;
  return 1;
}

// An opening code fence (``` or ~~~), up to three spaces in: its length.
std::size_t code_fence(std::string_view line, char& fence) {
  std::size_t i = 0;
  while (i < line.size() && i < 4 && line[i] == ' ') ++i;
  if (i > 3 || i == line.size() || (line[i] != '`' && line[i] != '~')) return 0;
  std::size_t n = i;
  while (n < line.size() && line[n] == line[i]) ++n;
  if (n - i < 3 || (line[i] == '`' && line.find('`', n) != std::string_view::npos)) return 0;
  fence = line[i];
  return n - i;
}

// The byte offsets where the body's lines start: 0 and each one after a
// '\n'. Sixteen bytes at a time with SSE2, the newlines' places read from
// a mask.
std::vector<std::size_t> line_starts(std::string_view body) {
  std::vector<std::size_t> starts{0};
  const char* p = body.data();
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 16 <= body.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    for (auto bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline))); bits != 0; bits &= bits - 1)
      starts.push_back(i + static_cast<std::size_t>(std::countr_zero(bits)) + 1);
  }
#endif
  for (; i < body.size(); ++i)
    if (p[i] == '\n') starts.push_back(i + 1);
  return starts;
}

// The character after up to three spaces at the start of a line, where
// fences and footnote definitions start, or 0.
char line_mark(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  return i < line.size() ? line[i] : 0;
}

// Records that `cut` code points were cut from the start of line `index`,
// of `lines`.
void set_shift(extensions& ext, std::size_t lines, std::size_t index, std::uint32_t cut) {
  if (ext.shifts.empty()) ext.shifts.resize(lines);
  ext.shifts[index] = cut;
}

// Obsidian's markup that shows nothing, or only some of its text, in the
// app: a %% comment %% (over several lines too) goes, as do a block's id
// at its end ("Like linden. ^tasting") and a callout's type ("> [!note]
// Context"); a [[wikilink]] keeps its text ("[[Page|shown]]" shows
// "shown"). Appends byte ranges to cut to `cuts`, none taking a line break;
// code blocks are left alone.
void obsidian_cuts(std::string_view body, const std::vector<std::size_t>& starts, extensions& ext,
                   std::vector<std::pair<std::size_t, std::size_t>>& cuts) {
  struct span {
    std::size_t from, to, index;  // bytes of the body, and the line's index
  };
  std::vector<span> open;  // the cuts of a comment not closed yet
  // What the body holds at all: a line is searched only for those.
  const bool comments = body.find("%%") != std::string_view::npos;
  const bool links = body.find("[[") != std::string_view::npos;
  bool in_comment = false;
  char fence = 0;
  std::size_t fence_len = 0;
  const auto keep = [&](const span& c) {
    cuts.emplace_back(c.from, c.to);
    if (c.from == starts[c.index]) {
      if (ext.shifts.empty()) ext.shifts.resize(starts.size());
      ext.shifts[c.index] += static_cast<std::uint32_t>(scan::length(body.substr(c.from, c.to - c.from)));
    }
  };
  for (std::size_t index = 0; index < starts.size() && starts[index] < body.size(); ++index) {
    const std::size_t at = starts[index];
    const std::size_t end = index + 1 < starts.size() ? starts[index + 1] - 1 : body.size();
    const std::string_view line = body.substr(at, end - at);
    if (!in_comment) {
      char c = 0;
      if (fence) {
        if (line_mark(line) == fence && code_fence(line, c) >= fence_len && c == fence &&
            scan::trim(line).find_first_not_of(c) == std::string_view::npos)
          fence = 0;
        continue;
      }
      if (const std::size_t n = code_fence(line, c); n > 0) {
        fence = c;
        fence_len = n;
        continue;
      }
    }
    if (in_comment || (comments && line.find("%%") != std::string_view::npos)) {
      std::size_t from = 0;
      for (std::size_t i = 0, p; (p = line.find("%%", i)) != std::string_view::npos; i = p + 2) {
        if (!in_comment) {
          from = p;
          in_comment = true;
          continue;
        }
        open.push_back({at + from, at + p + 2, index});
        for (const span& c : open) keep(c);
        open.clear();
        in_comment = false;
      }
      if (in_comment && from < line.size()) open.push_back({at + from, end, index});
      continue;
    }
    // "> [!note] Context", "> [!tip]- Folded": the callout's type.
    std::size_t q = 0;
    while (q < line.size() && (line[q] == ' ' || line[q] == '>')) ++q;
    if (q > 0 && line.find('>') < q && line.substr(q).starts_with("[!")) {
      const std::size_t close = line.find(']', q);
      if (close != std::string_view::npos) {
        std::size_t to = close + 1;
        if (to < line.size() && (line[to] == '+' || line[to] == '-')) ++to;
        while (to < line.size() && line[to] == ' ') ++to;
        keep({at + q, at + to, index});
      }
    }
    // [[Page]], [[Page|shown]], ![[embedded]]: the brackets go, and the
    // page's name where another text is shown.
    for (std::size_t i = 0, p; links && (p = line.find("[[", i)) != std::string_view::npos;) {
      const std::size_t close = line.find("]]", p + 2);
      if (close == std::string_view::npos) break;
      const std::string_view inner = line.substr(p + 2, close - p - 2);
      if (inner.empty() || inner.find_first_of("[]") != std::string_view::npos) {
        i = p + 2;
        continue;
      }
      const std::size_t bar = inner.find('|');
      const std::size_t from = p > 0 && line[p - 1] == '!' ? p - 1 : p;
      keep({at + from, at + p + 2 + (bar == std::string_view::npos || bar + 1 == inner.size() ? 0 : bar + 1), index});
      keep({at + (bar != std::string_view::npos && bar + 1 == inner.size() ? p + 2 + bar : close), at + close + 2,
            index});
      i = close + 2;
    }
    // "... ^tasting", or "^tasting" alone under a block: its id, read back
    // from the line's end (letters, digits and '-' after a '^').
    const std::string_view t = line.substr(0, line.find_last_not_of(" \t") + 1);
    std::size_t caret = t.size();
    while (caret > 0 && ((t[caret - 1] >= 'a' && t[caret - 1] <= 'z') || (t[caret - 1] >= 'A' && t[caret - 1] <= 'Z') ||
                         (t[caret - 1] >= '0' && t[caret - 1] <= '9') || t[caret - 1] == '-'))
      --caret;
    if (caret > 0 && caret < t.size() && t[--caret] == '^' && (caret == 0 || t[caret - 1] == ' '))
      keep({at + (caret == 0 ? 0 : caret - 1), at + t.size(), index});
  }
}

// starts: the body's line starts (line_starts); when the body is rewritten
// they are moved to the rewritten body's (no cut takes a line break).
extensions read_extensions(std::string_view body, std::vector<std::size_t>& starts) {
  extensions ext;
  ext.references = body.find("[^") != std::string_view::npos;
  ext.spans = body.find("]{") != std::string_view::npos;
  const bool obsidian = body.find("%%") != std::string_view::npos || body.find("[[") != std::string_view::npos ||
                        body.find("[!") != std::string_view::npos || body.find('^') != std::string_view::npos;
  if (!ext.references && !obsidian && body.find(":::") == std::string_view::npos) return ext;
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // byte ranges left out
  struct open_div {
    std::size_t line;
    const char* code;
    std::string_view name;
  };
  std::vector<open_div> divs;
  char fence = 0;
  std::size_t fence_len = 0;
  std::size_t index = 0;
  bool in_note = false, blank_before = false;  // lines of a footnote's definition
  for (; index < starts.size() && starts[index] < body.size(); ++index) {
    const std::size_t at = starts[index];
    const std::size_t end = index + 1 < starts.size() ? starts[index + 1] - 1 : body.size();
    const std::string_view line = body.substr(at, end - at);
    // Fences and definitions start with one of these (most lines do not).
    const char mark = line_mark(line);
    if (in_note && !fence) {
      std::string_view label;
      std::size_t length = 0;
      if (is_blank(line)) {
        blank_before = true;
        continue;
      }
      // Indented under the definition: its text.
      const std::size_t indent = line[0] == '\t' ? 1 : line.starts_with("    ") ? 4 : 0;
      if (indent > 0) {
        cuts.emplace_back(at, at + indent);
        set_shift(ext, starts.size(), index, static_cast<std::uint32_t>(indent));
        ext.notes.back().last = index;
        blank_before = false;
        continue;
      }
      // Right under it: a lazy continuation line of its paragraph.
      if (!blank_before && (mark != '[' || !footnote_definition(line, label, length)) &&
          (mark != ':' || div_fence(line, label) == 0)) {
        ext.notes.back().last = index;
        continue;
      }
      in_note = false;
    }
    if (fence) {
      char c = 0;
      if (mark == fence && code_fence(line, c) >= fence_len && c == fence &&
          scan::trim(line).find_first_not_of(c) == std::string_view::npos)
        fence = 0;
      continue;
    }
    if (mark != '`' && mark != '~' && mark != '[' && mark != ':') continue;
    if (const std::size_t n = code_fence(line, fence); n > 0) {
      fence_len = n;
      continue;
    }
    fence = 0;
    std::string_view label;
    if (std::size_t length = 0; ext.references && footnote_definition(line, label, length)) {
      cuts.emplace_back(at, at + length);
      set_shift(ext, starts.size(), index, static_cast<std::uint32_t>(scan::length(line.substr(0, length))));
      const auto column = static_cast<std::uint32_t>(line.find('[') + 1);
      ext.notes.push_back({index, index, column, std::string(label), 0});
      in_note = true;
      blank_before = false;
      continue;
    }
    std::string_view attrs;
    const int f = div_fence(line, attrs);
    if (f == 0) continue;
    cuts.emplace_back(at, end);
    if (f == 1) {
      open_div d{index, nullptr, {}};
      if (attrs.front() != '{') {
        d.code = furniture_code(attrs);
        d.name = attrs;
      } else {
        // The classes: `.name` words.
        for (std::size_t k = attrs.find('.'); k != std::string_view::npos && !d.code; k = attrs.find('.', k + 1)) {
          if (attrs[k - 1] != ' ' && attrs[k - 1] != '{') continue;
          std::size_t e = attrs.find_first_of(" \t}", k);
          if (e == std::string_view::npos) e = attrs.size();
          d.name = attrs.substr(k + 1, e - k - 1);
          d.code = furniture_code(d.name);
        }
      }
      divs.push_back(d);
    } else if (!divs.empty()) {
      const open_div d = divs.back();
      divs.pop_back();
      const bool inside = std::any_of(divs.begin(), divs.end(), [](const open_div& o) { return o.code != nullptr; });
      if (d.code && !inside) ext.dropped.push_back({d.line, index, d.code, std::string(d.name)});
    }
  }
  // Numbers for the footnotes: their own, or after the highest one.
  int next = 1;
  for (const auto& n : ext.notes) next = std::max(next, numbered_label(n.label) + 1);
  for (auto& n : ext.notes) {
    n.number = numbered_label(n.label);
    if (n.number < 0) {
      // A label defined twice keeps its first number.
      const auto [same, added] = ext.numbers.try_emplace(n.label, next);
      if (added) ++next;
      n.number = same->second;
    }
  }
  // The lines of each note and dropped div, for the walker's blocks.
  if (!ext.notes.empty()) ext.note_lines.resize(starts.size());
  for (std::size_t k = 0; k < ext.notes.size(); ++k)
    for (std::size_t i = ext.notes[k].first; i <= ext.notes[k].last; ++i)
      ext.note_lines[i] = static_cast<std::uint32_t>(k + 1);
  if (!ext.dropped.empty()) ext.dropped_lines.resize(starts.size());
  for (std::size_t k = 0; k < ext.dropped.size(); ++k)
    for (std::size_t i = ext.dropped[k].first + 1; i < ext.dropped[k].last; ++i)
      ext.dropped_lines[i] = static_cast<std::uint32_t>(k + 1);
  if (obsidian) {
    obsidian_cuts(body, starts, ext, cuts);
    // In the order of the body, and none overlapping another.
    std::sort(cuts.begin(), cuts.end());
    std::size_t kept = 0;
    for (const auto& c : cuts)
      if (kept == 0 || c.first >= cuts[kept - 1].second) cuts[kept++] = c;
    cuts.resize(kept);
  }
  if (cuts.empty()) return ext;
  ext.rewritten = true;
  ext.body.reserve(body.size());
  std::size_t done = 0;
  for (const auto& [from, to] : cuts) {
    ext.body.append(body.substr(done, from - done));
    done = to;
  }
  ext.body.append(body.substr(done));
  std::size_t cut = 0, next_cut = 0;
  for (std::size_t& start : starts) {
    for (; next_cut < cuts.size() && cuts[next_cut].first < start; ++next_cut)
      cut += cuts[next_cut].second - cuts[next_cut].first;
    start -= cut;
  }
  return ext;
}

class walker {
 public:
  // starts: the body's line starts (line_starts).
  walker(std::string_view body, std::vector<std::size_t> starts, std::uint32_t first_line, diagnostics& diags,
         const extensions& ext)
      : body_(body),
        line_offset_(first_line == 0 ? 0 : first_line - 1),
        diags_(diags),
        ext_(ext),
        line_starts_(std::move(starts)) {
    // Blocks are mostly separated by blank lines: a first guess that saves
    // moving them all as the list grows.
    blocks_.reserve(line_starts_.size() / 2 + 16);
  }

  // Walks the tree of one part of the body; first_index: the index in the
  // body of the part's first line (cmark counts lines from the part's).
  void walk(cmark_node* root, std::size_t first_index) {
    part_line_ = first_index;
    cmark_iter* iter = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
      cmark_node* node = cmark_iter_get_node(iter);
      if (ev == CMARK_EVENT_ENTER)
        enter(node);
      else
        exit(node);
    }
    cmark_iter_free(iter);
  }

  std::vector<raw_block> take() { return std::move(blocks_); }

  // The index of the line that starts at byte `offset` of the body (or of
  // the body's end).
  std::size_t line_at(std::size_t offset) const {
    return static_cast<std::size_t>(std::lower_bound(line_starts_.begin(), line_starts_.end(), offset) -
                                    line_starts_.begin());
  }

 private:
  // Innermost block containers that decide a paragraph's kind.
  struct container {
    bool quote = false;  // block quote, else list item
    int number = 0;      // list item: its number (0 in bullet lists)
  };
  struct list_state {
    bool ordered = false;
    int next = 1;
  };

  // A line number of cmark's, counted from the body's first line.
  int body_line(int line) const { return line > 0 ? line + static_cast<int>(part_line_) : line; }

  // cmark's line and byte column to our line and code-point column.
  source_pos pos_of(cmark_node* node) const {
    const int line = cmark_node_get_start_line(node);
    const int col = cmark_node_get_start_column(node);
    if (line <= 0) return {};
    const auto index = static_cast<std::size_t>(line - 1) + part_line_;
    source_pos p{static_cast<std::uint32_t>(index + 1) + line_offset_, 1};
    if (col > 1 && index < line_starts_.size()) {
      const std::size_t start = line_starts_[index];
      const std::size_t end = index + 1 < line_starts_.size() ? line_starts_[index + 1] : body_.size();
      const std::size_t bytes = std::min(static_cast<std::size_t>(col - 1), end - start);
      // Inline nodes come in order along a line: count from the last one
      // rather than from the line start, or long lines get quadratic.
      if (index != cache_line_ || bytes < cache_bytes_) {
        cache_line_ = index;
        cache_bytes_ = 0;
        cache_cps_ = 0;
      }
      cache_cps_ += scan::length(std::string_view(body_.data() + start + cache_bytes_, bytes - cache_bytes_));
      cache_bytes_ = bytes;
      p.col = static_cast<std::uint32_t>(cache_cps_) + 1;
    }
    // A line whose start was cut (read_extensions).
    if (index < ext_.shifts.size()) p.col += ext_.shifts[index];
    return p;
  }

  // The block is built where it stays, at the end of blocks_ (which does
  // not grow while a block is open), rather than moved there when done.
  void begin_block(raw_kind kind, cmark_node* node) {
    const int line = body_line(cmark_node_get_start_line(node));
    const bool same_group = !blocks_.empty() && line > 0 && line == last_end_line_ + 1;
    current_ = &blocks_.emplace_back();
    raw_block& b = *current_;
    b.kind = kind;
    b.pos = pos_of(node);
    b.same_group = same_group;
    if (kind == raw_kind::paragraph && !containers_.empty()) {
      const container& c = containers_.back();
      b.kind = c.quote ? raw_kind::quote : raw_kind::item;
      b.number = c.quote ? 0 : c.number;
    }
    open_.assign(1, &b.content);
    created_.clear();
    in_run_ = false;
    in_block_ = true;
    table_breaks_ = -1;
    breaks_ = 0;
    row_begin_ = 0;
    image_link_ = nullptr;
    dropping_ = nullptr;
    if (!ext_.dropped.empty() && line > 0) {
      const auto index = static_cast<std::size_t>(line - 1);
      if (index < ext_.dropped_lines.size() && ext_.dropped_lines[index] > 0)
        dropping_ = &ext_.dropped[ext_.dropped_lines[index] - 1];
    }
  }

  void end_block(cmark_node* node) {
    end_run();
    raw_block& b = *current_;
    if (b.kind == raw_kind::heading) strip_heading_attributes(b.content);
    if (b.content.size() == 1 && b.content[0].kind == doc::inline_kind::text) {
      // The common case: one text node, already collapsed by end_run();
      // only its ends may hold a space.
      std::string_view t = b.content[0].text;
      // Most ends are a printable ASCII character, no space.
      const auto printable = [](char c) { return c > ' ' && static_cast<unsigned char>(c) < 0x80; };
      if (!t.empty() && !printable(t.front()))
        for (std::size_t k; !t.empty() && (k = space_at(t, 0)) != 0;) t.remove_prefix(k);
      while (!t.empty() && !printable(t.back())) {
        std::size_t k = t.size() - 1;
        while (k > 0 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80) --k;
        if (space_at(t, k) != t.size() - k) break;
        t.remove_suffix(t.size() - k);
      }
      // A string made to size and moved in: fewer instructions than
      // assign()'s general path.
      b.text = std::string(t);
    } else {
      flat_.clear();  // reused: one allocation for all blocks
      if (flatten_collapsed(b.content, flat_)) {
        if (!flat_.empty() && flat_.back() == ' ') flat_.pop_back();
        b.text = std::string(flat_);
      } else {
        flat_.clear();
        flatten(b.content, flat_);
        b.text.reserve(flat_.size());
        collapse_into(flat_, b.text, true);
      }
    }
    last_end_line_ = body_line(cmark_node_get_end_line(node));
    in_block_ = false;
    if (dropping_) {
      // A block of a div of page furniture.
      const std::string_view excerpt = std::string_view(b.text).substr(0, scan::prefix_bytes(b.text, 60));
      std::string message = "dropped page furniture (a \"" + dropping_->name + "\" div)";
      if (!excerpt.empty()) {
        message.append(": \"").append(excerpt);
        if (excerpt.size() < b.text.size()) message += "…";
        message += '"';
      }
      diags_.info(b.pos, dropping_->code, std::move(message));
      blocks_.pop_back();
      current_ = nullptr;
      dropping_ = nullptr;
    }
  }

  // Text for the open inline list. Consecutive pieces (text, soft breaks,
  // words in angle brackets) make one text node; they are gathered in run_
  // and the node made once the run ends (end_run), in one allocation of the
  // right size rather than grown piece by piece.
  void add_text(std::string_view s, cmark_node* node) {
    if (!in_run_) {
      // A run of one piece (a one-line paragraph) is not copied: the piece
      // stays valid until the run ends (cmark's tree, or html_block's text).
      in_run_ = true;
      run_first_ = s;
      run_.clear();
      run_pos_ = pos_of(node);
      if (run_pos_.line == 0) run_pos_ = current_->pos;
      return;
    }
    if (run_.empty()) run_.assign(run_first_);
    run_ += s;
  }

  // Makes the text node of the run being gathered, if any, with white space
  // runs collapsed (a single space kept at either end: it separates the node
  // from its neighbours). Called before anything else joins the inline list
  // and before the list or the block is closed. An empty run (cmark gives an
  // empty text node before a hard line break) makes no node.
  void end_run() {
    if (!in_run_) return;
    in_run_ = false;
    std::string_view run = run_.empty() ? run_first_ : std::string_view(run_);
    if (run.empty()) return;
    std::string numbered, unspanned;
    // Footnote references and spans both need a bracket; most runs have
    // none, and one scan tells.
    const bool brackets = (ext_.references || ext_.spans) && has_bracket(run);
    if (brackets && ext_.references && run.find("[^") != std::string_view::npos) {
      numbered = with_footnote_numbers(run, ext_.numbers);
      run = numbered;
    }
    if (brackets && ext_.spans && run.find("]{") != std::string_view::npos) {
      unspanned = without_spans(run);
      run = unspanned;
      if (run.empty()) return;
    }
    // As doc::text(s, pos), built in place.
    doc::inline_node& n = open_.back()->emplace_back();
    n.kind = doc::inline_kind::text;
    n.text.reserve(run.size());
    collapse_into(run, n.text, false);
    n.pos = run_pos_;
  }

  void add_node(doc::inline_kind kind, cmark_node* node, std::string text = {}) {
    end_run();
    // Empty code (spans or blocks) is dropped, as empty text is.
    if (kind == doc::inline_kind::code && text.empty()) return;
    doc::inline_node& n = open_.back()->emplace_back();
    n.kind = kind;
    if (!text.empty()) n.text = std::move(text);  // spans and breaks have none
    n.pos = pos_of(node);
    if (n.pos.line == 0) n.pos = current_->pos;
  }

  void open_span(doc::inline_kind kind, cmark_node* node) {
    // Past the depth limit the span's children go to its parent.
    if (open_.size() > max_inline_depth) {
      created_.push_back(false);
      return;
    }
    add_node(kind, node);
    doc::inline_node& n = open_.back()->back();
    if (kind == doc::inline_kind::link) n.target = std::string(url_of(node));
    open_.push_back(&n.children);
    created_.push_back(true);
  }

  void close_span() {
    if (created_.empty()) return;
    if (created_.back()) {
      end_run();
      open_.pop_back();
    }
    created_.pop_back();
  }

  void enter(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_BLOCK_QUOTE:
        containers_.push_back({true, 0});
        break;
      case CMARK_NODE_LIST:
        lists_.push_back({cmark_node_get_list_type(node) == CMARK_ORDERED_LIST, cmark_node_get_list_start(node)});
        break;
      case CMARK_NODE_ITEM: {
        int number = 0;
        if (!lists_.empty() && lists_.back().ordered) number = lists_.back().next++;
        containers_.push_back({false, number});
        break;
      }
      case CMARK_NODE_PARAGRAPH:
        begin_paragraph(node);
        break;
      case CMARK_NODE_HEADING:
        begin_block(raw_kind::heading, node);
        current_->level = cmark_node_get_heading_level(node);
        reserve_inlines(survey(node).inlines);
        break;
      case CMARK_NODE_THEMATIC_BREAK:
        begin_block(raw_kind::separator, node);
        end_block(node);
        break;
      case CMARK_NODE_CODE_BLOCK: {
        begin_block(raw_kind::code, node);
        std::string_view code = literal(node);
        while (!code.empty() && code.back() == '\n') code.remove_suffix(1);
        add_node(doc::inline_kind::code, node, std::string(code));
        end_block(node);
        break;
      }
      case CMARK_NODE_HTML_BLOCK:
        html_block(node);
        break;
      case CMARK_NODE_TEXT:
        if (in_block_) {
          // An image's or link's attribute block is not text.
          const std::string_view text = literal(node);
          if (const std::size_t k = attributes_after(node, text); k > 0) {
            if (const std::string_view rest = text.substr(k); !rest.empty()) add_text(rest, node);
          } else {
            add_text(text, node);
          }
        }
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        if (node == caption_break_) {
          caption_after_image(node);
        } else if (in_block_ && !table_break(node)) {
          if (cmark_node_get_type(node) == CMARK_NODE_SOFTBREAK) add_text(" ", node);
          else add_node(doc::inline_kind::line_break, node);
        }
        break;
      case CMARK_NODE_CODE:
        if (in_block_) add_node(doc::inline_kind::code, node, std::string(literal(node)));
        break;
      case CMARK_NODE_HTML_INLINE:
        if (in_block_) html_inline(node);
        break;
      case CMARK_NODE_EMPH:
        if (in_block_) open_span(doc::inline_kind::emphasis, node);
        break;
      case CMARK_NODE_STRONG:
        if (in_block_) open_span(doc::inline_kind::strong, node);
        break;
      case CMARK_NODE_LINK:
        // [words]() links nowhere: its words stay, as text of the parent.
        // The link around an image block ([![alt](src)](big.jpg)) goes too.
        if (in_block_) {
          if (url_of(node).empty() || node == image_link_) created_.push_back(false);
          else open_span(doc::inline_kind::link, node);
        }
        break;
      case CMARK_NODE_IMAGE:
        // An image inside running text: its alt text stays as text (the
        // tree has no inline images); the text nodes inside it arrive next.
        break;
      default:
        break;
    }
  }

  void exit(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_BLOCK_QUOTE:
      case CMARK_NODE_ITEM:
        if (!containers_.empty()) containers_.pop_back();
        break;
      case CMARK_NODE_LIST:
        if (!lists_.empty()) lists_.pop_back();
        break;
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
        if (in_block_) {
          if (table_breaks_ >= 0 && breaks_ >= table_breaks_ && open_.size() == 1) end_row();
          end_block(node);
        }
        break;
      case CMARK_NODE_EMPH:
      case CMARK_NODE_STRONG:
      case CMARK_NODE_LINK:
        if (in_block_) close_span();
        break;
      default:
        break;
    }
  }

  // Most blocks with several inline nodes ("**Name:** words") get them at
  // once rather than by the vector's doubling, each step a move of them all.
  void reserve_inlines(std::size_t n) {
    if (n > 1) current_->content.reserve(n);
  }

  void begin_paragraph(cmark_node* node) {
    begin_block(raw_kind::paragraph, node);
    const children kids = survey(node);
    reserve_inlines(kids.inlines);
    cmark_node* only = kids.only;
    if (!only) {
      // An image with its caption on the next line ("![alt](src)" /
      // "*Caption.*"): the image is a block, the caption the next one.
      cmark_node* first = cmark_node_first_child(node);
      cmark_node* brk = first ? cmark_node_next(first) : nullptr;
      if (cmark_node_get_type(first) == CMARK_NODE_IMAGE && brk &&
          (cmark_node_get_type(brk) == CMARK_NODE_SOFTBREAK || cmark_node_get_type(brk) == CMARK_NODE_LINEBREAK) &&
          cmark_node_next(brk)) {
        image_block(first);
        caption_break_ = brk;
        return;
      }
      table_breaks_ = table_header(node);
      footnote_block(node);
      return;
    }
    const cmark_node_type t = cmark_node_get_type(only);
    if (t == CMARK_NODE_STRONG) {
      current_->all_strong = true;
    } else if (t == CMARK_NODE_IMAGE) {
      image_block(only);
    } else if (t == CMARK_NODE_LINK) {
      // A linked image, [![alt](src)](big.jpg): the image is the block.
      cmark_node* inner = survey(only).only;
      if (inner && cmark_node_get_type(inner) == CMARK_NODE_IMAGE) {
        image_block(inner);
        image_link_ = only;
      }
    }
    footnote_block(node);
  }

  // A paragraph of a footnote's definition is a note (read as a code
  // block); the first one starts with the footnote's number.
  void footnote_block(cmark_node* node) {
    if (ext_.notes.empty() || current_->kind == raw_kind::image) return;
    const int line = body_line(cmark_node_get_start_line(node));
    if (line <= 0) return;
    const auto index = static_cast<std::size_t>(line - 1);
    if (index >= ext_.note_lines.size() || ext_.note_lines[index] == 0) return;
    const std::size_t k = ext_.note_lines[index] - 1;
    const footnote& n = ext_.notes[k];
    current_->kind = raw_kind::code;
    if (marked_.size() < ext_.notes.size()) marked_.resize(ext_.notes.size());
    if (!marked_[k]) {
      marked_[k] = true;
      marker_ = scan::superscript(n.number) + " ";
      add_text(marker_, node);
      // The note starts where its definition's marker was.
      if (index == n.first) current_->pos.col = run_pos_.col = n.column;
    }
  }

  // At the break after an image that starts a paragraph: the image block
  // ends there, and the rest of the paragraph is a block of its own.
  void caption_after_image(cmark_node* brk) {
    caption_break_ = nullptr;
    cmark_node* image = cmark_node_previous(brk);
    const bool open = in_block_ && current_;
    const std::uint32_t image_line = open ? current_->pos.line : 0;
    if (open) end_block(image);
    cmark_node* rest = cmark_node_next(brk);
    begin_block(raw_kind::paragraph, rest);
    if (current_->pos.line == 0 && image_line > 0) current_->pos = {image_line + 1, 1};
  }

  void image_block(cmark_node* image) {
    current_->kind = raw_kind::image;
    current_->image = std::string(url_of(image));
    const char* title = cmark_node_get_title(image);
    current_->title = title ? title : "";
  }

  // An HTML block with images: an image block for each, then the
  // <figcaption> as an italic paragraph (the caption of the image above it,
  // as in Markdown), then the block's other text. False when no image has
  // a source.
  bool html_images(cmark_node* node, source_pos pos) {
    const html_figure f = read_html_figure(literal(node));
    if (f.images.empty()) return false;
    diags_.info(pos, "html-block", f.caption.empty() ? "raw HTML image read as an image"
                                                     : "raw HTML figure read as an image and its caption");
    for (const auto& img : f.images) {
      begin_block(raw_kind::image, node);
      current_->image = img.src;
      current_->title = img.title;
      if (!img.alt.empty()) add_text(img.alt, node);
      end_block(node);
    }
    if (!f.caption.empty()) {
      begin_block(raw_kind::paragraph, node);
      add_node(doc::inline_kind::emphasis, node);
      open_.push_back(&open_.back()->back().children);
      add_text(f.caption, node);
      end_run();
      open_.pop_back();
      end_block(node);
    }
    if (!f.rest.empty()) {
      begin_block(raw_kind::paragraph, node);
      add_text(f.rest, node);
      end_block(node);
    }
    return true;
  }

  // A pipe table in the paragraph: the number of lines before its header
  // row (GFM: the row above the delimiter row), else -1.
  int table_header(cmark_node* para) {
    const int first = cmark_node_get_start_line(para), last = cmark_node_get_end_line(para);
    if (first <= 0 || last <= first) return -1;
    const auto line_text = [&](int line) {
      const std::size_t index = static_cast<std::size_t>(line - 1) + part_line_;
      if (index >= line_starts_.size()) return std::string_view();
      const std::size_t start = line_starts_[index];
      const std::size_t end = index + 1 < line_starts_.size() ? line_starts_[index + 1] - 1 : body_.size();
      return body_.substr(start, end - start);
    };
    for (int line = first + 1; line <= last; ++line) {
      if (!is_delimiter_row(without_container_prefix(line_text(line)), cells_)) continue;
      const std::size_t columns = cells_.size();
      std::string_view header = line_text(line - 1);
      if (line - 1 == first) {
        // The paragraph's first line: from its first character on, past a
        // list item's marker.
        const int col = cmark_node_get_start_column(para);
        header = col > 1 ? header.substr(std::min(header.size(), static_cast<std::size_t>(col - 1))) : header;
      } else {
        header = without_container_prefix(header);
      }
      if (header.find('|') == std::string_view::npos) continue;
      split_row(header, cells_);
      if (cells_.size() == columns) return line - 1 - first;
    }
    return -1;
  }

  // A line break in a paragraph with a table: the rows from the header on
  // each end at one (a line break in the block), and are tidied there.
  // False for the breaks above the table, which are as in any paragraph.
  bool table_break(cmark_node* node) {
    if (table_breaks_ < 0) return false;
    const int n = breaks_++;
    if (n + 1 < table_breaks_) return false;
    if (n + 1 > table_breaks_ && open_.size() == 1) end_row();
    add_node(doc::inline_kind::line_break, node);
    if (open_.size() == 1) row_begin_ = open_.front()->size();
    return true;
  }

  // The row that ends here: its inlines since row_begin_ split into cells
  // at the pipes of their text, then joined again by the separator. The
  // delimiter row and rows without text are dropped with the line break
  // before them.
  void end_row() {
    end_run();
    doc::inlines& all = *open_.front();
    if (row_begin_ > all.size()) return;
    if (row_begin_ + 1 == all.size() && all.back().kind == doc::inline_kind::text &&
        (row_begin_ == 0 || all[row_begin_ - 1].kind != doc::inline_kind::text)) {
      plain_row();
      return;
    }
    std::vector<doc::inlines> cells(1);
    bool plain = true;
    for (std::size_t i = row_begin_; i < all.size(); ++i) {
      doc::inline_node& n = all[i];
      if (n.kind != doc::inline_kind::text) {
        plain = false;
        replace_pipes(n.children);
        cells.back().push_back(std::move(n));
        continue;
      }
      const std::string_view t = n.text;
      for (std::size_t from = 0;;) {
        const std::size_t bar = t.find('|', from);
        const std::string_view piece = t.substr(from, bar == std::string_view::npos ? bar : bar - from);
        if (!piece.empty()) cells.back().push_back(doc::text(std::string(piece), n.pos));
        if (bar == std::string_view::npos) break;
        cells.emplace_back();
        from = bar + 1;
      }
    }
    all.erase(all.begin() + static_cast<std::ptrdiff_t>(row_begin_), all.end());
    bool delimiter = plain;
    std::size_t filled = 0;
    for (auto& cell : cells) {
      trim_cell(cell);
      if (cell.empty()) continue;
      ++filled;
      if (cell.size() != 1 || cell[0].kind != doc::inline_kind::text || !is_delimiter_cell(cell[0].text))
        delimiter = false;
    }
    if (filled == 0 || delimiter) {
      if (!all.empty() && all.back().kind == doc::inline_kind::line_break) all.pop_back();
      return;
    }
    bool first = true;
    for (auto& cell : cells) {
      if (cell.empty()) continue;
      if (!first) append_text(all, cell_separator, cell.front().pos);
      first = false;
      for (auto& n : cell) {
        if (n.kind == doc::inline_kind::text) append_text(all, n.text, n.pos);
        else all.push_back(std::move(n));
      }
    }
  }

  // The common row, one text node after a line break: the same as the
  // general case, with the cells as pieces of its text rather than nodes.
  // The row becomes the cells' text joined, in the node itself.
  void plain_row() {
    doc::inlines& all = *open_.front();
    const std::string_view t = all.back().text;
    std::string joined;
    joined.reserve(t.size() + 16);
    bool delimiter = true;
    std::size_t filled = 0;
    for (std::size_t from = 0; from <= t.size();) {
      std::size_t bar = t.find('|', from);
      if (bar == std::string_view::npos) bar = t.size();
      std::string_view cell = t.substr(from, bar - from);
      from = bar + 1;
      // trim_cell's trimming: spaces only.
      const std::size_t first = cell.find_first_not_of(' ');
      if (first == std::string_view::npos) continue;
      cell = cell.substr(first, cell.find_last_not_of(' ') + 1 - first);
      ++filled;
      if (!is_delimiter_cell(cell)) delimiter = false;
      if (!joined.empty()) joined += cell_separator;
      joined += cell;
    }
    if (filled == 0 || delimiter) {
      all.pop_back();
      if (!all.empty() && all.back().kind == doc::inline_kind::line_break) all.pop_back();
      return;
    }
    all.back().text = std::move(joined);
  }

  void html_inline(cmark_node* node) {
    const std::string_view tag = literal(node);
    if (is_br_tag(tag))
      add_node(doc::inline_kind::line_break, node);
    else if (!is_formatting_tag(tag))
      add_text(tag, node);  // `<Jane Doe>` and the like: words, not markup
  }

  void html_block(cmark_node* node) {
    const source_pos pos = pos_of(node);
    if (find_nocase(literal(node), "<img") != std::string_view::npos && html_images(node, pos)) return;
    const std::string text = collapse(strip_tags(literal(node)), true);
    if (text.empty()) {
      diags_.info(pos, "html-block", "raw HTML block without text dropped");
      return;
    }
    diags_.info(pos, "html-block", "raw HTML block read as a paragraph without its tags");
    begin_block(raw_kind::paragraph, node);
    add_text(text, node);
    end_block(node);
  }

 private:
  std::string_view body_;
  std::uint32_t line_offset_;
  diagnostics& diags_;
  const extensions& ext_;
  const furniture_div* dropping_ = nullptr;  // the div whose block is open
  std::vector<bool> marked_;  // per footnote: its number is in a block
  std::string marker_;        // the number of the footnote being begun
  std::vector<std::size_t> line_starts_;
  // pos_of's memo: code points before byte cache_bytes_ of line cache_line_.
  mutable std::size_t cache_line_ = SIZE_MAX, cache_bytes_ = 0, cache_cps_ = 0;
  std::vector<raw_block> blocks_;
  std::string flat_;  // end_block's buffer
  std::vector<container> containers_;
  std::vector<list_state> lists_;
  raw_block* current_ = nullptr;  // the open block, blocks_.back()
  std::vector<doc::inlines*> open_;  // the inline lists being filled, innermost last
  std::vector<bool> created_;        // per open span: was a node made for it
  bool in_block_ = false;
  std::string run_;  // the text run being gathered (add_text), from its second piece
  std::string_view run_first_;  // its first piece
  bool in_run_ = false;
  source_pos run_pos_;  // where the run starts
  int last_end_line_ = -1;
  std::size_t part_line_ = 0;  // index of the walked part's first line
  // A table in the open paragraph (table_header): lines before its header
  // row, or -1; line breaks passed so far; where the current row's
  // inlines start in the block's.
  int table_breaks_ = -1;
  int breaks_ = 0;
  std::size_t row_begin_ = 0;
  std::vector<std::string_view> cells_;  // table_header's buffer
  cmark_node* image_link_ = nullptr;  // the link around the open image block
  cmark_node* caption_break_ = nullptr;  // the break after an image with a caption under it
};

// --- memory for cmark ----------------------------------------------------------
//
// cmark allocates every node and buffer separately and frees them one by one
// at the end; with many short blocks that was a fifth of the Markdown time.
// During one read_markdown its allocations come from an arena instead: a
// bump pointer in large chunks, realloc growing the newest allocation in
// place, and the whole tree released with the arena, not node by node.
// cmark does free a good part of what it allocates while it parses (each
// paragraph's buffer once its inlines are made, emphasis delimiters, text
// nodes merged into their neighbour): about half the bytes. Freed blocks go
// on a free list per size and are handed out again, so the arena stays
// near what is alive rather than all that was ever allocated, and fewer of
// its pages are touched for the first time.
// cmark's allocator functions take no context, so the arena in use is a
// per-thread pointer (batch conversions parse on several threads).
class cmark_arena {
 public:
  cmark_arena() = default;
  cmark_arena(const cmark_arena&) = delete;
  cmark_arena& operator=(const cmark_arena&) = delete;
  ~cmark_arena() {
    for (const chunk& c : chunks_) std::free(c.data);
  }

  void* allocate(std::size_t size) {
    // Room for the free-list link once the block is freed.
    const std::size_t cap = round_up(std::max(size, sizeof(void*)));
    if (cap <= max_listed) {
      void*& head = free_[cap / align];
      if (head) {
        void* p = head;
        std::memcpy(&head, p, sizeof head);
        return p;  // its header already holds cap
      }
    }
    const std::size_t need = header + cap;
    if (need > left_) {
      // The next chunk kept from an earlier part, else a new one.
      if (used_ == chunks_.size() || chunks_[used_].size < need) {
        const std::size_t bytes = std::max(need, chunk_size);
        void* c = std::malloc(bytes);
        // cmark's own allocator aborts when memory runs out, and its callers
        // do not check: do the same rather than return null.
        if (!c) std::abort();
        chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(used_), chunk{c, bytes});
      }
      next_ = static_cast<unsigned char*>(chunks_[used_].data);
      left_ = chunks_[used_].size;
      ++used_;
    }
    unsigned char* block = next_;
    std::memcpy(block, &cap, sizeof cap);
    next_ += need;
    left_ -= need;
    last_ = block + header;
    return last_;
  }

  void* reallocate(void* p, std::size_t size) {
    if (!p) return allocate(size);
    auto* data = static_cast<unsigned char*>(p);
    const std::size_t cap = capacity(data);
    if (size <= cap) return p;
    // The newest allocation grows where it is when the chunk has room.
    if (data == last_ && round_up(size) - cap <= left_) {
      const std::size_t more = round_up(size) - cap, grown = cap + more;
      next_ += more;
      left_ -= more;
      std::memcpy(data - header, &grown, sizeof grown);
      return p;
    }
    void* moved = allocate(size);
    std::memcpy(moved, p, cap);
    release(p);
    return moved;
  }

  void release(void* p) {
    if (!p) return;
    auto* data = static_cast<unsigned char*>(p);
    const std::size_t cap = capacity(data);
    if (data == last_) {
      // The newest block goes back to the bump pointer (a buffer that grew
      // in place can be far larger than any list's size).
      next_ = data - header;
      left_ += header + cap;
      last_ = nullptr;
      return;
    }
    // Larger blocks are rare (long paragraphs' buffers) and stay unused.
    if (cap > max_listed) return;
    void*& head = free_[cap / align];
    std::memcpy(p, &head, sizeof head);
    head = p;
  }

  // Forgets all blocks, keeping the chunks (and their pages) for the next
  // part's tree.
  void reset() {
    used_ = 0;
    next_ = nullptr;
    left_ = 0;
    last_ = nullptr;
    free_.fill(nullptr);
  }

  static thread_local cmark_arena* current;

 private:
  // cmark's structs hold pointers and ints, nothing wider: 8-byte alignment
  // is enough, and an 8-byte header (the block's capacity) keeps it.
  static constexpr std::size_t align = 8;
  static constexpr std::size_t header = 8;
  // Below malloc's mmap threshold (128 KiB): chunks come from the heap, so
  // once the arena is released the stages after this one reuse its pages
  // rather than fault in new ones.
  static constexpr std::size_t chunk_size = std::size_t{1} << 16;
  static constexpr std::size_t max_listed = 1024;  // blocks up to this size are reused
  static std::size_t round_up(std::size_t n) { return (n + align - 1) / align * align; }
  static std::size_t capacity(const unsigned char* data) {
    std::size_t cap;
    std::memcpy(&cap, data - header, sizeof cap);
    return cap;
  }

  struct chunk {
    void* data;
    std::size_t size;
  };
  std::vector<chunk> chunks_;
  std::size_t used_ = 0;  // chunks_[0, used_) hold blocks
  unsigned char* next_ = nullptr;
  std::size_t left_ = 0;
  unsigned char* last_ = nullptr;  // the newest allocation
  std::array<void*, max_listed / align + 1> free_{};  // free blocks by capacity / align
};

thread_local cmark_arena* cmark_arena::current = nullptr;

void* arena_calloc(std::size_t count, std::size_t size) {
  std::size_t bytes;
  if (__builtin_mul_overflow(count, size, &bytes)) std::abort();
  void* p = cmark_arena::current->allocate(bytes);
  std::memset(p, 0, bytes);
  return p;
}
void* arena_realloc(void* p, std::size_t size) { return cmark_arena::current->reallocate(p, size); }
void arena_free(void* p) { cmark_arena::current->release(p); }

// Makes `arena` the one cmark allocates from while it lives.
class use_arena {
 public:
  explicit use_arena(cmark_arena& arena) : previous_(cmark_arena::current) { cmark_arena::current = &arena; }
  use_arena(const use_arena&) = delete;
  use_arena& operator=(const use_arena&) = delete;
  ~use_arena() { cmark_arena::current = previous_; }

 private:
  cmark_arena* previous_;
};

// --- parts -------------------------------------------------------------------
//
// A long body is parsed in parts of about part_size bytes, each part's tree
// walked and its memory reused before the next is parsed: cmark's tree is
// some ten times the size of its text, and a whole 5 MB body's was most of
// the Markdown reader's memory and page faults. The trees are the same as
// the whole body's when no construct reaches across a cut:
//  - a cut goes before a line that follows an empty line and starts with a
//    letter: a new paragraph at the top level. The empty line has ended any
//    paragraph, HTML block of kinds 6 and 7, and (with no indentation after
//    it) any indented code, list item, list or block quote; the line cannot
//    continue a list as an item;
//  - constructs that run on across empty lines do not occur in the body:
//    fenced code (``` ~~~) and HTML blocks of kinds 1 to 5 (<!-- <? <!X
//    <![CDATA[ <pre <script <style <textarea). Nor do link reference
//    definitions ("[label]:"), which apply to the whole document.
// Otherwise the body is parsed whole.
constexpr std::size_t part_size = std::size_t{64} << 10;

bool can_split(std::string_view body) {
  if (body.size() <= part_size) return false;
  if (body.find("]:") != std::string_view::npos || body.find("```") != std::string_view::npos ||
      body.find("~~~") != std::string_view::npos)
    return false;
  // Tag names in any case; a longer name ("<preface") only costs the split.
  const auto starts_with_tag = [](std::string_view s, std::string_view tag) {
    if (s.size() < tag.size()) return false;
    for (std::size_t k = 0; k < tag.size(); ++k)
      if ((s[k] | 0x20) != tag[k]) return false;
    return true;
  };
  for (std::size_t i = body.find('<'); i != std::string_view::npos; i = body.find('<', i + 1)) {
    const std::string_view rest = body.substr(i + 1, 8);
    if (!rest.empty() && (rest[0] == '!' || rest[0] == '?')) return false;
    for (std::string_view tag : {"pre", "script", "style", "textarea"})
      if (starts_with_tag(rest, tag)) return false;
  }
  return true;
}

// The first cut at or after `from`, or the body's end.
std::size_t next_split(std::string_view body, std::size_t from) {
  if (from >= body.size()) return body.size();
  for (std::size_t i = body.find("\n\n", from - 1); i != std::string_view::npos; i = body.find("\n\n", i + 1)) {
    const std::size_t at = i + 2;
    if (at >= body.size()) break;
    const char c = body[at];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return at;
  }
  return body.size();
}

}  // namespace

std::vector<raw_block> read_markdown(std::string_view body, std::uint32_t first_line, diagnostics& diags) {
  // The arena outlives each part's tree and the walk over it (node
  // accessors may allocate too); a tree is released with the arena's reset,
  // not node by node.
  cmark_arena arena;
  use_arena in_use(arena);
  cmark_mem mem{arena_calloc, arena_realloc, arena_free};
  std::vector<std::size_t> starts = line_starts(body);
  const extensions ext = read_extensions(body, starts);
  if (ext.rewritten) body = ext.body;
  walker w(body, std::move(starts), first_line, diags, ext);
  const bool split = can_split(body);
  std::size_t start = 0, first_index = 0;
  do {
    const std::size_t end = split ? next_split(body, start + part_size) : body.size();
    const std::string_view part = body.substr(start, end - start);
    cmark_parser* parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, &mem);
    cmark_parser_feed(parser, part.data(), part.size());
    cmark_node* root = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    if (!root) fail(exit_code::internal, diags.file(), "markdown", "cmark could not parse the input");
    w.walk(root, first_index);
    arena.reset();
    first_index = w.line_at(end);
    start = end;
  } while (start < body.size());
  std::vector<raw_block> blocks = w.take();
  for (auto& b : blocks)
    if (b.kind == raw_kind::image) b.alt = b.text;
  return blocks;
}

}  // namespace galley::parse
