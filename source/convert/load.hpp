// Reading one interview from a file (or standard input) into a tree.
#pragma once

#include <string>

#include "base/diagnostics.hpp"
#include "doc/tree.hpp"
#include "parse/parse.hpp"

namespace galley::convert {

// Reads `path` ("-" for standard input) and parses it. Throws galley::error
// for an unreadable or binary file; everything else is a diagnostic.
doc::document load_interview(const std::string& path, const parse::options& opts, diagnostics& diags);

}  // namespace galley::convert
