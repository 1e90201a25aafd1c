// Pathological sizes through decode_text and read_plain: they must finish
// (linear time). No timing asserts; CTest's timeout (tests/CMakeLists.txt)
// catches a regression.
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"

using namespace galley;
using namespace galley::parse;

TEST(LargeInput, TenMegabyteSingleLine) {
  std::string bytes;
  bytes.reserve(10'500'000);
  while (bytes.size() < 10'000'000) bytes += "Lorem ipsum dolor sit amet, caf\xC3\xA9 na\xC3\xAFve \xE2\x80\x94 ";
  diagnostics d;
  const std::string text = decode_text(bytes, d);
  EXPECT_EQ(text, bytes);
  const auto blocks = read_plain(text, 1, d);
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].text.size(), bytes.size() - 1);  // the trailing space is trimmed
  EXPECT_TRUE(d.list().empty());
}

TEST(LargeInput, MillionShortLines) {
  std::string bytes;
  bytes.reserve(20'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    bytes += "Line ";
    bytes += std::to_string(i);
    bytes += i % 3 == 0 ? ".\r\n" : ".\n";
  }
  diagnostics d;
  const std::string text = decode_text(bytes, d);
  const auto blocks = read_plain(text, 1, d);
  ASSERT_EQ(blocks.size(), 1'000'000u);
  EXPECT_EQ(blocks.back().text, "Line 999999.");
  EXPECT_EQ(blocks.back().pos, (source_pos{1'000'000, 1}));
  EXPECT_TRUE(blocks.back().same_group);
}

TEST(LargeInput, MillionParagraphsWithBlankLines) {
  std::string bytes;
  for (int i = 0; i < 1'000'000; ++i) bytes += "A short paragraph.\n\n";
  diagnostics d;
  const auto blocks = read_plain(decode_text(bytes, d), 1, d);
  ASSERT_EQ(blocks.size(), 1'000'000u);
  EXPECT_EQ(blocks.back().pos.line, 1'999'999u);
}

TEST(LargeInput, HugeWordAndHardWrappedBook) {
  std::string bytes(100'000, 'x');
  bytes += "\n";
  std::size_t joined = 0;  // the expected length of the joined paragraph
  // A hard-wrapped text of 200,000 lines joins into few blocks without
  // quadratic string building.
  for (int i = 0; i < 200'000; ++i) {
    const std::string n = std::to_string(1'000'000 + i);
    const std::string line = "and this is line " + n + " of a hard wrapped text, and it goes on";
    bytes += line + "\n";
    joined += line.size() + 1;
  }
  diagnostics d;
  const auto blocks = read_plain(decode_text(bytes, d), 1, d);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].text.size(), 100'000u);
  EXPECT_EQ(blocks[1].text.size(), joined - 1);
}

TEST(LargeInput, MarkdownMillionLines) {
  std::string bytes;
  for (int i = 0; i < 300'000; ++i) bytes += "**Q:** a question?\n\nAn *answer* here.\n\n";
  diagnostics d;
  const auto blocks = read_markdown(decode_text(bytes, d), 1, d);
  ASSERT_EQ(blocks.size(), 600'000u);
  EXPECT_EQ(blocks.back().pos.line, 1'199'999u);
}
