// The tree's invariants. The parser's output always passes; back ends may
// assume it. Returns one line per violation, empty when the tree is sound.
#pragma once

#include <string>
#include <vector>

#include "doc/tree.hpp"

namespace galley::doc {

std::vector<std::string> check(const document& d);

}  // namespace galley::doc
