// Small UTF-8 helpers over std::string_view. Input is assumed valid UTF-8
// (the readers guarantee that); malformed bytes decode as U+FFFD.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace galley::utf8 {

inline constexpr char32_t replacement = 0xFFFD;

// Decodes the code point at s[i] and advances i past it. Malformed or
// truncated sequences yield U+FFFD and advance by one byte.
char32_t next(std::string_view s, std::size_t& i);

// Appends the UTF-8 encoding of cp.
void append(std::string& out, char32_t cp);
std::string encode(char32_t cp);

// The first and the last code point of s (0 when s is empty).
char32_t first_char(std::string_view s);
char32_t last_char(std::string_view s);

// Number of code points.
std::size_t length(std::string_view s);

// length(s) > n, without counting a long string to its end.
inline bool longer_than(std::string_view s, std::size_t n) {
  if (s.size() <= n) return false;
  if (s.size() > 4 * n) return true;
  return length(s) > n;
}

// Byte length of the first n code points (or s.size()).
std::size_t prefix_bytes(std::string_view s, std::size_t n);

// Unicode-aware but simple: ASCII letters plus Latin-1, Latin Extended,
// Greek and Cyrillic case mapping. Good enough for labels and keywords.
// to_lower, is_letter and is_space are constexpr: the parser's character
// table (parse/text_scan.hpp) is filled from them at compile time.
// Latin Extended-A (U+0100 to U+017F) pairs each capital with the small
// letter after it, capital first; but in U+0139 to U+0148 and U+0179 to
// U+017E the pairs start one later (Ĺĺ ... Łł Ńń Ňň, Źź Żż Žž). ı, ĸ, ŉ
// and ſ are small letters of no pair here; İ and Ÿ are capitals whose
// small letters are i and ÿ.
constexpr bool latin_a_capital(char32_t c) {
  if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return false;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1;
  return c % 2 == 0;
}
constexpr char32_t to_lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F && latin_a_capital(c)) return c == 0x130 ? U'i' : c == 0x178 ? 0xFF : c + 1;
  if (c >= 0x391 && c <= 0x3AB) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}
char32_t to_upper(char32_t c);
std::string to_lower(std::string_view s);
bool is_upper(char32_t c);
bool is_lower(char32_t c);
constexpr bool is_letter(char32_t c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c <= 0x24F) return true;                  // Latin-1 letters, Latin Extended A/B
  if (c >= 0x370 && c <= 0x3FF) return true;    // Greek
  if (c >= 0x400 && c <= 0x52F) return true;    // Cyrillic
  if (c >= 0x1E00 && c <= 0x1FFF) return true;  // Latin Extended Additional, Greek Extended
  if (c >= 0x3040 && c <= 0x9FFF) return true;  // kana, CJK
  return c >= 0x0590 && c <= 0x06FF;            // Hebrew, Arabic
}
constexpr bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
// Horizontal white space, including no-break and typographic spaces.
constexpr bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

// Trims white space (is_space plus newlines) at both ends.
std::string_view trim(std::string_view s);
// Collapses runs of white space into one ASCII space and trims.
std::string collapse_space(std::string_view s);

bool starts_with_ci(std::string_view s, std::string_view prefix);

}  // namespace galley::utf8
