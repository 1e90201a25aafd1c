// Readable text and JSON dumps of the tree. The JSON shape is a contract
// (README "JSON tree"); fields may be added, never renamed or removed.
#pragma once

#include <string>

#include "doc/tree.hpp"

namespace galley::doc {

std::string to_text(const document& d);
std::string to_json(const document& d, int indent = 2);

}  // namespace galley::doc
