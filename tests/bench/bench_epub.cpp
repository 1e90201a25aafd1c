// Tree to EPUB in memory: the sample, and a book of 50 copies of it (other
// titles). Reading, parsing and smartening happen once, outside the loop;
// the loop is convert::render (stylesheet lookup + epub::write_epub, zip
// and deflate included) into a string.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>

#include "bench_common.hpp"

namespace {

using galley::convert::output_format;

void run(benchmark::State& state, const std::vector<std::string>& inputs) {
  const auto o = bench::default_options(inputs.size());
  const galley::doc::document d = bench::load(inputs, o);
  std::size_t in_bytes = 0;
  for (const auto& p : inputs) in_bytes += bench::fs::file_size(p);
  std::size_t out_bytes = 0;
  for (auto _ : state) {
    galley::diagnostics diags("bench");
    std::string epub = galley::convert::render(d, output_format::epub, o, bench::tests_dir.string(), diags);
    out_bytes = epub.size();
    benchmark::DoNotOptimize(epub);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(in_bytes));
  state.counters["interviews"] = static_cast<double>(inputs.size());
  state.counters["epub_bytes"] = static_cast<double>(out_bytes);
}

void bm_epub_sample(benchmark::State& state) { run(state, {bench::sample_path().string()}); }

void bm_epub_book50(benchmark::State& state) {
  static const bench::book_files files(50);
  run(state, files.paths());
}

}  // namespace

BENCHMARK(bm_epub_sample)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_epub_book50)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
