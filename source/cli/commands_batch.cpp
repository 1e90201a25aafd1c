#include "cli/commands.hpp"

namespace galley::cli {

runner add_batch_commands(CLI::App&) {
  return [] { return std::optional<int>(); };
}

}  // namespace galley::cli
