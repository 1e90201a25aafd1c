// galley build | batch | init: book projects and batch conversion for CI.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "cli/commands.hpp"
#include "convert/batch.hpp"
#include "convert/book.hpp"
#include "convert/convert.hpp"

namespace galley::cli {

namespace {

namespace fs = std::filesystem;
using convert::output_format;

struct common_flags {
  std::string out_dir;
  std::string to;
  unsigned jobs = 0;
  std::string report;
  bool force = false;
  bool depfile = false;
  bool quiet = false;
  bool verbose = false;
  std::string progress = "auto";
};

struct batch_flags {
  std::vector<std::string> inputs;
  std::string shard;
  std::string style = "classic", cover, labels, paper, from = "auto";
  std::vector<std::string> meta;
};

struct state {
  common_flags batch_common, build_common;
  batch_flags batch;
  std::string book_file = "book.toml";
  std::string init_file = "book.toml";
  bool init_force = false;
  CLI::App* batch_cmd = nullptr;
  CLI::App* build_cmd = nullptr;
  CLI::App* init_cmd = nullptr;
};

void add_common(CLI::App* cmd, common_flags& f) {
  cmd->add_option("--to", f.to, "Output formats, comma-separated: epub, pdf or epub,pdf");
  cmd->add_option("-j,--jobs", f.jobs, "Number of workers (default: the number of cores)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--report", f.report, "Write a JSON report for CI dashboards to FILE");
  cmd->add_flag("--force", f.force, "Rebuild even outputs that are up to date");
  cmd->add_flag("--depfile", f.depfile, "Write a Make-format dependency file OUTPUT.d beside each output");
  cmd->add_flag("-q,--quiet", f.quiet, "No progress and no summary line (failures are still listed)");
  cmd->add_flag("-v,--verbose", f.verbose, "Also print info diagnostics");
  cmd->add_option("--progress", f.progress, "Progress display: auto (a bar on a terminal), bar or lines")
      ->check(CLI::IsMember({"auto", "bar", "lines"}))
      ->capture_default_str();
}

std::vector<output_format> parse_formats(const std::string& to, std::vector<output_format> dflt) {
  if (to.empty()) return dflt;
  std::vector<output_format> out;
  std::string item;
  auto flush = [&] {
    if (item == "epub") out.push_back(output_format::epub);
    else if (item == "pdf") out.push_back(output_format::pdf);
    else fail(exit_code::usage, "galley", "bad-format", "--to expects epub, pdf or epub,pdf; got '" + to + "'");
    item.clear();
  };
  for (char c : to) {
    if (c == ',') flush();
    else item += c;
  }
  flush();
  std::vector<output_format> unique;
  for (auto f : out)
    if (std::find(unique.begin(), unique.end(), f) == unique.end()) unique.push_back(f);
  return unique;
}

void fill_settings(convert::batch_settings& s, const common_flags& f) {
  s.workers = f.jobs;
  s.force = f.force;
  s.depfile = f.depfile;
  s.quiet = f.quiet;
  s.verbose = f.verbose;
  s.report = f.report;
  s.progress = f.progress == "bar" ? 1 : f.progress == "lines" ? 0 : -1;
  s.conversion.date = convert::date_from_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
}

parse::options parse_options(const std::string& from, const std::vector<std::string>& meta) {
  parse::options o;
  o.format = parse::format_named(from);
  for (const auto& kv : meta) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      fail(exit_code::usage, "galley", "bad-meta", "--meta expects KEY=VALUE, got '" + kv + "'");
    o.meta.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return o;
}

int run_batch_command(const state& st) {
  const auto& f = st.batch_common;
  const auto& b = st.batch;
  convert::batch_settings s;
  fill_settings(s, f);
  s.command = "batch";
  s.state_dir = f.out_dir;
  s.conversion.parse = parse_options(b.from, b.meta);
  s.conversion.style = b.style;
  s.conversion.cover = b.cover;
  s.conversion.labels = b.labels;
  s.conversion.paper = b.paper;
  auto formats = parse_formats(f.to, {output_format::epub, output_format::pdf});
  auto shard = convert::parse_shard(b.shard.empty() ? "1/1" : b.shard, std::getenv("CI_NODE_INDEX"),
                                    std::getenv("CI_NODE_TOTAL"));
  auto jobs = convert::plan_batch(b.inputs, f.out_dir, formats);
  if (!b.shard.empty()) {
    s.shard = std::to_string(shard.index) + "/" + std::to_string(shard.count);
    std::vector<convert::batch_job> mine;
    for (auto& j : jobs)
      if (convert::in_shard(j.name, shard)) mine.push_back(std::move(j));
    jobs = std::move(mine);
  }
  if (jobs.empty() && b.shard.empty())
    fail(exit_code::usage, "galley", "no-inputs", "no interviews (.txt, .md, .markdown) among the inputs");
  return convert::run_batch(jobs, s, std::cerr);
}

int run_build_command(const state& st) {
  const auto& f = st.build_common;
  diagnostics warnings(st.book_file);
  std::error_code ec;
  if (!fs::exists(st.book_file, ec))
    fail(exit_code::usage, st.book_file, "book-missing",
         "no book project '" + st.book_file + "'; `galley init` writes a starter book.toml");
  convert::book_project p = convert::load_book_project(st.book_file, warnings);
  std::cerr << warnings.to_text(severity::warning);
  convert::batch_settings s;
  fill_settings(s, f);
  s.command = "build";
  s.conversion.style = p.style;
  // A relative style folder is relative to the book file.
  if (p.style.find('/') != std::string::npos && !fs::path(p.style).is_absolute() && !p.dir.empty())
    s.conversion.style = (fs::path(p.dir) / p.style).string();
  s.conversion.cover = p.cover;
  s.conversion.labels = p.labels;
  s.conversion.paper = p.paper;
  std::vector<std::string> meta;
  for (const auto& [k, v] : p.meta) meta.push_back(k + "=" + v);
  s.conversion.parse = parse_options(p.from, meta);
  std::string out_dir = f.out_dir.empty() ? p.out_dir : f.out_dir;
  if (out_dir.empty()) out_dir = ".";
  s.state_dir = out_dir;
  convert::batch_job j;
  j.name = p.name;
  j.inputs = p.interviews;
  j.book = p.book;
  j.extra_deps = {st.book_file};
  for (auto fmt : parse_formats(f.to, p.formats))
    j.outputs.push_back({fmt, (fs::path(out_dir) / (p.name + (fmt == output_format::epub ? ".epub" : ".pdf"))).string()});
  return convert::run_batch({j}, s, std::cerr);
}

int run_init_command(const state& st) {
  std::error_code ec;
  if (fs::exists(st.init_file, ec) && !st.init_force)
    fail(exit_code::usage, st.init_file, "exists",
         "'" + st.init_file + "' already exists; use --force to overwrite it");
  write_file_atomically(st.init_file, convert::starter_book_toml());
  std::cerr << "galley: wrote " << st.init_file << "; put interviews in interviews/ and run `galley build`\n";
  return 0;
}

}  // namespace

runner add_batch_commands(CLI::App& app, const wanted& want) {
  auto st = std::make_shared<state>();

  // galley batch INPUT|DIR... --out-dir DIR
  if (want("batch")) {
    auto* batch = app.add_subcommand("batch", "Convert every interview to its own EPUB and PDF, in parallel");
    batch->add_option("inputs", st->batch.inputs, "Interview files, or folders searched for .txt, .md and .markdown")
        ->required();
    batch->add_option("-O,--out-dir", st->batch_common.out_dir, "Output folder (keeps the inputs' relative paths)")
        ->required();
    add_common(batch, st->batch_common);
    batch->add_option("--shard", st->batch.shard,
                      "Convert only shard K of N (K/N, 1-based), or auto: CI_NODE_INDEX/CI_NODE_TOTAL");
    batch->add_option("--style", st->batch.style, "Style name (classic, magazine) or a style folder")
        ->capture_default_str();
    batch->add_option("--cover", st->batch.cover, "Cover image for every EPUB (JPEG or PNG)");
    batch->add_option("--labels", st->batch.labels, "Turn labels: qa, names or initials")
        ->check(CLI::IsMember({"qa", "names", "initials"}));
    batch->add_option("--paper", st->batch.paper, "Paper for the PDFs: a4, letter, a5 or 6x9")
        ->check(CLI::IsMember({"a4", "letter", "a5", "6x9"}));
    batch->add_option("--from", st->batch.from, "Input format: auto (by extension), plain, markdown, vtt or srt")
        ->check(CLI::IsMember({"auto", "plain", "markdown", "vtt", "srt"}));
    batch->add_option("--meta", st->batch.meta, "Set metadata for every input: KEY=VALUE (repeatable)");
    st->batch_cmd = batch;
  }

  // galley build [book.toml]
  if (want("build")) {
    auto* build = app.add_subcommand("build", "Build the book project of a book.toml: one EPUB and one PDF");
    build->add_option("book", st->book_file, "The book project file")->capture_default_str();
    build->add_option("-O,--out-dir", st->build_common.out_dir, "Output folder (default: the book's output.dir)");
    add_common(build, st->build_common);
    st->build_cmd = build;
  }

  // galley init [book.toml]
  if (want("init")) {
    auto* init = app.add_subcommand("init", "Write a commented starter book.toml");
    init->add_option("file", st->init_file, "Where to write it")->capture_default_str();
    init->add_flag("--force", st->init_force, "Overwrite an existing file");
    st->init_cmd = init;
  }

  return [st]() -> std::optional<int> {
    if (st->batch_cmd && *st->batch_cmd) return run_batch_command(*st);
    if (st->build_cmd && *st->build_cmd) return run_build_command(*st);
    if (st->init_cmd && *st->init_cmd) return run_init_command(*st);
    return std::nullopt;
  };
}

}  // namespace galley::cli
