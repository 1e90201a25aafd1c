#include "convert/book.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <set>

#include "base/output.hpp"
#include "doc/check.hpp"

namespace galley::convert {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- globs

namespace {

bool has_wildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> split_segments(const std::string& pattern) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : pattern) {
    if (c == '/') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// Matches segments[i..] below `dir` (a real folder) whose display path is `shown`.
void walk(const fs::path& dir, const std::string& shown, const std::vector<std::string>& seg, std::size_t i,
          std::set<std::string>& out) {
  std::error_code ec;
  auto join = [&](const std::string& name) { return shown.empty() ? name : shown + "/" + name; };
  if (i == seg.size()) {
    if (fs::is_regular_file(dir, ec)) out.insert(shown);
    return;
  }
  const std::string& s = seg[i];
  if (s == "**") {
    walk(dir, shown, seg, i + 1, out);  // zero folders
    std::vector<std::string> subdirs;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      std::string n = e.path().filename().string();
      if (n[0] != '.' && e.is_directory(ec)) subdirs.push_back(n);
    }
    std::sort(subdirs.begin(), subdirs.end());
    for (const auto& n : subdirs) walk(dir / n, join(n), seg, i, out);
    return;
  }
  if (!has_wildcard(s)) {
    if (fs::exists(dir / s, ec)) walk(dir / s, join(s), seg, i + 1, out);
    return;
  }
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::string n = e.path().filename().string();
    if (::fnmatch(s.c_str(), n.c_str(), FNM_PERIOD) == 0) walk(dir / n, join(n), seg, i + 1, out);
  }
}

}  // namespace

std::vector<std::string> expand_glob(const std::string& dir, const std::string& pattern) {
  const bool absolute = !pattern.empty() && pattern[0] == '/';
  std::vector<std::string> seg = split_segments(pattern);
  std::set<std::string> found;
  fs::path base = absolute ? fs::path("/") : (dir.empty() ? fs::path(".") : fs::path(dir));
  walk(base, "", seg, 0, found);
  std::vector<std::string> out;
  for (const auto& f : found) {
    fs::path p = absolute ? fs::path("/") / f : (dir.empty() ? fs::path(f) : fs::path(dir) / f);
    out.push_back(p.lexically_normal().string());
  }
  return out;
}

// ---------------------------------------------------------------- book.toml

namespace {

source_pos pos_of(const toml::node& n) {
  const auto& b = n.source().begin;
  return {static_cast<std::uint32_t>(b.line), static_cast<std::uint32_t>(b.column)};
}

[[noreturn]] void bad(const std::string& file, const toml::node& n, const std::string& message,
                      std::string code = "book-bad-value") {
  fail(exit_code::usage, file, std::move(code), message, pos_of(n));
}

std::string get_string(const std::string& file, const toml::node& n, const std::string& key) {
  if (auto s = n.value<std::string>(); s && n.is_string()) return *s;
  bad(file, n, "'" + key + "' must be a string");
}

std::vector<std::string> get_strings(const std::string& file, const toml::node& n, const std::string& key) {
  std::vector<std::string> out;
  if (n.is_string()) return {*n.value<std::string>()};
  const toml::array* a = n.as_array();
  if (!a) bad(file, n, "'" + key + "' must be a string or an array of strings");
  for (const auto& x : *a) out.push_back(get_string(file, x, key));
  return out;
}

std::string choice(const std::string& file, const toml::node& n, const std::string& key,
                   std::initializer_list<const char*> allowed) {
  std::string v = get_string(file, n, key);
  std::string list;
  for (const char* a : allowed) {
    if (v == a) return v;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  bad(file, n, "'" + key + "' must be one of " + list + "; got '" + v + "'");
}

doc::role role_of(const std::string& file, const toml::node& n) {
  std::string r = choice(file, n, "role", {"interviewer", "interviewee", "other"});
  return r == "interviewer" ? doc::role::interviewer : r == "interviewee" ? doc::role::interviewee : doc::role::other;
}

std::string resolve(const std::string& dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute() || dir.empty()) return path;
  return (fs::path(dir) / path).lexically_normal().string();
}

}  // namespace

book_project load_book_project(const std::string& file, diagnostics& warnings) {
  std::string text = read_file(file);
  toml::table t;
  try {
    t = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    fail(exit_code::usage, file, "book-syntax", std::string(e.description()),
         {static_cast<std::uint32_t>(b.line), static_cast<std::uint32_t>(b.column)});
  }
  book_project p;
  p.file = file;
  p.dir = fs::path(file).parent_path().string();
  p.book.present = true;
  warnings.set_file(file);
  std::vector<std::pair<std::string, const toml::node*>> patterns;
  const toml::node* interviews_node = nullptr;
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    if (key == "title") p.book.title = get_string(file, v, key);
    else if (key == "subtitle") p.book.subtitle = get_string(file, v, key);
    else if (key == "language" || key == "lang") {
      const std::string tag = get_string(file, v, key);
      p.book.language = doc::normalize_language(tag);
      if (p.book.language.empty()) bad(file, v, "'" + tag + "' is not a language tag (like en, es or pt-BR)");
    }
    else if (key == "publisher") p.book.publisher = get_string(file, v, key);
    else if (key == "rights") p.book.rights = get_string(file, v, key);
    else if (key == "identifier") p.book.identifier = get_string(file, v, key);
    else if (key == "date") p.book.date = get_string(file, v, key);
    else if (key == "source") p.book.source = get_string(file, v, key);
    else if (key == "style") p.style = get_string(file, v, key);
    else if (key == "paper") p.paper = choice(file, v, key, {"a4", "letter", "a5", "6x9"});
    else if (key == "labels") p.labels = choice(file, v, key, {"qa", "names", "initials"});
    else if (key == "from") p.from = choice(file, v, key, {"auto", "plain", "markdown", "vtt", "srt"});
    else if (key == "cover") p.cover = resolve(p.dir, get_string(file, v, key));
    else if (key == "authors" || key == "author") {
      const toml::array* a = v.as_array();
      std::vector<const toml::node*> items;
      if (a) for (const auto& x : *a) items.push_back(&x);
      else items.push_back(&v);
      for (const toml::node* x : items) {
        doc::contributor c;
        c.role = doc::role::interviewer;
        if (x->is_string()) {
          c.name = *x->value<std::string>();
        } else if (const toml::table* at = x->as_table()) {
          for (const auto& [ak, av] : *at) {
            std::string an(ak.str());
            if (an == "name") c.name = get_string(file, av, an);
            else if (an == "role") c.role = role_of(file, av);
            else if (an == "description") c.description = get_string(file, av, an);
            else warnings.warning(pos_of(av), "book-unknown-key", "unknown author key '" + an + "'");
          }
        } else {
          bad(file, *x, "an author is a name or a table {name, role, description}");
        }
        if (c.name.empty()) bad(file, *x, "an author needs a name");
        p.book.authors.push_back(std::move(c));
      }
    } else if (key == "interviews") {
      interviews_node = &v;
      if (const toml::array* a = v.as_array()) {
        for (const auto& x : *a) patterns.emplace_back(get_string(file, x, key), &x);
      } else {
        patterns.emplace_back(get_string(file, v, key), &v);
      }
    } else if (key == "meta") {
      const toml::table* mt = v.as_table();
      if (!mt) bad(file, v, "'meta' must be a table of KEY = \"value\"");
      for (const auto& [mk, mv] : *mt) p.meta.emplace_back(std::string(mk.str()), get_string(file, mv, std::string(mk.str())));
    } else if (key == "output") {
      const toml::table* ot = v.as_table();
      if (!ot) bad(file, v, "'output' must be a table: dir, name, formats");
      for (const auto& [ok, ov] : *ot) {
        std::string on(ok.str());
        if (on == "dir") p.out_dir = get_string(file, ov, on);
        else if (on == "name") {
          p.name = get_string(file, ov, on);
          if (p.name.empty() || p.name.find('/') != std::string::npos) bad(file, ov, "'name' must be a file name without folders");
        } else if (on == "formats") {
          p.formats.clear();
          for (const auto& f : get_strings(file, ov, on)) {
            if (f == "epub") p.formats.push_back(output_format::epub);
            else if (f == "pdf") p.formats.push_back(output_format::pdf);
            else bad(file, ov, "output formats are \"epub\" and \"pdf\"; got '" + f + "'");
          }
          if (p.formats.empty()) bad(file, ov, "'formats' names no output");
        } else {
          warnings.warning(pos_of(ov), "book-unknown-key", "unknown key 'output." + on + "'");
        }
      }
    } else {
      warnings.warning(pos_of(v), "book-unknown-key", "unknown key '" + key + "'");
    }
  }
  if (!interviews_node)
    fail(exit_code::usage, file, "book-no-interviews", "the book names no interviews; add interviews = [\"interviews/*.txt\"]");
  std::set<std::string> seen;
  for (const auto& [pat, node] : patterns) {
    std::vector<std::string> found;
    if (has_wildcard(pat)) {
      found = expand_glob(p.dir, pat);
      if (found.empty()) bad(file, *node, "no file matches '" + pat + "'", "book-no-match");
    } else {
      std::string path = resolve(p.dir, pat);
      std::error_code ec;
      if (!fs::is_regular_file(path, ec)) bad(file, *node, "interview '" + pat + "' does not exist", "book-no-match");
      found.push_back(path);
    }
    for (auto& f : found)
      if (seen.insert(f).second) p.interviews.push_back(f);
  }
  if (p.interviews.empty())
    fail(exit_code::usage, file, "book-no-interviews", "the book names no interviews");
  p.out_dir = resolve(p.dir, p.out_dir);
  return p;
}

std::string starter_book_toml() {
  return R"(# A galley book project. `galley build` makes one EPUB and one PDF of all the
# interviews below; relative paths are relative to this file.

title = "Interviews"
# subtitle = "Conversations, 2020-2024"
# The book's authors: names, or tables {name, role, description} with role
# interviewer (the default), interviewee or other.
authors = ["Your Name"]
language = "en"
# publisher = ""
# rights = "© 2024 Your Name"
# identifier = "urn:isbn:..."   (default: derived from the content)

# A style name (classic, magazine) or a style folder.
style = "classic"
# Paper for the PDF: a4, letter, a5 or 6x9 (default: the style's).
# paper = "a5"
# Cover image for the EPUB (JPEG or PNG).
# cover = "cover.jpg"
# Turn labels: qa, names or initials (default: as each interview has them).
# labels = "qa"

# The interviews, in order: paths or globs (*, ?, [..], ** for any folders).
# A glob's matches are sorted; a file named twice is used once.
interviews = [
  "interviews/*.txt",
  "interviews/*.md",
]

# Metadata for every interview, as with --meta KEY=VALUE.
# [meta]
# interviewer = "Your Name"

[output]
dir = "out"                  # the outputs, and galley's state file, go here
name = "book"                # out/book.epub and out/book.pdf
formats = ["epub", "pdf"]
)";
}

}  // namespace galley::convert
