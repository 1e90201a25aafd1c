// White space as the readers see it: which characters are spaces, and
// collapsing runs of them into one ASCII space (a lone no-break or thin
// space is kept: "10\u00a0km", French "dit\u202f:"). Shared by the plain
// and Markdown readers; tuned for speed, since every input byte passes here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace galley::parse {

// Byte length of the white-space character at s[i], or 0.
std::size_t space_at(std::string_view s, std::size_t i);

// True when the text needs no collapsing: no white space other than lone
// ASCII spaces.
bool is_collapsed(std::string_view s);

// Appends s to out with white space collapsed. With trim, white space at
// either end is dropped; without, it becomes one space. Returns the number
// of white-space code points before the first word.
std::size_t collapse_into(std::string_view s, std::string& out, bool trim);

// The same, into a new string.
std::string collapse(std::string_view s, bool trim);

// The byte length of the line that starts at s[0]: up to the first '\n' or
// the end of s. Sets quiet when collapse_into(line, out, true) would copy
// the line as it is (it is not blank, has no white space at either end and
// none inside but lone ASCII spaces), so that the caller can use the line
// itself. A line that is not quiet may still come out unchanged.
std::size_t scan_line(std::string_view s, bool& quiet);

}  // namespace galley::parse
