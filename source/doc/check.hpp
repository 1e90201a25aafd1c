// The tree's invariants. The parser's output always passes; back ends may
// assume it. Returns one line per violation, empty when the tree is sound.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "doc/tree.hpp"

namespace galley::doc {

std::vector<std::string> check(const document& d);

// A language tag in BCP 47's usual case: "DE_at" -> "de-AT", "zh-hant-tw"
// -> "zh-Hant-TW" (an underscore is read as a hyphen). "" when `tag` is not
// a well-formed tag: a language of 2-3 letters, then subtags of 1-8
// letters or digits, 35 characters at most. Every language in a tree that
// passes check() is one.
std::string normalize_language(std::string_view tag);

}  // namespace galley::doc
