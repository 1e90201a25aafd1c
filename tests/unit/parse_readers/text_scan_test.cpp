// The parser's fast text helpers (parse/text_scan.hpp, parse/whitespace.hpp)
// against the slow and obvious versions they stand in for, on random text
// that mixes ASCII, two-, three- and four-byte characters, white space and
// broken UTF-8, at lengths on both sides of the 8- and 16-byte blocks.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/utf8.hpp"
#include "parse/text_scan.hpp"
#include "parse/whitespace.hpp"

using namespace galley;
using namespace galley::parse;

namespace {

class random_text {
 public:
  explicit random_text(std::uint32_t seed) : seed_(seed) {}

  std::uint32_t next() {
    seed_ = seed_ * 1103515245u + 12345u;
    return (seed_ >> 16) & 0x7FFF;
  }

  // Up to `max` pieces from a mixed alphabet.
  std::string line(std::size_t max) {
    static const std::vector<std::string> alphabet = {
        "a", "Z", "q", "M", " ", " ", "'", ".", ":", "|", "1", "\t", "\n", "\x01",
        "\xC3\x89",                  // É
        "\xC3\xA9",                  // é
        "\xD0\x9F",                  // П
        "\xD0\xBF",                  // п
        "\xC2\xA0",                  // no-break space
        "\xC2\xB7",                  // middle dot
        "\xE2\x80\x99",              // ’
        "\xE2\x80\x9C",              // “
        "\xE2\x80\x89",              // thin space
        "\xE3\x80\x80",              // ideographic space
        "\xE2\x82\xAC",              // €
        "\xF0\x9F\x98\x80",          // an emoji
        "\x80", "\xC3", "\xE2\x80",  // broken sequences
        "\xED\xA0\x80",              // an encoded surrogate
    };
    std::string out;
    const std::size_t n = next() % (max + 1);
    for (std::size_t k = 0; k < n; ++k) out += alphabet[next() % alphabet.size()];
    return out;
  }

 private:
  std::uint32_t seed_;
};

}  // namespace

TEST(TextScan, CharactersMatchTheUtf8Functions) {
  for (char32_t c = 0; c < 0x3000; ++c) {
    const auto code = static_cast<std::uint32_t>(c);
    EXPECT_EQ(scan::is_letter(c), utf8::is_letter(c)) << code;
    EXPECT_EQ(static_cast<std::uint32_t>(scan::to_lower(c)), static_cast<std::uint32_t>(utf8::to_lower(c))) << code;
    EXPECT_EQ(scan::is_space(c), utf8::is_space(c)) << code;
  }
  random_text r(1);
  for (int round = 0; round < 2000; ++round) {
    const std::string s = r.line(40);
    for (std::size_t i = 0; i < s.size(); ++i) {
      std::size_t a = i, b = i;
      ASSERT_EQ(static_cast<std::uint32_t>(scan::next(s, a)), static_cast<std::uint32_t>(utf8::next(s, b)))
          << ::testing::PrintToString(s) << " at " << i;
      ASSERT_EQ(a, b);
    }
  }
}

TEST(TextScan, LowerCaseMatchesUtf8ToLower) {
  random_text r(2);
  std::string reused = "left over";
  for (int round = 0; round < 5000; ++round) {
    const std::string s = r.line(60);
    EXPECT_EQ(scan::lower(s), utf8::to_lower(s)) << ::testing::PrintToString(s);
    scan::lower_into(s, reused);
    EXPECT_EQ(reused, utf8::to_lower(s));
    std::string appended = "Prefix ";
    scan::lower_append(s, appended);
    EXPECT_EQ(appended, "Prefix " + utf8::to_lower(s));
  }
}

TEST(TextScan, LengthsAndPrefixesMatchUtf8) {
  random_text r(3);
  for (int round = 0; round < 3000; ++round) {
    const std::string s = r.line(60);
    EXPECT_EQ(scan::length(s), utf8::length(s)) << ::testing::PrintToString(s);
    for (std::size_t n = 0; n <= s.size() + 2; ++n)
      ASSERT_EQ(scan::prefix_bytes(s, n), utf8::prefix_bytes(s, n)) << ::testing::PrintToString(s) << " n=" << n;
    EXPECT_EQ(scan::trim(s), utf8::trim(s)) << ::testing::PrintToString(s);
  }
}

TEST(TextScan, CountWordsMatchesAByteLoop) {
  // The reference: a word starts at a byte that is not a space after one
  // that is (or the start).
  const auto words = [](std::string_view s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) n += s[i] != ' ' && (i == 0 || s[i - 1] == ' ');
    return n;
  };
  random_text r(5);
  for (int round = 0; round < 3000; ++round) {
    // Runs of spaces, and words across the sixteen-byte blocks.
    std::string s = r.line(90);
    if (round % 3 == 0)
      for (std::size_t k = round % 7; k < s.size(); k += 5) s[k] = ' ';
    const std::size_t all = words(s);
    ASSERT_EQ(scan::count_words(s), all) << ::testing::PrintToString(s);
    for (std::size_t cap = 0; cap <= all + 1; ++cap) {
      const std::size_t n = scan::count_words(s, cap);
      // At most `cap`: exact; past it: some number past it.
      if (all <= cap) ASSERT_EQ(n, all) << ::testing::PrintToString(s) << " cap=" << cap;
      else ASSERT_GT(n, cap) << ::testing::PrintToString(s) << " cap=" << cap;
    }
  }
  EXPECT_EQ(scan::count_words(""), 0u);
  EXPECT_EQ(scan::count_words("                    one"), 1u);
  EXPECT_EQ(scan::count_words("one two three four five six seven eight nine ten", 3), 4u);
  EXPECT_EQ(scan::count_words("abcdefghijklmnop qrstuvwxyzabcdef g"), 3u);
}

TEST(TextScan, SortedWordsAndWordSetMatchALinearSearch) {
  // Entries that share first bytes and lengths, differ in one byte, and
  // are long; and words looked up that are prefixes, extensions and
  // near misses of them.
  static constexpr std::string_view list[] = {"de", "del", "la", "da", "das", "dos", "a", "ab", "é", "éa",
                                              "ελληνικά", "a very long entry of more than sixty-four bytes in all, to be sure"};
  static constexpr scan::sorted_words sorted(list);
  const scan::word_set set(list);
  const auto linear = [](std::string_view w) { return std::find(std::begin(list), std::end(list), w) != std::end(list); };
  std::vector<std::string> probes = {"", "d", "de", "dE", "del", "dela", "la", "l", "das", "dax", "a", "ab", "abc",
                                     "é", "éa", "ε", "ελληνικά", "ελληνικ",
                                     "a very long entry of more than sixty-four bytes in all, to be sure",
                                     "a very long entry of more than sixty-four bytes in all, to be surE"};
  random_text r(11);
  for (int k = 0; k < 2000; ++k) probes.push_back(r.line(4));
  for (const std::string& w : probes) {
    EXPECT_EQ(sorted.contains(w), linear(w)) << ::testing::PrintToString(w);
    EXPECT_EQ(set.contains(w), linear(w)) << ::testing::PrintToString(w);
  }
}

TEST(TextScan, WordFinderFindsWhatPlainSearchesFind) {
  // Words that overlap, contain each other and share prefixes and
  // suffixes, of one to many bytes.
  static constexpr std::string_view words[] = {"sub", "subscri", "scri", "ri", "$", "€", "1 €", "€1", "a",
                                               "aaa", "аб", "б", "’s", "x", "xx", "\xC2\xB7"};
  static constexpr scan::word_finder<scan::shape_of(words)> finder(words);
  random_text r(4);
  const std::vector<std::string> pieces = {"sub", "scri", "subscribe", "a", "aa", "$", "€", "1", " ", "аб",
                                           "б", "’", "s", "x", "\xC2\xB7", "\xC2", "q"};
  for (int round = 0; round < 5000; ++round) {
    std::string s;
    const std::size_t n = r.next() % 14;
    for (std::size_t k = 0; k < n; ++k) s += pieces[r.next() % pieces.size()];
    std::set<std::pair<std::size_t, std::size_t>> expected, found;
    for (std::size_t k = 0; k < std::size(words); ++k)
      for (std::size_t at = s.find(words[k]); at != std::string::npos; at = s.find(words[k], at + 1))
        expected.insert({k, at});
    finder.scan(s, [&](std::size_t k, std::size_t at) {
      EXPECT_TRUE(found.insert({k, at}).second) << "reported twice";
      return false;
    });
    EXPECT_EQ(found, expected) << ::testing::PrintToString(s);
    EXPECT_EQ(finder.found_in(s), !expected.empty());
  }
}

TEST(TextScan, WordFinderStopsWhenAsked) {
  static constexpr std::string_view words[] = {"ab", "b"};
  static constexpr scan::word_finder<scan::shape_of(words)> finder(words);
  int calls = 0;
  EXPECT_TRUE(finder.scan("xxabxxab", [&](std::size_t, std::size_t) { return ++calls == 2; }));
  EXPECT_EQ(calls, 2);
  EXPECT_FALSE(finder.found_in("xxaxx"));
  EXPECT_FALSE(finder.found_in(""));
}

TEST(TextScan, FirstByteIndexKeepsListOrder) {
  const std::vector<std::string_view> list = {"tag", "b", "tags", "t", "bb", "\xD1\x82"};
  const scan::first_byte_index index(list, [](std::string_view w) { return w; });
  std::vector<std::size_t> t;
  for (auto k : index.candidates("table")) t.push_back(k);
  EXPECT_EQ(t, (std::vector<std::size_t>{0, 2, 3}));
  EXPECT_TRUE(index.candidates("").begin() == index.candidates("").end());
  std::size_t count = 0;
  for (auto k : index.candidates("\xD1\x82\xD0\xB5")) count += k == 5;
  EXPECT_EQ(count, 1u);
}

TEST(TextScan, SpaceThenByteMatchesAPlainSearch) {
  random_text r(5);
  // Five, six (the most the sixteen-byte path takes) and seven bytes: the
  // breadcrumb's set once lost its last byte when it grew to six.
  for (std::string_view bytes : {std::string_view("|>/\xC2\xE2"), std::string_view("|>/-\xC2\xE2"),
                                 std::string_view("|>/-\xC2\xE2" "a")}) {
    for (int round = 0; round < 3000; ++round) {
      const std::string s = r.line(50);
      bool expected = false;
      for (std::size_t i = 0; i + 1 < s.size(); ++i)
        expected = expected || (s[i] == ' ' && bytes.find(s[i + 1]) != std::string_view::npos);
      EXPECT_EQ(scan::space_then_any_of(s, bytes), expected) << ::testing::PrintToString(s);
    }
    // The last byte of the set, after a space past the first sixteen bytes.
    const std::string tail = std::string(20, 'x') + " " + std::string(1, bytes.back()) + std::string(20, 'y');
    EXPECT_TRUE(scan::space_then_any_of(tail, bytes)) << ::testing::PrintToString(bytes);
  }
}

TEST(TextScan, IsCollapsedMatchesAReference) {
  // No white space but lone ASCII spaces, and no control characters.
  const auto reference = [](std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
      std::size_t j = i;
      const char32_t c = utf8::next(s, j);
      if (c < 0x20 || (c != ' ' && utf8::is_space(c))) return false;
      if (c == ' ' && j < s.size()) {
        std::size_t k = j;
        if (utf8::is_space(utf8::next(s, k))) return false;
      }
      i = j;
    }
    return true;
  };
  random_text r(6);
  for (int round = 0; round < 5000; ++round) {
    const std::string s = r.line(50);
    EXPECT_EQ(is_collapsed(s), reference(s)) << ::testing::PrintToString(s);
    if (is_collapsed(s)) {
      EXPECT_EQ(collapse(s, false), s);
    }
  }
}
