#include "parse/whitespace.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "base/utf8.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace galley::parse {

namespace {

// Byte length of the white-space character at s[i] (utf8::is_space: ASCII
// blanks and newlines, no-break, Ogham, typographic and ideographic spaces),
// or 0. Byte patterns, so the common case needs no decoding. Inline here:
// the scans below ask at every quote and dash.
inline std::size_t space_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') ? 1 : 0;
  const auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0; };
  switch (c) {
    case 0xC2: return at(1) == 0xA0 ? 2 : 0;                                // U+00A0
    case 0xE1: return at(1) == 0x9A && at(2) == 0x80 ? 3 : 0;               // U+1680
    case 0xE2:
      if (at(1) == 0x80) return (at(2) >= 0x80 && at(2) <= 0x8A) || at(2) == 0xAF ? 3 : 0;  // U+2000..200A, U+202F
      return at(1) == 0x81 && at(2) == 0x9F ? 3 : 0;                        // U+205F
    case 0xE3: return at(1) == 0x80 && at(2) == 0x80 ? 3 : 0;               // U+3000
    default: return 0;
  }
}

}  // namespace

std::size_t space_at(std::string_view s, std::size_t i) { return space_length(s, i); }

// Bytes that may start white space: ASCII blanks and controls, and the
// lead bytes of the non-ASCII spaces (C2 for U+00A0, E1, E2, E3).
namespace {

constexpr auto maybe_space = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c <= ' '; ++c) t[c] = true;
  t[0xC2] = t[0xE1] = t[0xE2] = t[0xE3] = true;
  return t;
}();

// Advances i over bytes that need no collapsing: no control byte, no lead
// byte of a non-ASCII space (E0 is caught too, harmlessly) and no ASCII
// space followed by more white space. Sixteen bytes at a time with SSE2,
// stopping at the first byte to look at; else whole 8-byte words with
// branch-free tests, stopping at the word that holds it.
inline std::size_t skip_quiet(const unsigned char* p, std::size_t i, std::size_t end) {
#if defined(__SSE2__)
  // Sixteen bytes at a time, stopping at the first byte that may need
  // collapsing: a control, C2 or E0..E3, or a space followed by a byte
  // that may start white space. The byte after each space is looked at in
  // the masks, one bit per byte, rather than in a second load: the last
  // byte's follower is the one byte read alone.
  const __m128i top = _mm_set1_epi8(static_cast<char>(0x80)), below_20 = _mm_set1_epi8(static_cast<char>(0x20 ^ 0x80));
  const __m128i c2 = _mm_set1_epi8(static_cast<char>(0xC2)), fc = _mm_set1_epi8(static_cast<char>(0xFC));
  const __m128i e0 = _mm_set1_epi8(static_cast<char>(0xE0)), space = _mm_set1_epi8(0x20);
  while (i + 17 <= end) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // (Unsigned "less than" is the signed one with the top bits flipped.)
    const __m128i control = _mm_cmplt_epi8(_mm_xor_si128(v, top), below_20);
    const __m128i lead = _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(_mm_and_si128(v, fc), e0));
    const auto may = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(control, lead)));
    const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
    const unsigned stops = may | (spaces & ((may | spaces) >> 1));
    if (stops != 0) return i + static_cast<std::size_t>(std::countr_zero(stops));
    if ((spaces & 0x8000u) != 0 && maybe_space[p[i + 16]]) return i + 15;
    i += 16;
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL, highs = ~low7;
  // 0x80 in each byte of x that is zero (exact, no carries between bytes).
  const auto zero_bytes = [](std::uint64_t x) { return ~(((x & low7) + low7) | x) & highs; };
  while (i + 9 <= end) {
    std::uint64_t w, next;
    std::memcpy(&w, p + i, 8);
    std::memcpy(&next, p + i + 1, 8);
    const std::uint64_t controls = ~((w & low7) + ones * 0x60) & ~w & highs;  // bytes < 0x20
    const std::uint64_t c2 = zero_bytes(w ^ (ones * 0xC2));
    const std::uint64_t e0_e3 = zero_bytes((w ^ (ones * 0xE0)) & (ones * 0xFC));
    const std::uint64_t two_spaces = zero_bytes(w ^ (ones * 0x20)) & zero_bytes(next ^ (ones * 0x20));
    if ((controls | c2 | e0_e3 | two_spaces) != 0) break;
    // A space in the last byte followed by another kind of white space
    // (a tab, a no-break space) in the next word.
    if (p[i + 7] == ' ' && maybe_space[p[i + 8]]) break;
    i += 8;
  }
  return i;
}

}  // namespace

// Does the text need collapsing: a white-space character other than a lone
// ASCII space, or two spaces in a row? A tight scan over the bytes.
bool is_collapsed(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n; ++i) {
    i = skip_quiet(p, i, n);
    if (i >= n) break;
    if (!maybe_space[p[i]]) continue;
    if (p[i] == ' ') {
      if (i + 1 < n && maybe_space[p[i + 1]] && space_length(s, i + 1) != 0) return false;
    } else if (space_length(s, i) != 0 || p[i] < ' ') {
      return false;
    }
  }
  return true;
}

// Appends s to out with white space collapsed: a run becomes one ASCII
// space, except that a lone non-ASCII space (no-break, thin: "10 km",
// French "dit :") is kept as it is. With trim, white space at either end is
// dropped; without, it becomes one space. Returns the number of white-space
// code points before the first word.
std::size_t collapse_into(std::string_view s, std::string& out, bool trim) {
  std::size_t i = 0, leading = 0;
  for (std::size_t k; i < s.size() && (k = space_length(s, i)) != 0; i += k) ++leading;
  if (leading > 0 && !trim) out += ' ';
  // Trailing white space, walking back one character at a time.
  std::size_t end = s.size();
  while (end > i) {
    std::size_t k = end - 1;
    while (k > i && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
    if (space_length(s, k) != end - k) break;
    end = k;
  }
  // One pass over the words in between: a lone ASCII space is part of the
  // run being copied, so most lines are a single bulk append.
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t begin = i;
  std::size_t copied = i;  // start of the bytes not yet appended
  while (i < end) {
    i = skip_quiet(p, i, end);
    if (i >= end) break;
    const unsigned char c = p[i];
    if (!maybe_space[c] || (c == ' ' && i + 1 < end && !maybe_space[p[i + 1]])) {
      ++i;
      continue;
    }
    const std::size_t first = space_length(s, i);
    if (first == 0) {
      ++i;  // the lead byte of some other character, or a control
      continue;
    }
    out.append(s.data() + copied, i - copied);
    const std::size_t run = i;
    std::size_t count = 0;
    bool ascii = false;
    for (std::size_t k; i < end && (k = space_length(s, i)) != 0; i += k) {
      ascii = ascii || k == 1;
      ++count;
    }
    if (count == 1 && !ascii)
      out.append(s.data() + run, i - run);  // a lone no-break or thin space
    else
      out += ' ';
    copied = i;
  }
  out.append(s.data() + copied, end - copied);
  if (end < s.size() && end > begin && !trim) out += ' ';
  return leading;
}

// One pass that finds the end of the line and tells whether it needs
// collapsing: the same stops as collapse_into's, but past the line end, so
// the newline is just one more stop and most lines are read once.
std::size_t scan_line(std::string_view s, bool& quiet) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  // A space at the start is the only white space the stops below let by.
  const bool space_first = n > 0 && p[0] == ' ';
  std::size_t i = 0;
  while (true) {
    i = skip_quiet(p, i, n);
    if (i >= n || p[i] == '\n') {
      i = std::min(i, n);
      quiet = i > 0 && !space_first;
      return i;
    }
    const unsigned char c = p[i];
    if (!maybe_space[c]) {
      ++i;  // E0, or a byte before the stop (without SSE2)
      continue;
    }
    if (c == ' ' && i + 1 < n &&
        (!maybe_space[p[i + 1]] || (p[i + 1] >= 0x80 && space_length(s, i + 1) == 0))) {
      ++i;  // a lone space between words (the next may start with a quote: C2 AB, E2 80 9C)
      continue;
    }
    if (c >= 0x80 && space_length(s, i) == 0) {
      ++i;  // the lead byte of a character that is no space
      continue;
    }
    // White space to collapse or trim, a space at the end, or a control
    // character: the line is collapsed the long way.
    break;
  }
  quiet = false;
  const void* nl = std::memchr(p + i, '\n', n - i);
  return nl ? static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - p) : n;
}

std::string collapse(std::string_view s, bool trim) {
  std::string out;
  out.reserve(s.size());
  collapse_into(s, out, trim);
  return out;
}

}  // namespace galley::parse
