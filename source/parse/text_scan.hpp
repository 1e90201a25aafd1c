// Fast paths for the text tests the recognizer and the language detector
// run on every block: decoding, case folding, lengths, and matching a line
// against lists of words and prefixes.
//
// Messy inputs are mostly short lines, and each went through every noise,
// byline, breadcrumb and related-line check, each a loop over its list
// with a search through the line. The helpers here give the same answers
// as the utf8:: functions and those loops (tests/unit/parse_readers/
// text_scan_test.cpp compares them) with far less work: tables instead of
// calls, sixteen bytes at a time with SSE2 where the CPU has it (every
// x86-64 does; other machines take the plain loops), one automaton pass
// instead of a search per word. The character tables are filled at compile
// time from the rules of the utf8:: functions; the unit tests compare every
// code point, so they cannot drift apart unnoticed.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/utf8.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace galley::parse::scan {

// ---- characters ---------------------------------------------------------------

// utf8::is_letter, utf8::is_space and utf8::to_lower for every code point
// below U+0800 (ASCII, Latin, Greek, Cyrillic: all but a few characters of
// the texts galley reads), looked up instead of called. The table is filled
// by the compiler from the utf8:: functions (constexpr for this), so it sits
// in read-only data and costs a run nothing to build.
struct char_table {
  static constexpr char32_t size = 0x800;
  std::array<bool, size> letter{};
  std::array<bool, size> space{};
  std::array<char16_t, size> lower{};  // below U+0800 too

  constexpr char_table() {
    for (char32_t c = 0; c < size; ++c) {
      letter[c] = utf8::is_letter(c);
      space[c] = utf8::is_space(c);
      lower[c] = static_cast<char16_t>(utf8::to_lower(c));
    }
  }
};

inline constexpr char_table char_data{};

inline const char_table& chars() { return char_data; }

inline bool is_letter(char32_t c) { return c < char_table::size ? chars().letter[c] : utf8::is_letter(c); }
inline char32_t to_lower(char32_t c) { return c < char_table::size ? chars().lower[c] : utf8::to_lower(c); }
inline bool is_space(char32_t c) { return c < char_table::size ? chars().space[c] : utf8::is_space(c); }

// utf8::next with the one- and two-byte cases inline. A two-byte sequence
// with a lead byte C2..DF and a continuation byte is always well-formed,
// so it decodes the same as utf8::next would; anything else goes there.
inline char32_t next(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF && i + 1 < s.size()) {
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if ((b1 & 0xC0) == 0x80) {
      i += 2;
      return static_cast<char32_t>((b0 & 0x1F) << 6 | (b1 & 0x3F));
    }
  }
  return utf8::next(s, i);
}

// utf8::first_char and utf8::last_char with next's inline cases.
inline char32_t first_char(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t i = 0;
  return next(s, i);
}

inline char32_t last_char(std::string_view s) {
  if (s.empty()) return 0;
  std::size_t k = s.size() - 1;
  while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  return next(s, k);
}

// utf8::is_lower, with ASCII answered inline.
inline bool is_lower(char32_t c) { return c < 0x80 ? (c >= 'a' && c <= 'z') : utf8::is_lower(c); }

// A set of bytes: one table look-up tells whether a byte is in it.
class byte_set {
 public:
  constexpr explicit byte_set(std::string_view bytes) {
    for (char c : bytes) bits_[static_cast<unsigned char>(c)] = true;
  }
  constexpr bool operator[](char c) const { return bits_[static_cast<unsigned char>(c)]; }

 private:
  std::array<bool, 256> bits_{};
};

#if defined(__SSE2__)
// The bytes of v that start a code point (are not 10xxxxxx), as 1 in each
// such byte and 0 elsewhere. As signed bytes, continuation bytes are
// -128..-65 and the others are greater.
inline __m128i code_point_starts(__m128i v) {
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-65)), _mm_set1_epi8(1));
}
// The sum of the sixteen bytes of v (each at most 1 here).
inline std::size_t byte_sum(__m128i v) {
  const __m128i halves = _mm_sad_epu8(v, _mm_setzero_si128());
  return static_cast<std::size_t>(_mm_cvtsi128_si32(halves) + _mm_extract_epi16(halves, 4));
}
#endif

// utf8::length: the number of bytes that are not continuation bytes,
// sixteen at a time with SSE2.
inline std::size_t length(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0, n = 0;
#if defined(__SSE2__)
  // Each block's count lands in two 64-bit lanes, added up as it goes; one
  // total at the end.
  __m128i sums = _mm_setzero_si128();
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    sums = _mm_add_epi64(sums, _mm_sad_epu8(code_point_starts(v), _mm_setzero_si128()));
  }
  std::uint64_t lanes[2];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), sums);
  n = static_cast<std::size_t>(lanes[0] + lanes[1]);
#endif
  // Eight bytes at once: a continuation byte has its top bit set and the
  // next one clear. (Most texts asked about are short: the tail matters.)
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    n += 8 - static_cast<std::size_t>(std::popcount(w & ~(w << 1) & 0x8080808080808080ULL));
  }
  for (; i < s.size(); ++i) n += (p[i] & 0xC0) != 0x80;
  return n;
}

// Words separated by spaces (the recognizer's texts are white-space
// collapsed): the bytes that are not a space and follow a space or the
// start. Counting stops once past `cap`, at the end of the sixteen bytes
// where it got there: the result is then more than `cap`, perhaps by more
// than one, which is all the callers ask (they compare it with a small
// number, and paragraphs are long).
inline std::size_t count_words(std::string_view s, std::size_t cap = static_cast<std::size_t>(-1)) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0, n = 0;
  bool in = false;  // the byte before i is part of a word
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const auto spaces = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' '))));
    // A word starts where a byte is not a space and the one before is.
    const unsigned before = (spaces << 1 | (in ? 0u : 1u)) & 0xFFFF;
    n += static_cast<std::size_t>(std::popcount(~spaces & before & 0xFFFF));
    in = !(spaces & 0x8000);
    if (n > cap) return n;
  }
#endif
  for (; i < s.size(); ++i) {
    const bool sp = p[i] == ' ';
    if (!sp && !in && ++n > cap) return n;
    in = !sp;
  }
  return n;
}

// utf8::prefix_bytes: the byte length of the first n code points (or
// s.size()), sixteen bytes at a time with SSE2.
inline std::size_t prefix_bytes(std::string_view s, std::size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
#if defined(__SSE2__)
  for (; i + 16 <= s.size(); i += 16) {
    const std::size_t count = byte_sum(code_point_starts(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))));
    if (count > n) break;  // the code point after the first n starts in these sixteen bytes
    n -= count;
  }
#endif
  for (; i < s.size(); ++i) {
    if ((p[i] & 0xC0) != 0x80) {
      if (n == 0) break;
      --n;
    }
  }
  return i;
}

// Whether some space in s is followed by one of `bytes` (at most five):
// the cheap first test for separators such as " | ". Sixteen positions at
// a time with SSE2.
inline bool space_then_any_of(std::string_view s, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t i = 0;
#if defined(__SSE2__)
  // Up to six wanted bytes sixteen at a time; more are looked for below.
  constexpr std::size_t most = 6;
  __m128i wanted[most];
  for (std::size_t k = 0; k < most; ++k)
    wanted[k] = _mm_set1_epi8(static_cast<char>(k < bytes.size() ? bytes[k] : bytes.empty() ? 0 : bytes[0]));
  const __m128i space = _mm_set1_epi8(' ');
  for (; !bytes.empty() && bytes.size() <= most && i + 17 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
    __m128i any = _mm_cmpeq_epi8(next, wanted[0]);
    for (std::size_t k = 1; k < most; ++k) any = _mm_or_si128(any, _mm_cmpeq_epi8(next, wanted[k]));
    if (_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(v, space), any)) != 0) return true;
  }
#endif
  for (; i + 1 < s.size(); ++i)
    if (p[i] == ' ' && bytes.find(static_cast<char>(p[i + 1])) != std::string_view::npos) return true;
  return false;
}

// utf8::trim, returning at once when both ends are printable ASCII that is
// not white space (the common case).
inline std::string_view trim(std::string_view s) {
  const auto plain = [](char c) { return c > ' ' && c < 0x7F; };
  if (!s.empty() && plain(s.front()) && plain(s.back())) return s;
  return utf8::trim(s);
}

// Hansard numbers a committee's questions before the speaker's label:
// "Q12 Ruth Cadbury: ...", "Q1 THE CHAIR: ...". The byte length of such a
// "Q12 " (a capital Q, one to four digits, a space, then a letter), or 0.
// The plain reader and the recognizer both read the label after it.
inline std::size_t question_number(std::string_view s) {
  if (s.size() < 4 || s[0] != 'Q') return 0;
  std::size_t i = 1;
  while (i < s.size() && i <= 4 && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 1 || i + 1 >= s.size() || s[i] != ' ' || !is_letter(first_char(s.substr(i + 1)))) return 0;
  return i + 1;
}

// Appends the UTF-8 encoding of c (as utf8::append) to a fixed buffer of
// `cap` bytes holding `len`; returns false, writing nothing, when it does
// not fit.
inline bool encode_into(char32_t c, char* buf, std::size_t& len, std::size_t cap) {
  unsigned char b[4];
  std::size_t n;
  if (c < 0x80) {
    b[0] = static_cast<unsigned char>(c);
    n = 1;
  } else if (c < 0x800) {
    b[0] = static_cast<unsigned char>(0xC0 | (c >> 6));
    b[1] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    n = 2;
  } else if (c < 0x10000) {
    b[0] = static_cast<unsigned char>(0xE0 | (c >> 12));
    b[1] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
    b[2] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    n = 3;
  } else {
    b[0] = static_cast<unsigned char>(0xF0 | (c >> 18));
    b[1] = static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3F));
    b[2] = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3F));
    b[3] = static_cast<unsigned char>(0x80 | (c & 0x3F));
    n = 4;
  }
  if (len + n > cap) return false;
  for (std::size_t k = 0; k < n; ++k) buf[len++] = static_cast<char>(b[k]);
  return true;
}

// Appends utf8::to_lower(s) to out. ASCII is folded sixteen or eight
// bytes at a time (A-Z, as utf8::to_lower does); other characters keep
// their bytes unless they change.
inline void lower_append(std::string_view s, std::string& out) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const char_table& table = chars();
  std::size_t o = out.size(), i = 0;
  out.resize(o + s.size());  // folding keeps every character's byte length today; grown below if not
  while (i < s.size()) {
#if defined(__SSE2__)
    // Sixteen bytes at once: the letters A-Z gain 0x20 (as signed bytes,
    // non-ASCII bytes are negative and stay as they are). Only the ASCII
    // bytes before the first other one count; the rest is written again
    // below.
    if (i + 16 <= s.size() && o + 16 <= out.size()) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out.data() + o), _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
      const auto high = static_cast<unsigned>(_mm_movemask_epi8(v));
      const std::size_t ascii = high == 0 ? 16 : static_cast<std::size_t>(std::countr_zero(high));
      i += ascii;
      o += ascii;
      if (ascii == 16 || i >= s.size()) continue;
    }
#endif
    // Eight ASCII bytes: each byte < 0x80, so adding to it never carries
    // into the next; 0x80 marks the bytes from 'A' on and those past 'Z'.
    if (i + 8 <= s.size() && o + 8 <= out.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & highs) == 0) {
        const std::uint64_t from_a = w + ones * (0x80 - 'A');
        const std::uint64_t past_z = w + ones * (0x80 - 'Z' - 1);
        w |= ((from_a & ~past_z) & highs) >> 2;  // 0x80 >> 2 = 0x20
        std::memcpy(out.data() + o, &w, 8);
        i += 8;
        o += 8;
        continue;
      }
    }
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (o >= out.size()) out.resize(o + 1 + (s.size() - i));
      out[o++] = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF && i + 1 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80) {
      // Two bytes (Latin, Greek, Cyrillic): folded by table, and written
      // back in place when the lower-case letter is two bytes too.
      // A run of them (a Cyrillic or Greek word) stays in this loop.
      bool folded = false;
      for (;;) {
        const auto b1 = static_cast<unsigned char>(s[i]);
        const char32_t c = static_cast<char32_t>((b1 & 0x1F) << 6 | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
        const char32_t l = table.lower[c];
        if (l < 0x80 || l >= 0x800 || o + 2 > out.size()) break;
        out[o++] = static_cast<char>(0xC0 | (l >> 6));
        out[o++] = static_cast<char>(0x80 | (l & 0x3F));
        i += 2;
        folded = true;
        if (i + 1 >= s.size()) break;
        const auto n = static_cast<unsigned char>(s[i]);
        if (n < 0xC2 || n > 0xDF || (static_cast<unsigned char>(s[i + 1]) & 0xC0) != 0x80) break;
      }
      if (folded) continue;
    }
    if (b == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x82 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80 && o + 3 <= out.size()) {
      // U+2000 to U+20BF (dashes, quotes, the ellipsis, currency signs):
      // caseless, copied without a look-up. (E2 80 is their smallest
      // well-formed second byte, and E2 with a byte below 0x80 is no pair.)
      if (static_cast<unsigned char>(s[i + 1]) >= 0x80) {
        std::memcpy(out.data() + o, s.data() + i, 3);
        o += 3;
        i += 3;
        continue;
      }
    }
    if (b >= 0xE0 && b <= 0xEF && i + 2 < s.size() && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xC0) == 0x80 && o + 3 <= out.size()) {
      // Three bytes (typographic quotes and dashes, most often): kept as
      // they are when well-formed (as utf8::next checks) and caseless.
      const char32_t c = static_cast<char32_t>((b & 0x0F) << 12 | (static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6 |
                                               (static_cast<unsigned char>(s[i + 2]) & 0x3F));
      if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF) && utf8::to_lower(c) == c) {
        std::memcpy(out.data() + o, s.data() + i, 3);
        o += 3;
        i += 3;
        continue;
      }
    }
    const std::size_t start = i;
    const char32_t c = next(s, i);
    const char32_t l = to_lower(c);
    char buf[4];
    std::size_t n = 0;
    if (l == c) {
      n = i - start;
      std::memcpy(buf, s.data() + start, n);
    } else {
      encode_into(l, buf, n, sizeof buf);
    }
    if (o + n > out.size()) out.resize(o + n + (s.size() - i));
    std::memcpy(out.data() + o, buf, n);
    o += n;
  }
  out.resize(o);
}

// out = utf8::to_lower(s), reusing out's buffer.
inline void lower_into(std::string_view s, std::string& out) {
  out.clear();
  lower_append(s, out);
}

inline std::string lower(std::string_view s) {
  std::string out;
  lower_into(s, out);
  return out;
}

// ---- word lists ---------------------------------------------------------------

// The entries of a list grouped by their first byte, each group in the
// list's order: a line is compared only with the entries that can match
// it, and "the first entry that matches" keeps its meaning. Entries are
// never empty.
class first_byte_index {
 public:
  template <class List, class Key>
  first_byte_index(const List& list, Key key) {
    std::array<std::uint16_t, 257> fill{};
    std::uint16_t n = 0;
    for (const auto& e : list) {
      ++fill[static_cast<unsigned char>(std::string_view(key(e))[0]) + 1];
      ++n;
    }
    for (std::size_t c = 0; c < 256; ++c) fill[c + 1] = static_cast<std::uint16_t>(fill[c + 1] + fill[c]);
    start_ = fill;
    order_.resize(n);
    std::uint16_t k = 0;
    for (const auto& e : list) order_[fill[static_cast<unsigned char>(std::string_view(key(e))[0])]++] = k++;
  }

  struct range {
    const std::uint16_t* b = nullptr;
    const std::uint16_t* e = nullptr;
    const std::uint16_t* begin() const { return b; }
    const std::uint16_t* end() const { return e; }
  };
  // Indices of the entries that can be a prefix of s (those with its first
  // byte), in list order; none for an empty s.
  range candidates(std::string_view s) const {
    if (s.empty()) return {};
    return starting_with(static_cast<unsigned char>(s[0]));
  }
  range starting_with(unsigned char c) const { return {order_.data() + start_[c], order_.data() + start_[c + 1]}; }

 private:
  std::array<std::uint16_t, 257> start_{};
  std::vector<std::uint16_t> order_;
};

// Words searched for anywhere in a line: an Aho-Corasick automaton, so a
// line costs one table step per byte whatever the number of words, and
// nothing is compared. Bytes that occur in no word share one column of the
// table, which keeps it small (a few hundred states by a few dozen
// columns).
//
// The automaton is built by the compiler: a finder declared
//
//   static constexpr std::string_view words[] = {...};
//   static constexpr scan::word_finder<scan::shape_of(words)> finder(words);
//
// is a constant in the program's read-only data. Nothing is computed or
// allocated when a run starts, and only the table rows a run steps through
// are ever paged in. shape_of gives the table sizes, which must be known
// before the tables can be declared.

// The sizes of a word_finder's tables.
struct finder_shape {
  std::size_t words = 0;
  std::size_t states = 0;   // the trie's nodes, the root included
  std::size_t columns = 0;  // the distinct bytes of the words, plus one for all other bytes
};

// The shape of the finder of `list`: its states are the distinct prefixes
// of its words (the empty one is the root).
template <class List>
constexpr finder_shape shape_of(const List& list) {
  finder_shape shape;
  std::array<bool, 256> used{};
  for (std::string_view w : list) {
    ++shape.words;
    for (char c : w) used[static_cast<unsigned char>(c)] = true;
  }
  for (bool u : used) shape.columns += u;
  ++shape.columns;
  shape.states = 1;
  std::size_t k = 0;
  for (std::string_view w : list) {
    // Each prefix of w counts once: unless an earlier word starts with it.
    for (std::size_t n = 1; n <= w.size(); ++n) {
      bool seen = false;
      std::size_t j = 0;
      for (std::string_view earlier : list) {
        if (j++ == k) break;
        if (earlier.substr(0, n) == w.substr(0, n) && earlier.size() >= n) {
          seen = true;
          break;
        }
      }
      if (!seen) ++shape.states;
    }
    ++k;
  }
  return shape;
}

// Lists as one array, in their order: for a finder that looks for the
// words of all of them at once (each list's words then have their own
// range of indexes).
template <std::size_t... N>
constexpr std::array<std::string_view, (N + ...)> join(const std::string_view (&... lists)[N]) {
  std::array<std::string_view, (N + ...)> all{};
  std::size_t at = 0;
  ((std::copy(std::begin(lists), std::end(lists), all.begin() + static_cast<std::ptrdiff_t>(at)), at += N), ...);
  return all;
}

template <finder_shape Shape>
class word_finder {
  static_assert(Shape.words <= 128, "word_finder: a bit per word, at most 128 words");
  static_assert(Shape.columns <= 256 && Shape.states * Shape.columns <= 65536, "word_finder: too many words");
  static constexpr std::size_t states = Shape.states, columns = Shape.columns;

 public:
  template <class List>
  constexpr explicit word_finder(const List& list) {
    std::size_t count = 0;
    for (std::string_view w : list) {
      if (w.empty() || w.size() > 255) throw std::length_error("word_finder: empty or long word");
      length_[count++] = static_cast<std::uint8_t>(w.size());
    }
    // Columns: one per byte that occurs in some word, 0 for the others,
    // numbered by the byte's value.
    std::size_t used = 0;
    for (std::string_view w : list)
      for (char c : w) column_[static_cast<unsigned char>(c)] = 1;
    for (std::size_t b = 0; b < 256; ++b)
      if (column_[b] != 0) column_[b] = static_cast<std::uint8_t>(++used);
    if (count != Shape.words || used + 1 != columns) throw std::logic_error("word_finder: not the list's shape");
    // The trie of the words; state 0 is the root, 0 in `child` is no child.
    std::array<std::uint16_t, states * columns> child{};
    std::array<masks, states> own{};
    std::size_t made = 1;
    std::size_t k = 0;
    for (std::string_view w : list) {
      std::size_t state = 0;
      for (char c : w) {
        std::uint16_t& next = child[state * columns + column_[static_cast<unsigned char>(c)]];
        if (next == 0) {
          if (made == states) throw std::logic_error("word_finder: not the list's shape");
          next = static_cast<std::uint16_t>(made++);
        }
        state = next;
      }
      own[state][k / 64] |= std::uint64_t{1} << (k % 64);
      ++k;
    }
    if (made != states) throw std::logic_error("word_finder: not the list's shape");
    // Breadth first: each state's failure state (its longest proper suffix
    // that is a state) is known before the state's children are reached,
    // so every transition and every output set is complete when used.
    // `step` is the finished automaton, with states numbered as in the trie.
    std::array<std::uint16_t, states * columns> step{};
    std::array<masks, states> found = own;
    std::array<std::uint16_t, states> fail{}, queue{};
    std::size_t queued = 0;
    for (std::size_t c = 0; c < columns; ++c)
      if (child[c] != 0) {
        step[c] = child[c];
        queue[queued++] = child[c];
      }
    for (std::size_t at = 0; at < queued; ++at) {
      const std::size_t state = queue[at];
      for (std::size_t h = 0; h < 2; ++h) found[state][h] |= found[fail[state]][h];
      for (std::size_t c = 0; c < columns; ++c) {
        const std::uint16_t to = child[state * columns + c];
        if (to != 0) {
          fail[to] = step[fail[state] * columns + c];
          step[state * columns + c] = to;
          queue[queued++] = to;
        } else {
          step[state * columns + c] = step[fail[state] * columns + c];
        }
      }
    }
    // Renumber the states so that those where words end come last: then a
    // state's number alone says whether to look at its words. Entries of
    // next_ hold the next state's row (state * columns), so a step is one
    // addition and one load.
    std::array<std::uint16_t, states> number{};
    std::size_t n = 0;
    for (int with_words = 0; with_words < 2; ++with_words)
      for (std::size_t st = 0; st < states; ++st)
        if (((found[st][0] | found[st][1]) != 0) == (with_words == 1)) number[st] = static_cast<std::uint16_t>(n++);
    // (The root has no words and comes first: it stays 0.)
    first_with_words_ = states * columns;
    for (std::size_t st = 0; st < states; ++st) {
      for (std::size_t c = 0; c < columns; ++c)
        next_[number[st] * columns + c] = static_cast<std::uint16_t>(number[step[st * columns + c]] * columns);
      found_[number[st]] = found[st];
      if ((found[st][0] | found[st][1]) != 0) first_with_words_ = std::min(first_with_words_, number[st] * columns);
    }
  }

  // Calls found(k, i) for every occurrence of word k at s[i], by where the
  // occurrences end (and by k where several end together), until found
  // returns true. Returns whether it did.
  template <class F>
  bool scan(std::string_view s, F&& found) const {
    std::size_t row = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      row = next_[row + column_[static_cast<unsigned char>(s[i])]];
      if (row < first_with_words_) continue;
      const masks& m = found_[row / columns];
      for (std::size_t h = 0; h < 2; ++h)
        for (std::uint64_t bits = m[h]; bits != 0; bits &= bits - 1) {
          const std::size_t k = h * 64 + static_cast<std::size_t>(std::countr_zero(bits));
          if (found(k, i + 1 - length_[k])) return true;
        }
    }
    return false;
  }

  bool found_in(std::string_view s) const {
    return scan(s, [](std::size_t, std::size_t) { return true; });
  }

 private:
  using masks = std::array<std::uint64_t, 2>;  // a bit per word: up to 128 words

  std::array<std::uint8_t, 256> column_{};
  std::array<std::uint16_t, states * columns> next_{};  // row (state * columns) + column -> the next state's row
  std::array<masks, states> found_{};                   // the words that end at each state
  std::array<std::uint8_t, Shape.words> length_{};      // each word's length in bytes
  std::size_t first_with_words_ = 0;                    // the row of the first state where words end
};

// A fixed set of words, sorted by the compiler: a look-up is a binary
// search, and nothing is built, allocated or freed when a run starts or
// ends. Declared
//
//   static constexpr std::string_view list[] = {...};
//   static constexpr scan::sorted_words words(list);
//
// Words compare as std::string does, byte by byte. Most words looked up
// share first byte and length with no entry, and are turned away by one
// look-up before the search.
template <std::size_t N>
class sorted_words {
 public:
  constexpr explicit sorted_words(const std::string_view (&words)[N]) {
    for (std::size_t k = 0; k < N; ++k) {
      words_[k] = words[k];
      if (words[k].empty()) has_empty_ = true;
      else lengths_[static_cast<unsigned char>(words[k][0])] |= length_bit(words[k].size());
    }
    std::sort(words_.begin(), words_.end());
  }
  bool contains(std::string_view w) const {
    if (w.empty()) return has_empty_;
    if (!(lengths_[static_cast<unsigned char>(w[0])] & length_bit(w.size()))) return false;
    return std::binary_search(words_.begin(), words_.end(), w);
  }

 private:
  static constexpr std::uint64_t length_bit(std::size_t n) { return std::uint64_t{1} << (n < 63 ? n : 63); }
  std::array<std::string_view, N> words_{};
  std::array<std::uint64_t, 256> lengths_{};  // by first byte: a bit per length of the entries
  bool has_empty_ = false;
};

// Whole words (exact matches) of a list. Most words of a line share
// neither first byte and length with any entry, and are turned away by
// one look-up before anything is compared.
class word_set {
 public:
  template <class List>
  explicit word_set(const List& words) : index_(words, [](std::string_view w) { return w; }) {
    for (std::string_view w : words) {
      words_.push_back(w);
      lengths_[static_cast<unsigned char>(w[0])] |= length_bit(w.size());
    }
  }
  bool contains(std::string_view w) const {
    if (w.empty() || !(lengths_[static_cast<unsigned char>(w[0])] & length_bit(w.size()))) return false;
    for (std::uint16_t k : index_.candidates(w))
      if (words_[k] == w) return true;
    return false;
  }

 private:
  // One bit per length, the last shared by all lengths from 31 on.
  static std::uint32_t length_bit(std::size_t n) { return std::uint32_t{1} << (n < 31 ? n : 31); }

  first_byte_index index_;
  std::vector<std::string_view> words_;
  std::array<std::uint32_t, 256> lengths_{};
};

// A number in superscript digits: 12 -> "¹²" (a footnote's mark; a
// negative number's sign is dropped).
inline std::string superscript(int n) {
  static constexpr std::string_view digits[] = {"\u2070", "\u00B9", "\u00B2", "\u00B3", "\u2074",
                                                "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
  std::string out;
  for (char c : std::to_string(n))
    if (c >= '0' && c <= '9') out += digits[c - '0'];
  return out;
}

}  // namespace galley::parse::scan
