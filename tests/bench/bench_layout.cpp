// Tree to pages (the layout engine: shaping, hyphenation, Knuth-Plass line
// breaking, page breaking) and pages to PDF bytes (libharu, font subsets),
// for the sample and a 50-interview book, on A5 with the classic style.
// Loading the inputs and the style happens once, outside the loop.
//
// Both stages use a second core when there is one (a book's interviews set
// side by side, page contents deflated while the next pages are painted),
// so for them Google Benchmark's CPU time (the benchmark thread's) leaves
// work out: their Time column is the one to read. The *_one_thread
// variants keep all the work on the benchmark thread, for comparison.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "bench_common.hpp"
#include "base/output.hpp"
#include "layout/layout.hpp"
#include "pdf/pdf.hpp"
#include "style/print_style.hpp"

namespace {

galley::style::print_style classic_a5() {
  const std::string path = (bench::fs::path(galley::convert::resolve_style("classic")) / "print.toml").string();
  galley::diagnostics diags(path);
  galley::style::print_style ps = galley::style::load_print_style(path, diags);
  ps.paper = galley::style::paper::a5;
  return ps;
}

struct fixture {
  galley::doc::document doc;
  galley::style::print_style style;
  std::size_t in_bytes = 0;
  std::size_t interviews = 0;
};

fixture make(const std::vector<std::string>& inputs) {
  fixture f;
  f.doc = bench::load(inputs, bench::default_options(inputs.size()));
  f.style = classic_a5();
  for (const auto& p : inputs) f.in_bytes += bench::fs::file_size(p);
  f.interviews = inputs.size();
  return f;
}

const fixture& sample() {
  static const fixture f = make({bench::sample_path().string()});
  return f;
}

const fixture& book50() {
  static const bench::book_files files(50);
  static const fixture f = make(files.paths());
  return f;
}

void layout(benchmark::State& state, const fixture& f, unsigned threads = 0) {
  std::size_t pages = 0;
  galley::layout::layout_options options;
  options.threads = threads;
  for (auto _ : state) {
    galley::diagnostics diags("bench");
    auto p = galley::layout::layout_document(f.doc, f.style, diags, options);
    pages = p.list.size();
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(f.in_bytes));
  state.counters["pages"] = static_cast<double>(pages);
  state.counters["pages/s"] =
      benchmark::Counter(static_cast<double>(pages) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void paint(benchmark::State& state, const fixture& f, unsigned threads = 0) {
  galley::diagnostics diags("bench");
  const auto p = galley::layout::layout_document(f.doc, f.style, diags);
  std::size_t bytes = 0;
  for (auto _ : state) {
    galley::string_sink out;
    galley::pdf::pdf_options o;
    o.date = "2024-01-01T00:00:00Z";
    o.diagnostics = &diags;
    o.threads = threads;
    galley::pdf::write_pdf(p, o, out);
    bytes = out.str().size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["pages"] = static_cast<double>(p.list.size());
  state.counters["pdf_bytes"] = static_cast<double>(bytes);
  state.counters["pages/s"] = benchmark::Counter(static_cast<double>(p.list.size()) * static_cast<double>(state.iterations()),
                                                 benchmark::Counter::kIsRate);
}

void bm_layout_sample(benchmark::State& state) { layout(state, sample()); }
void bm_layout_book50(benchmark::State& state) { layout(state, book50()); }
void bm_layout_book50_one_thread(benchmark::State& state) { layout(state, book50(), 1); }
void bm_pdf_sample(benchmark::State& state) { paint(state, sample()); }
void bm_pdf_book50(benchmark::State& state) { paint(state, book50()); }
void bm_pdf_book50_one_thread(benchmark::State& state) { paint(state, book50(), 1); }

}  // namespace

BENCHMARK(bm_layout_sample)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_layout_book50)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_layout_book50_one_thread)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_pdf_sample)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_pdf_book50)->Unit(benchmark::kMillisecond);
BENCHMARK(bm_pdf_book50_one_thread)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
