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
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

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
      out += html[i++];
    }
  }
  return out;
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

bool is_blank_inline(cmark_node* n) {
  const cmark_node_type t = cmark_node_get_type(n);
  if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) return true;
  if (t != CMARK_NODE_TEXT) return false;
  for (char c : literal(n))
    if (c != ' ' && c != '\t') return false;
  return true;
}

// The only child of a paragraph apart from white space, or null.
cmark_node* sole_child(cmark_node* para) {
  cmark_node* found = nullptr;
  for (cmark_node* c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
    if (is_blank_inline(c)) continue;
    if (found) return nullptr;
    found = c;
  }
  return found;
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

// Text nodes: white space runs collapsed (leading and trailing single
// spaces kept, they separate the node from its neighbours).
// Empty text nodes (cmark gives one before a hard line break) are removed.
void tidy(doc::inlines& content) {
  for (auto& n : content) {
    if (n.kind == doc::inline_kind::text && !is_collapsed(n.text)) n.text = collapse(n.text, false);
    tidy(n.children);
  }
  std::erase_if(content, [](const doc::inline_node& n) {
    return (n.kind == doc::inline_kind::text || n.kind == doc::inline_kind::code) && n.text.empty();
  });
}

class walker {
 public:
  walker(std::string_view body, std::uint32_t first_line, diagnostics& diags)
      : body_(body), line_offset_(first_line == 0 ? 0 : first_line - 1), diags_(diags) {
    line_starts_.push_back(0);
    for (std::size_t i = body.find('\n'); i != std::string_view::npos; i = body.find('\n', i + 1))
      line_starts_.push_back(i + 1);
    // Blocks are mostly separated by blank lines: a first guess that saves
    // moving them all as the list grows.
    blocks_.reserve(line_starts_.size() / 2 + 16);
  }

  std::vector<raw_block> run(cmark_node* root) {
    cmark_iter* iter = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
      cmark_node* node = cmark_iter_get_node(iter);
      if (ev == CMARK_EVENT_ENTER)
        enter(node);
      else
        exit(node);
    }
    cmark_iter_free(iter);
    return std::move(blocks_);
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

  // cmark's line and byte column to our line and code-point column.
  source_pos pos_of(cmark_node* node) const {
    const int line = cmark_node_get_start_line(node);
    const int col = cmark_node_get_start_column(node);
    if (line <= 0) return {};
    source_pos p{static_cast<std::uint32_t>(line) + line_offset_, 1};
    const auto index = static_cast<std::size_t>(line - 1);
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
      cache_cps_ += scan::length(body_.substr(start + cache_bytes_, bytes - cache_bytes_));
      cache_bytes_ = bytes;
      p.col = static_cast<std::uint32_t>(cache_cps_) + 1;
    }
    return p;
  }

  void begin_block(raw_kind kind, cmark_node* node) {
    current_ = raw_block{};
    current_.kind = kind;
    current_.pos = pos_of(node);
    const int line = cmark_node_get_start_line(node);
    current_.same_group = !blocks_.empty() && line > 0 && line == last_end_line_ + 1;
    if (kind == raw_kind::paragraph && !containers_.empty()) {
      const container& c = containers_.back();
      current_.kind = c.quote ? raw_kind::quote : raw_kind::item;
      current_.number = c.quote ? 0 : c.number;
    }
    open_.assign(1, &current_.content);
    created_.clear();
    in_block_ = true;
  }

  void end_block(cmark_node* node) {
    tidy(current_.content);
    if (current_.content.size() == 1 && current_.content[0].kind == doc::inline_kind::text) {
      // The common case: one text node, already collapsed by tidy(); only
      // its ends may hold a space.
      std::string_view t = current_.content[0].text;
      for (std::size_t k; !t.empty() && (k = space_at(t, 0)) != 0;) t.remove_prefix(k);
      while (!t.empty()) {
        std::size_t k = t.size() - 1;
        while (k > 0 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80) --k;
        if (space_at(t, k) != t.size() - k) break;
        t.remove_suffix(t.size() - k);
      }
      current_.text.assign(t);
    } else {
      flat_.clear();  // reused: one allocation for all blocks
      flatten(current_.content, flat_);
      current_.text.reserve(flat_.size());
      collapse_into(flat_, current_.text, true);
    }
    last_end_line_ = cmark_node_get_end_line(node);
    blocks_.push_back(std::move(current_));
    in_block_ = false;
  }

  // Appends text to the open inline list, merging with a text node before it.
  void add_text(std::string_view s, cmark_node* node) {
    doc::inlines& out = *open_.back();
    if (!out.empty() && out.back().kind == doc::inline_kind::text) {
      out.back().text += s;
      return;
    }
    source_pos p = pos_of(node);
    if (p.line == 0) p = current_.pos;
    // As doc::text(s, p), built in place.
    doc::inline_node& n = out.emplace_back();
    n.kind = doc::inline_kind::text;
    n.text.assign(s);
    n.pos = p;
  }

  void add_node(doc::inline_kind kind, cmark_node* node, std::string text = {}) {
    doc::inline_node n;
    n.kind = kind;
    n.text = std::move(text);
    n.pos = pos_of(node);
    if (n.pos.line == 0) n.pos = current_.pos;
    open_.back()->push_back(std::move(n));
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
    if (created_.back()) open_.pop_back();
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
        current_.level = cmark_node_get_heading_level(node);
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
        if (in_block_) add_text(literal(node), node);
        break;
      case CMARK_NODE_SOFTBREAK:
        if (in_block_) add_text(" ", node);
        break;
      case CMARK_NODE_LINEBREAK:
        if (in_block_) add_node(doc::inline_kind::line_break, node);
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
        if (in_block_) open_span(doc::inline_kind::link, node);
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
        if (in_block_) end_block(node);
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

  void begin_paragraph(cmark_node* node) {
    begin_block(raw_kind::paragraph, node);
    cmark_node* only = sole_child(node);
    if (!only) return;
    const cmark_node_type t = cmark_node_get_type(only);
    if (t == CMARK_NODE_STRONG) {
      current_.all_strong = true;
    } else if (t == CMARK_NODE_IMAGE) {
      current_.kind = raw_kind::image;
      current_.image = std::string(url_of(only));
      const char* title = cmark_node_get_title(only);
      current_.title = title ? title : "";
    }
  }

  void html_inline(cmark_node* node) {
    const std::string_view tag = literal(node);
    if (is_br_tag(tag))
      add_node(doc::inline_kind::line_break, node);
    else if (!is_formatting_tag(tag))
      add_text(tag, node);  // `<Jane Doe>` and the like: words, not markup
  }

  void html_block(cmark_node* node) {
    const std::string text = collapse(strip_tags(literal(node)), true);
    const source_pos pos = pos_of(node);
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
  std::vector<std::size_t> line_starts_;
  // pos_of's memo: code points before byte cache_bytes_ of line cache_line_.
  mutable std::size_t cache_line_ = SIZE_MAX, cache_bytes_ = 0, cache_cps_ = 0;
  std::vector<raw_block> blocks_;
  std::string flat_;  // end_block's buffer
  std::vector<container> containers_;
  std::vector<list_state> lists_;
  raw_block current_;
  std::vector<doc::inlines*> open_;  // the inline lists being filled, innermost last
  std::vector<bool> created_;        // per open span: was a node made for it
  bool in_block_ = false;
  int last_end_line_ = -1;
};

// --- memory for cmark ----------------------------------------------------------
//
// cmark allocates every node and buffer separately and frees them one by one
// at the end; with many short blocks that was a fifth of the Markdown time.
// During one read_markdown its allocations come from an arena instead: a
// bump pointer in large chunks, realloc growing the newest allocation in
// place, free doing nothing, and the whole tree released with the arena.
// cmark's allocator functions take no context, so the arena in use is a
// per-thread pointer (batch conversions parse on several threads).
class cmark_arena {
 public:
  cmark_arena() = default;
  cmark_arena(const cmark_arena&) = delete;
  cmark_arena& operator=(const cmark_arena&) = delete;
  ~cmark_arena() {
    for (void* c : chunks_) std::free(c);
  }

  void* allocate(std::size_t size) {
    const std::size_t need = header + round_up(size);
    if (need > left_) {
      const std::size_t chunk = std::max(need, chunk_size);
      void* c = std::malloc(chunk);
      // cmark's own allocator aborts when memory runs out, and its callers
      // do not check: do the same rather than return null.
      if (!c) std::abort();
      chunks_.push_back(c);
      next_ = static_cast<unsigned char*>(c);
      left_ = chunk;
    }
    unsigned char* block = next_;
    std::memcpy(block, &size, sizeof size);
    next_ += need;
    left_ -= need;
    last_ = block + header;
    return last_;
  }

  void* reallocate(void* p, std::size_t size) {
    if (!p) return allocate(size);
    auto* data = static_cast<unsigned char*>(p);
    std::size_t old;
    std::memcpy(&old, data - header, sizeof old);
    if (size <= old) return p;
    // The newest allocation grows where it is when the chunk has room.
    if (data == last_ && round_up(size) - round_up(old) <= left_) {
      const std::size_t more = round_up(size) - round_up(old);
      next_ += more;
      left_ -= more;
      std::memcpy(data - header, &size, sizeof size);
      return p;
    }
    void* moved = allocate(size);
    std::memcpy(moved, p, old);
    return moved;
  }

  static thread_local cmark_arena* current;

 private:
  static constexpr std::size_t align = alignof(std::max_align_t);
  static constexpr std::size_t header = align;  // holds the size; keeps the data aligned
  static constexpr std::size_t chunk_size = std::size_t{1} << 20;
  static std::size_t round_up(std::size_t n) { return (n + align - 1) / align * align; }

  std::vector<void*> chunks_;
  unsigned char* next_ = nullptr;
  std::size_t left_ = 0;
  unsigned char* last_ = nullptr;  // the newest allocation
};

thread_local cmark_arena* cmark_arena::current = nullptr;

void* arena_calloc(std::size_t count, std::size_t size) {
  if (size != 0 && count > SIZE_MAX / size) std::abort();
  void* p = cmark_arena::current->allocate(count * size);
  std::memset(p, 0, count * size);
  return p;
}
void* arena_realloc(void* p, std::size_t size) { return cmark_arena::current->reallocate(p, size); }
void arena_free(void*) {}

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

}  // namespace

std::vector<raw_block> read_markdown(std::string_view body, std::uint32_t first_line, diagnostics& diags) {
  // The arena outlives the tree and the walk over it (node accessors may
  // allocate too); the tree is released with the arena, not node by node.
  cmark_arena arena;
  use_arena in_use(arena);
  cmark_mem mem{arena_calloc, arena_realloc, arena_free};
  cmark_parser* parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, &mem);
  cmark_parser_feed(parser, body.data(), body.size());
  cmark_node* root = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  if (!root) fail(exit_code::internal, diags.file(), "markdown", "cmark could not parse the input");
  walker w(body, first_line, diags);
  std::vector<raw_block> blocks = w.run(root);
  for (auto& b : blocks)
    if (b.kind == raw_kind::image) b.alt = b.text;
  return blocks;
}

}  // namespace galley::parse
