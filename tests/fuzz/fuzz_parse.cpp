// libFuzzer harness: any bytes, read as plain text, Markdown and captions, must give
// a sound tree (doc::check() finds nothing) and dump to JSON and text. The one
// allowed exception is galley::error for input that is not text at all.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/diagnostics.hpp"
#include "doc/check.hpp"
#include "doc/dump.hpp"
#include "parse/parse.hpp"

namespace {

void run(std::string_view bytes, galley::parse::input_format format, const char* name) {
  galley::diagnostics diags(name);
  galley::parse::options opts;
  opts.format = format;
  galley::doc::document d;
  try {
    d = galley::parse::parse_interview(bytes, name, opts, diags);
  } catch (const galley::error& e) {
    if (e.code() != galley::exit_code::input_failed) {
      std::fprintf(stderr, "unexpected galley::error: %s\n", e.what());
      std::abort();
    }
    return;  // binary input: refused, as documented
  }
  const auto problems = galley::doc::check(d);
  if (!problems.empty()) {
    for (const auto& p : problems) std::fprintf(stderr, "%s: doc::check: %s\n", name, p.c_str());
    std::abort();
  }
  (void)galley::doc::to_json(d);
  (void)galley::doc::to_text(d);
  (void)diags.to_text();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  run(bytes, galley::parse::input_format::plain, "fuzz.txt");
  run(bytes, galley::parse::input_format::markdown, "fuzz.md");
  run(bytes, galley::parse::input_format::vtt, "fuzz.vtt");
  run(bytes, galley::parse::input_format::srt, "fuzz.srt");
  return 0;
}
