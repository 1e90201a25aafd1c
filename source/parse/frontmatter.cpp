// Stage 2 of the parser: front matter (see raw.hpp).
//
// TOML between `+++` lines is the documented form and is parsed with toml++.
// The YAML-style `---` block that static site generators use is accepted
// too, but only in its simplest shape (lowercase `key: value` lines, with
// lists and one level of nesting), so that a plain text that merely opens
// with a `---` rule is never mistaken for it.
#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.hpp"
#include "parse/raw.hpp"

namespace galley::parse {
namespace {

// --- lines --------------------------------------------------------------------

// One line of the text without its LF, and where the next one starts.
struct line_ref {
  std::string_view text;
  std::size_t next = 0;  // offset just past the LF (or the end)
};

line_ref line_at(std::string_view s, std::size_t start) {
  std::size_t end = s.find('\n', start);
  if (end == std::string_view::npos) return {s.substr(start), s.size()};
  return {s.substr(start, end - start), end + 1};
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view trim_ascii(std::string_view s) {
  s = trim_right(s);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

bool is_fence(std::string_view line, std::string_view fence) { return trim_right(line) == fence; }

// Finds the closing fence after the opening line. Returns the offset of the
// closing line and its 1-based line number, or nullopt.
struct fence_pos {
  std::size_t begin = 0;  // offset of the closing line
  std::size_t next = 0;   // offset of the line after it
  std::uint32_t line = 0;
};

std::optional<fence_pos> find_closing(std::string_view text, std::size_t from, std::string_view fence,
                                      std::string_view alt_fence = {}) {
  std::uint32_t line = 2;
  for (std::size_t at = from; at < text.size(); ++line) {
    const line_ref l = line_at(text, at);
    if (is_fence(l.text, fence) || (!alt_fence.empty() && is_fence(l.text, alt_fence)))
      return fence_pos{at, l.next, line};
    at = l.next;
  }
  return std::nullopt;
}

// --- storing values -----------------------------------------------------------

void store_list(front_matter& fm, const std::string& key, const std::vector<std::string>& items) {
  if (key == "images" || key == "image") {
    fm.images.insert(fm.images.end(), items.begin(), items.end());
  } else if (key == "subjects" || key == "subject") {
    fm.subjects.insert(fm.subjects.end(), items.begin(), items.end());
  } else {
    std::string joined;
    for (const auto& item : items) {
      if (!joined.empty()) joined += ", ";
      joined += item;
    }
    fm.values[key] = joined;
  }
}

void store_person(front_matter& fm, const std::string& key, const std::string& name, const std::string& description) {
  if (key == "interviewer") {
    fm.interviewer = name;
    fm.interviewer_description = description;
  } else {
    fm.interviewee = name;
    fm.interviewee_description = description;
  }
}

bool is_person_key(std::string_view key) { return key == "interviewer" || key == "interviewee"; }

void store_scalar(front_matter& fm, const std::string& key, std::string value) {
  if (is_person_key(key))
    store_person(fm, key, value, {});
  else if (key == "images" || key == "image" || key == "subjects" || key == "subject")
    store_list(fm, key, {std::move(value)});
  else
    fm.values[key] = std::move(value);
}

// --- TOML -----------------------------------------------------------------------

// A scalar TOML value as text: strings as they are, everything else in its
// TOML spelling (dates as ISO 8601, booleans as true/false).
std::optional<std::string> scalar_text(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (node.is_array() || node.is_table()) return std::nullopt;
  std::ostringstream out;
  node.visit([&out](const auto& v) {
    if constexpr (!toml::is_array<decltype(v)> && !toml::is_table<decltype(v)>) out << v;
  });
  return out.str();
}

void store_toml(front_matter& fm, const std::string& key, const toml::node& node) {
  if (auto text = scalar_text(node)) {
    store_scalar(fm, key, std::move(*text));
  } else if (const auto* array = node.as_array()) {
    std::vector<std::string> items;
    for (const auto& element : *array)
      if (auto item = scalar_text(element)) items.push_back(std::move(*item));
    store_list(fm, key, items);
  } else if (const auto* table = node.as_table()) {
    if (is_person_key(key)) {
      store_person(fm, key, table->get_as<std::string>("name") ? table->get_as<std::string>("name")->get() : "",
                   table->get_as<std::string>("description") ? table->get_as<std::string>("description")->get() : "");
      for (const auto& [k, v] : *table)
        if (k.str() != "name" && k.str() != "description") store_toml(fm, key + "." + std::string(k.str()), v);
    } else {
      for (const auto& [k, v] : *table) store_toml(fm, key + "." + std::string(k.str()), v);
    }
  }
}

// toml++ says "Error while parsing X: ...". Our messages are lowercase
// without a final period.
std::string toml_message(std::string_view description) {
  std::string msg(description);
  if (!msg.empty() && msg[0] >= 'A' && msg[0] <= 'Z') msg[0] = static_cast<char>(msg[0] - 'A' + 'a');
  while (!msg.empty() && (msg.back() == '.' || msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return "front matter is not valid TOML: " + msg;
}

// --- simple YAML ----------------------------------------------------------------

// A `key: value` line with a lowercase identifier key. Returns the key and
// the raw value (possibly empty), or nullopt.
std::optional<std::pair<std::string_view, std::string_view>> yaml_pair(std::string_view line) {
  if (line.empty() || !(line[0] >= 'a' && line[0] <= 'z')) return std::nullopt;
  std::size_t i = 0;
  while (i < line.size() && ((line[i] >= 'a' && line[i] <= 'z') || (line[i] >= '0' && line[i] <= '9') ||
                             line[i] == '_' || line[i] == '-'))
    ++i;
  if (i >= line.size() || line[i] != ':') return std::nullopt;
  if (i + 1 < line.size() && line[i + 1] != ' ' && line[i + 1] != '\t') return std::nullopt;
  return std::pair{line.substr(0, i), trim_ascii(line.substr(i + 1))};
}

// A YAML scalar: quoted strings unquoted, an unquoted value's ` # comment`
// removed.
std::string yaml_scalar(std::string_view v) {
  v = trim_ascii(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) {
        const char e = v[++i];
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        out += v[i];
      }
    }
    return out;
  }
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') {
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      out += v[i];
      if (v[i] == '\'' && v[i + 1] == '\'') ++i;
    }
    return out;
  }
  if (const std::size_t hash = v.find(" #"); hash != std::string_view::npos) v = trim_ascii(v.substr(0, hash));
  return std::string(v);
}

// `[a, "b", c]` to its items (commas inside quotes respected).
std::vector<std::string> yaml_flow_list(std::string_view v) {
  std::vector<std::string> items;
  v = v.substr(1, v.size() - 2);
  std::size_t start = 0;
  char quote = 0;
  for (std::size_t i = 0; i <= v.size(); ++i) {
    if (i < v.size() && quote) {
      if (v[i] == quote) quote = 0;
    } else if (i < v.size() && (v[i] == '"' || v[i] == '\'')) {
      quote = v[i];
    } else if (i == v.size() || v[i] == ',') {
      std::string item = yaml_scalar(v.substr(start, i - start));
      if (!item.empty()) items.push_back(std::move(item));
      start = i + 1;
    }
  }
  return items;
}

// Parses the lines between `---` fences. Returns false (and leaves fm
// untouched) when a line is not of the simple shapes we accept.
bool parse_simple_yaml(std::string_view block, front_matter& fm) {
  front_matter out;
  bool any_key = false;
  std::string key;                   // the key of an open block (empty value so far)
  std::vector<std::string> list;     // its `- item` lines
  std::string name, description;     // its nested `name:` / `description:` (people)
  std::vector<std::pair<std::string, std::string>> nested;
  std::string folded;                // its `|` / `>` block scalar lines
  char block_style = 0;

  auto close_block = [&] {
    if (key.empty()) return;
    if (!list.empty()) {
      store_list(out, key, list);
    } else if (block_style) {
      store_scalar(out, key, folded);
    } else if (!nested.empty()) {
      for (auto& [k, v] : nested) {
        if (is_person_key(key) && k == "name") name = v;
        else if (is_person_key(key) && k == "description") description = v;
        else store_scalar(out, key + "." + k, v);
      }
      if (is_person_key(key)) store_person(out, key, name, description);
    } else {
      store_scalar(out, key, {});
    }
    key.clear();
    list.clear();
    nested.clear();
    folded.clear();
    name.clear();
    description.clear();
    block_style = 0;
  };

  for (std::size_t at = 0; at < block.size();) {
    const line_ref l = line_at(block, at);
    at = l.next;
    const std::string_view line = trim_right(l.text);
    const std::string_view content = trim_ascii(line);
    if (content.empty() || content[0] == '#') continue;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented && !key.empty()) {
      if (block_style) {
        if (!folded.empty()) folded += block_style == '|' ? '\n' : ' ';
        folded += content;
      } else if (content.starts_with("- ") || content == "-") {
        if (!nested.empty()) return false;
        list.push_back(yaml_scalar(content.substr(1)));
      } else if (auto pair = yaml_pair(content); pair && !pair->second.empty() && list.empty()) {
        nested.emplace_back(std::string(pair->first), yaml_scalar(pair->second));
      } else {
        return false;
      }
      continue;
    }
    if (!key.empty() && (content.starts_with("- ") || content == "-") && nested.empty() && !block_style) {
      list.push_back(yaml_scalar(content.substr(1)));  // unindented list under its key
      continue;
    }
    close_block();
    auto pair = yaml_pair(line);
    if (!pair) return false;
    any_key = true;
    const std::string k(pair->first);
    const std::string_view v = pair->second;
    if (v.empty()) {
      key = k;
    } else if (v == "|" || v == ">" || v == "|-" || v == ">-") {
      key = k;
      block_style = v[0];
    } else if (v.front() == '[' && v.back() == ']') {
      store_list(out, k, yaml_flow_list(v));
    } else {
      store_scalar(out, k, yaml_scalar(v));
    }
  }
  close_block();
  if (!any_key) return false;
  out.present = true;
  fm = std::move(out);
  return true;
}

}  // namespace

std::string_view split_front_matter(std::string_view text, front_matter& fm, std::uint32_t& first_line,
                                    diagnostics& diags) {
  first_line = 1;
  const line_ref first = line_at(text, 0);

  if (is_fence(first.text, "+++")) {
    const auto close = find_closing(text, first.next, "+++");
    if (!close) {
      diags.error({1, 1}, "front-matter", "front matter opened with +++ is never closed; reading it as text");
      return text;
    }
    const std::string_view toml_text = text.substr(first.next, close->begin - first.next);
    const std::string_view body = text.substr(close->next);
    first_line = close->line + 1;
    try {
      const toml::table table = toml::parse(toml_text);
      front_matter parsed;
      parsed.present = true;
      for (const auto& [k, v] : table) store_toml(parsed, std::string(k.str()), v);
      fm = std::move(parsed);
    } catch (const toml::parse_error& err) {
      // toml++ counts lines from the block's first line, the one after `+++`.
      const auto& where = err.source().begin;
      const source_pos pos{where.line > 0 ? static_cast<std::uint32_t>(where.line) + 1 : 1,
                           where.column > 0 ? static_cast<std::uint32_t>(where.column) : 1};
      diags.error(pos, "front-matter", toml_message(err.description()))
          .notes.push_back("the front matter block is ignored");
    }
    return body;
  }

  if (is_fence(first.text, "---")) {
    // Only a block that parses as simple YAML counts; anything else is text
    // that begins with a rule. YAML may also close with `...`.
    const auto close = find_closing(text, first.next, "---", "...");
    if (close && parse_simple_yaml(text.substr(first.next, close->begin - first.next), fm)) {
      first_line = close->line + 1;
      return text.substr(close->next);
    }
  }
  return text;
}

}  // namespace galley::parse
