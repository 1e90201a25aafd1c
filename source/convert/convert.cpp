#include "convert/convert.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

#include "base/module.hpp"
#include "base/output.hpp"
#include "base/parallel.hpp"
#include "convert/load.hpp"
#include "doc/check.hpp"
#include "doc/typography.hpp"
#include "epub/epub.hpp"
#include "pdf/print_module.hpp"
#include "style/print_style.hpp"

namespace galley::convert {

namespace fs = std::filesystem;

output_format format_for_output(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".epub") return output_format::epub;
  if (ext == ".pdf") return output_format::pdf;
  fail(exit_code::usage, path, "unknown-format",
       "cannot tell the output format from '" + path + "'; use .epub or .pdf, or --to epub|pdf");
}

std::string_view to_string(output_format f) { return f == output_format::epub ? "epub" : "pdf"; }

std::string styles_root() {
  if (const char* env = std::getenv("GALLEY_STYLES"); env && *env) return env;
#ifdef GALLEY_STYLES_DIR
  if (fs::is_directory(GALLEY_STYLES_DIR)) return GALLEY_STYLES_DIR;
#endif
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path p : {exe.parent_path() / "../share/galley/styles", exe.parent_path() / "../styles"})
      if (fs::is_directory(p, ec)) return fs::weakly_canonical(p, ec).string();
  }
  return "styles";
}

std::string resolve_style(const std::string& name) {
  std::error_code ec;
  if (name.find('/') != std::string::npos || name == "." || name == "..") {
    if (fs::is_directory(name, ec)) return name;
    fail(exit_code::usage, name, "unknown-style", "style folder '" + name + "' does not exist");
  }
  fs::path dir = fs::path(styles_root()) / name;
  if (fs::is_directory(dir, ec)) return dir.string();
  std::set<std::string> known;
  for (const auto& e : fs::directory_iterator(styles_root(), ec))
    if (e.is_directory()) known.insert(e.path().filename().string());
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  fail(exit_code::usage, "galley", "unknown-style",
       "unknown style '" + name + "'" + (list.empty() ? std::string() : "; known styles: " + list));
}

std::string date_from_source_date_epoch(const char* value) {
  if (!value || !*value) return {};
  char* end = nullptr;
  errno = 0;
  long long secs = std::strtoll(value, &end, 10);
  if (*end != '\0' || errno != 0 || secs < 0 || secs > 253402300799LL)
    fail(exit_code::usage, "SOURCE_DATE_EPOCH", "bad-date",
         std::string("SOURCE_DATE_EPOCH must be a number of seconds, got '") + value + "'");
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

// The layout engine and PDF writer (pdf/print_module.hpp).
module& print_module() {
  static module m("galley-print.so");
  return m;
}

// Book-level keys: for several inputs they describe the book, not each interview.
bool is_book_key(const std::string& k) {
  static const std::set<std::string> keys = {"title", "subtitle", "publisher", "rights", "identifier",
                                             "cover", "date", "source"};
  return keys.count(k) > 0;
}

void merge_metadata(doc::document& book, const std::vector<std::pair<std::string, std::string>>& meta) {
  auto& m = book.metadata;
  m = {};
  // The book's language is its interviews' most common one.
  std::map<std::string, int> langs;
  for (const auto& a : book.articles) langs[a.lang]++;
  int best = 0;
  for (const auto& [l, n] : langs)
    if (n > best) best = n, m.language = l;
  m.title = "Interviews";
  for (const auto& [k, v] : meta) {
    if (k == "title") m.title = v;
    else if (k == "subtitle") m.subtitle = v;
    else if (k == "publisher") m.publisher = v;
    else if (k == "rights") m.rights = v;
    else if (k == "identifier") m.identifier = v;
    else if (k == "cover") m.cover = v;
    else if (k == "date") m.date = v;
    else if (k == "source") m.source = v;
    else if (k == "lang" || k == "language") {
      // The interviews' parse refused a bad one already (a usage error).
      if (std::string tag = doc::normalize_language(v); !tag.empty()) m.language = tag;
    }
  }
}

}  // namespace

doc::document load_book(const std::vector<std::string>& inputs, const options& o,
                        std::vector<diagnostics>& diags) {
  const bool book = inputs.size() > 1;
  parse::options po = o.parse;
  if (book) {
    // Book-level keys describe the book; the rest apply to every interview.
    po.meta.clear();
    for (const auto& kv : o.parse.meta)
      if (!is_book_key(kv.first)) po.meta.push_back(kv);
  }
  doc::document out;
  // The interviews are read and parsed on every core. What a serial run
  // would report is kept: the first input that fails stops the book, and
  // only the diagnostics of the inputs up to it are returned.
  const std::size_t first = diags.size();
  for (const auto& input : inputs) diags.emplace_back(input);
  std::vector<doc::document> parts(inputs.size());
  std::vector<std::exception_ptr> failed(inputs.size());
  parallel_for(
      inputs.size(),
      [&](std::size_t i) {
        try {
          parts[i] = load_interview(inputs[i], po, diags[first + i]);
          auto problems = doc::check(parts[i]);
          if (!problems.empty())
            throw error(exit_code::internal, diagnostic{severity::error, inputs[i], {},
                                                        "internal error: the document tree is inconsistent",
                                                        "internal", problems});
        } catch (...) {
          failed[i] = std::current_exception();
        }
      },
      2);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (failed[i]) {
      diags.erase(diags.begin() + static_cast<std::ptrdiff_t>(first + i + 1), diags.end());
      std::rethrow_exception(failed[i]);
    }
  if (!book) return std::move(parts.front());
  for (auto& p : parts) {
    // Contributors and subjects of every interview describe the book too.
    for (auto& c : p.metadata.contributors) {
      bool seen = std::any_of(out.metadata.contributors.begin(), out.metadata.contributors.end(),
                              [&](const doc::contributor& x) { return x.name == c.name; });
      if (!seen) out.metadata.contributors.push_back(c);
    }
    for (auto& s : p.metadata.subjects)
      if (std::find(out.metadata.subjects.begin(), out.metadata.subjects.end(), s) == out.metadata.subjects.end())
        out.metadata.subjects.push_back(s);
    for (auto& a : p.articles) out.articles.push_back(std::move(a));
  }
  auto contributors = std::move(out.metadata.contributors);
  auto subjects = std::move(out.metadata.subjects);
  std::vector<std::pair<std::string, std::string>> meta = o.book_meta;
  for (const auto& kv : o.parse.meta)
    if (is_book_key(kv.first) || kv.first == "lang" || kv.first == "language") meta.push_back(kv);
  merge_metadata(out, meta);
  out.metadata.contributors = std::move(contributors);
  out.metadata.subjects = std::move(subjects);
  return out;
}

std::string render(const doc::document& d, output_format f, const options& o, const std::string& base_dir,
                   diagnostics& diags, std::vector<std::string>* files_used) {
  const std::string style_dir = resolve_style(o.style);
  if (f == output_format::epub) {
    string_sink out;
    epub::epub_options eo;
    std::string css_path = (fs::path(style_dir) / "epub.css").string();
    std::error_code ec;
    if (fs::exists(css_path, ec)) eo.css = read_file(css_path);
    eo.style_name = fs::path(style_dir).filename().string();
    // --cover is a path on the command line: relative to where galley runs.
    eo.cover_image = o.cover.empty() ? std::string() : fs::absolute(o.cover).string();
    eo.label_mode = o.labels;
    eo.modified = o.date;
    eo.base_dir = base_dir;
    epub::write_epub(d, eo, out);
    return out.take();
  }
  std::string style_path = (fs::path(style_dir) / "print.toml").string();
  diagnostics style_diags(style_path);
  style::print_style ps;
  std::error_code ec;
  if (fs::exists(style_path, ec)) ps = style::load_print_style(style_path, style_diags);
  for (const auto& dg : style_diags.list()) diags.add(dg.severity, dg.pos, dg.code, dg.message).file = dg.file;
  if (style_diags.has_errors())
    fail(exit_code::usage, style_path, "bad-style", "the print style has errors");
  if (!o.paper.empty()) {
    if (o.paper == "a4") ps.paper = style::paper::a4;
    else if (o.paper == "letter") ps.paper = style::paper::letter;
    else if (o.paper == "a5") ps.paper = style::paper::a5;
    else if (o.paper == "6x9") ps.paper = style::paper::trade_6x9;
    else fail(exit_code::usage, "galley", "bad-paper", "unknown paper '" + o.paper + "'; use a4, letter, a5 or 6x9");
  }
  if (o.labels == "qa") ps.labels = style::label_mode::qa;
  else if (o.labels == "names") ps.labels = style::label_mode::names;
  else if (o.labels == "initials") ps.labels = style::label_mode::initials;
  print::request rq;
  rq.document = &d;
  rq.style = &ps;
  rq.date = o.date;
  rq.diags = &diags;
  rq.files_used = files_used;
  print::result r;
  reinterpret_cast<print::render_fn>(print_module().symbol(GALLEY_PRINT_RENDER))(rq, r);
  switch (r.status) {
    case print::result::outcome::ok: return std::move(r.pdf);
    case print::result::outcome::error: throw *r.failure;
    case print::result::outcome::out_of_memory: throw std::bad_alloc();
    case print::result::outcome::other: break;
  }
  throw std::runtime_error(r.what);
}

void convert_files(const std::vector<std::string>& inputs, const std::string& output, output_format f,
                   const options& o, std::vector<diagnostics>& diags) {
  doc::document d = load_book(inputs, o, diags);
  for (const auto& dg : diags)
    if (dg.has_errors())
      fail(exit_code::input_failed, dg.file(), "input-failed", "not converted: the input has errors");
  doc::smarten(d);
  std::string base_dir = inputs.front() == "-" ? "." : fs::path(inputs.front()).parent_path().string();
  if (base_dir.empty()) base_dir = ".";
  // Problems found while rendering (overfull lines, missing glyphs) are
  // about the output, not one input.
  diags.emplace_back(output);
  std::string bytes = render(d, f, o, base_dir, diags.back());
  write_file_atomically(output, bytes);
}

}  // namespace galley::convert
