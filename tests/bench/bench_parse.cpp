// Parser throughput: the real sample, and a 5 MB concatenation of the sample
// and the golden inputs (plain text and Markdown read separately).
#include <benchmark/benchmark.h>
#include <cmark.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "parse/parse.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path tests_dir{GALLEY_TEST_DATA};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const std::string& sample() {
  static const std::string s = read_file(tests_dir / "data" / "ambrazevich-interview.txt");
  return s;
}

// The inputs of one format, concatenated (blank lines between) up to `size` bytes.
std::string concatenation(bool markdown, std::size_t size) {
  std::vector<fs::path> files;
  if (!markdown) files.push_back(tests_dir / "data" / "ambrazevich-interview.txt");
  std::error_code ec;
  const auto golden = tests_dir / "golden" / "inputs";
  if (fs::is_directory(golden, ec))
    for (const auto& e : fs::directory_iterator(golden)) {
      const auto ext = e.path().extension().string();
      if ((ext == ".md") == markdown && (ext == ".md" || ext == ".txt")) files.push_back(e.path());
    }
  std::sort(files.begin(), files.end());
  std::string unit;
  for (const auto& f : files) {
    auto text = read_file(f);
    if (text.rfind("+++", 0) == 0) continue;  // front matter only counts at the top
    unit += text + "\n\n";
  }
  if (unit.empty()) unit = sample() + "\n\n";
  std::string out;
  out.reserve(size + unit.size());
  while (out.size() < size) out += unit;
  return out;
}

void run(benchmark::State& state, const std::string& input, galley::parse::input_format f) {
  galley::parse::options opts;
  opts.format = f;
  std::size_t blocks = 0;
  for (auto _ : state) {
    galley::diagnostics diags("bench");
    auto d = galley::parse::parse_interview(input, "bench", opts, diags);
    for (const auto& a : d.articles) blocks += a.blocks.size();
    benchmark::DoNotOptimize(d);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(input.size()));
  state.counters["bytes"] = static_cast<double>(input.size());
  state.counters["blocks"] = static_cast<double>(blocks) / static_cast<double>(std::max<std::int64_t>(state.iterations(), 1));
}

void bm_sample(benchmark::State& state) { run(state, sample(), galley::parse::input_format::plain); }

void bm_sample_as_markdown(benchmark::State& state) {
  run(state, sample(), galley::parse::input_format::markdown);
}

void bm_5mb_plain(benchmark::State& state) {
  static const std::string input = concatenation(false, 5u << 20);
  run(state, input, galley::parse::input_format::plain);
}

// The same mix at 1 MB: with bm_5mb_plain, shows whether time grows faster
// than the input.
void bm_1mb_plain(benchmark::State& state) {
  static const std::string input = concatenation(false, 1u << 20);
  run(state, input, galley::parse::input_format::plain);
}

void bm_5mb_markdown(benchmark::State& state) {
  static const std::string input = concatenation(true, 5u << 20);
  run(state, input, galley::parse::input_format::markdown);
}

// cmark alone on the same 5 MB of Markdown, parsing with source positions
// as galley does: the part of bm_5mb_markdown that is not galley's.
void bm_5mb_markdown_cmark_only(benchmark::State& state) {
  static const std::string input = concatenation(true, 5u << 20);
  for (auto _ : state) {
    cmark_node* root = cmark_parse_document(input.data(), input.size(), CMARK_OPT_SOURCEPOS);
    benchmark::DoNotOptimize(root);
    cmark_node_free(root);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(input.size()));
}

// The sample alone repeated to 5 MB: with bm_5mb_plain, tells the size of
// the input from its content (the golden inputs are noisier than the sample).
void bm_5mb_sample_repeated(benchmark::State& state) {
  static const std::string input = [] {
    std::string out;
    while (out.size() < (5u << 20)) out += sample() + "\n\n";
    return out;
  }();
  run(state, input, galley::parse::input_format::plain);
}

// Each golden input parsed on its own, as a batch conversion would: the
// per-document costs (detection, tables, the tree's allocation) included.
void bm_golden_each(benchmark::State& state) {
  static const auto inputs = [] {
    std::vector<std::pair<std::string, galley::parse::input_format>> out;
    const auto golden = tests_dir / "golden" / "inputs";
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(golden, ec))
      for (const auto& e : fs::directory_iterator(golden)) {
        const auto ext = e.path().extension().string();
        if (ext == ".md" || ext == ".txt") files.push_back(e.path());
      }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) out.emplace_back(read_file(f), galley::parse::format_for(f.filename().string()));
    return out;
  }();
  std::size_t bytes = 0, blocks = 0;
  for (const auto& [text, format] : inputs) bytes += text.size();
  galley::parse::options opts;
  for (auto _ : state) {
    for (const auto& [text, format] : inputs) {
      opts.format = format;
      galley::diagnostics diags("bench");
      auto d = galley::parse::parse_interview(text, "bench", opts, diags);
      for (const auto& a : d.articles) blocks += a.blocks.size();
      benchmark::DoNotOptimize(d);
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["inputs"] = static_cast<double>(inputs.size());
}

}  // namespace

BENCHMARK(bm_golden_each)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_sample)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_sample_as_markdown)->Unit(benchmark::kMicrosecond);
BENCHMARK(bm_5mb_plain)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_1mb_plain)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_5mb_markdown)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_5mb_markdown_cmark_only)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_5mb_sample_repeated)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
