// galley's command line: subcommands over the convert layer, diagnostics on
// standard error, and one table of exit codes (base/diagnostics.hpp).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "cli/commands.hpp"
#include "convert/convert.hpp"
#include "convert/load.hpp"
#include "doc/check.hpp"
#include "doc/dump.hpp"

namespace {

using galley::exit_code;

struct input_flags {
  std::string from = "auto";
  std::vector<std::string> meta;
  bool verbose = false;
};

void add_input_flags(CLI::App* cmd, input_flags& f) {
  cmd->add_option("--from", f.from, "Input format: auto (by extension), plain, markdown, vtt or srt")
      ->check(CLI::IsMember({"auto", "plain", "markdown", "vtt", "srt"}));
  cmd->add_option("--meta", f.meta, "Set metadata, overriding front matter: KEY=VALUE (repeatable)");
  cmd->add_flag("-v,--verbose", f.verbose, "Also print info diagnostics (dropped noise, merged captions)");
}

galley::parse::options parse_options(const input_flags& f) {
  galley::parse::options o;
  o.format = galley::parse::format_named(f.from);
  for (const auto& kv : f.meta) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      galley::fail(exit_code::usage, "galley", "bad-meta", "--meta expects KEY=VALUE, got '" + kv + "'");
    o.meta.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return o;
}

void print_diagnostics(const galley::diagnostics& d, bool verbose) {
  std::cerr << d.to_text(verbose ? galley::severity::info : galley::severity::warning);
}

// The tree must satisfy its invariants; a violation is a galley bug.
void check_tree(const galley::doc::document& doc, const std::string& file) {
  auto problems = galley::doc::check(doc);
  if (problems.empty()) return;
  galley::diagnostic d{galley::severity::error, file, {}, "internal error: the document tree is inconsistent",
                       "internal", problems};
  throw galley::error(exit_code::internal, d);
}

int run(int argc, char** argv) {
  CLI::App app{"galley: interviews to EPUB 3 ebooks and print PDFs"};
  app.set_version_flag("--version", std::string("galley ") + GALLEY_VERSION);
  app.require_subcommand(1);
  // Setting up a subcommand's options costs more than many a conversion's
  // parsing: when the first argument names a subcommand, only that one is
  // set up. Anything else (--help, a typo) gets them all.
  const galley::cli::wanted want(argc, argv);

  // galley tree INPUT [--json]
  input_flags tree_flags;
  std::string tree_input;
  bool json = false;
  CLI::App* tree = nullptr;
  if (want("tree")) {
    tree = app.add_subcommand("tree", "Print the document tree of one interview");
    tree->add_option("input", tree_input, "Interview file (.txt, .md), or - for standard input")->required();
    tree->add_flag("--json", json, "Print the tree as JSON");
    add_input_flags(tree, tree_flags);
  }

  // galley check INPUT...
  input_flags check_flags;
  std::vector<std::string> check_inputs;
  CLI::App* check = nullptr;
  if (want("check")) {
    check = app.add_subcommand("check", "Parse interviews and print their diagnostics only");
    check->add_option("inputs", check_inputs, "Interview files")->required();
    add_input_flags(check, check_flags);
  }
  check_flags.verbose = true;

  // galley convert INPUT... -o OUTPUT
  input_flags conv_flags;
  std::vector<std::string> conv_inputs;
  std::string conv_output, conv_to, conv_style = "classic", conv_cover, conv_labels, conv_paper;
  CLI::App* conv = nullptr;
  if (want("convert")) {
    conv = app.add_subcommand("convert", "Convert interviews to one EPUB or PDF (several inputs make a book)");
    conv->add_option("inputs", conv_inputs, "Interview files (.txt, .md), or - for standard input")->required();
    conv->add_option("-o,--output", conv_output, "Output file: book.epub or book.pdf")->required();
    conv->add_option("--to", conv_to, "Output format, when the extension does not say")
        ->check(CLI::IsMember({"epub", "pdf"}));
    conv->add_option("--style", conv_style, "Style name (classic, magazine) or a style folder")
        ->capture_default_str();
    conv->add_option("--cover", conv_cover, "Cover image for the EPUB (JPEG or PNG)");
    conv->add_option("--labels", conv_labels, "Turn labels: qa, names or initials (default: as the input)")
        ->check(CLI::IsMember({"qa", "names", "initials"}));
    conv->add_option("--paper", conv_paper, "Paper for the PDF: a4, letter, a5 or 6x9 (default: the style's)")
        ->check(CLI::IsMember({"a4", "letter", "a5", "6x9"}));
    add_input_flags(conv, conv_flags);
  }

  galley::cli::runner batch_commands = galley::cli::add_batch_commands(app, want);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(exit_code::usage);
  }

  if (auto rc = batch_commands()) return *rc;

  if (tree && *tree) {
    galley::diagnostics diags(tree_input);
    auto doc = galley::convert::load_interview(tree_input, parse_options(tree_flags), diags);
    check_tree(doc, diags.file());
    print_diagnostics(diags, tree_flags.verbose);
    std::cout << (json ? galley::doc::to_json(doc) : galley::doc::to_text(doc));
    return static_cast<int>(diags.has_errors() ? exit_code::input_failed : exit_code::ok);
  }

  if (check && *check) {
    auto opts = parse_options(check_flags);
    bool failed = false;
    for (const auto& input : check_inputs) {
      galley::diagnostics diags(input);
      try {
        auto doc = galley::convert::load_interview(input, opts, diags);
        check_tree(doc, diags.file());
      } catch (const galley::error& e) {
        std::cerr << galley::format(e.diag()) << '\n';
        failed = true;
        continue;
      }
      print_diagnostics(diags, check_flags.verbose);
      failed |= diags.has_errors();
    }
    return static_cast<int>(failed ? exit_code::input_failed : exit_code::ok);
  }
  if (conv && *conv) {
    galley::convert::options o;
    o.parse = parse_options(conv_flags);
    o.style = conv_style;
    o.cover = conv_cover;
    o.labels = conv_labels;
    o.paper = conv_paper;
    o.date = galley::convert::date_from_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
    auto format = conv_to.empty() ? galley::convert::format_for_output(conv_output)
                  : conv_to == "pdf" ? galley::convert::output_format::pdf
                                     : galley::convert::output_format::epub;
    std::vector<galley::diagnostics> diags;
    try {
      galley::convert::convert_files(conv_inputs, conv_output, format, o, diags);
    } catch (const galley::error&) {
      for (const auto& d : diags) print_diagnostics(d, conv_flags.verbose);
      throw;
    }
    for (const auto& d : diags) print_diagnostics(d, conv_flags.verbose);
    return static_cast<int>(exit_code::ok);
  }
  return static_cast<int>(exit_code::usage);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const galley::error& e) {
    std::cerr << galley::format(e.diag()) << '\n';
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "galley: error: out of memory [internal]\n";
    return static_cast<int>(exit_code::internal);
  } catch (const std::exception& e) {
    std::cerr << "galley: error: internal error: " << e.what() << " [internal]\n";
    return static_cast<int>(exit_code::internal);
  }
}
