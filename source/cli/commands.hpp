// Subcommand modules of the galley command. Each registers its subcommands
// on the app and returns a runner that runs the one chosen on the command
// line, or returns nullopt when none of its subcommands was chosen.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>

namespace galley::cli {

using runner = std::function<std::optional<int>()>;

// build, batch, init: book projects and batch conversion (commands_batch.cpp).
runner add_batch_commands(CLI::App& app);

}  // namespace galley::cli
