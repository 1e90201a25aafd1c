// Subcommand modules of the galley command. Each registers its subcommands
// on the app and returns a runner that runs the one chosen on the command
// line, or returns nullopt when none of its subcommands was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string_view>

namespace galley::cli {

using runner = std::function<std::optional<int>()>;

// Which subcommands to set up: the one the first argument names, or all
// when it names none (galley --help, a typo).
class wanted {
 public:
  wanted(int argc, char** argv) {
    if (argc > 1) {
      const std::string_view first = argv[1];
      for (const char* name : all)
        if (first == name) only_ = name;
    }
  }
  bool operator()(std::string_view name) const { return only_.empty() || only_ == name; }

 private:
  static constexpr const char* all[] = {"tree", "check", "convert", "batch", "build", "init"};
  std::string_view only_;
};

// build, batch, init: book projects and batch conversion (commands_batch.cpp).
// Sets up those of them `want` asks for.
runner add_batch_commands(CLI::App& app, const wanted& want);

}  // namespace galley::cli
