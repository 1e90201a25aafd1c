#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "base/utf8.hpp"

using namespace galley;

TEST(Diagnostics, FormatsFileLineColSeverityAndCode) {
  diagnostics d("a.txt");
  d.warning({3, 7}, "invalid-utf8", "invalid UTF-8 replaced by U+FFFD").notes.push_back("byte 0xff");
  EXPECT_EQ(d.to_text(), "a.txt:3:7: warning: invalid UTF-8 replaced by U+FFFD [invalid-utf8]\n  note: byte 0xff\n");
  EXPECT_EQ(d.count(severity::warning), 1u);
  EXPECT_FALSE(d.has_errors());
  EXPECT_TRUE(d.has_code("invalid-utf8"));
}

TEST(Diagnostics, FiltersBySeverity) {
  diagnostics d("x");
  d.info({1, 1}, "noise", "dropped");
  d.error({2, 1}, "bad", "broken");
  EXPECT_EQ(d.to_text(severity::warning), "x:2:1: error: broken [bad]\n");
}

TEST(Diagnostics, FailThrowsWithExitCode) {
  try {
    fail(exit_code::io, "out.epub", "io-error", "cannot write");
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::io);
    EXPECT_STREQ(e.what(), "out.epub: error: cannot write [io-error]");
  }
}

TEST(Utf8, DecodesAndRejectsMalformed) {
  std::string s = "a\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80\xFF\xC0\xAF";
  std::size_t i = 0;
  EXPECT_EQ(utf8::next(s, i), U'a');
  EXPECT_EQ(utf8::next(s, i), U'é');
  EXPECT_EQ(utf8::next(s, i), U'—');
  EXPECT_EQ(utf8::next(s, i), U'\U0001F600');
  EXPECT_EQ(utf8::next(s, i), utf8::replacement);  // 0xFF
  EXPECT_EQ(utf8::next(s, i), utf8::replacement);  // overlong C0 AF
  EXPECT_EQ(utf8::next(s, i), utf8::replacement);
  EXPECT_EQ(i, s.size());
}

TEST(Utf8, RoundTripsEncode) {
  for (char32_t c : {U'A', U'ñ', U'Ж', U'€', U'\U0001F600'}) {
    std::string e = utf8::encode(c);
    std::size_t i = 0;
    EXPECT_EQ(utf8::next(e, i), c);
  }
}

TEST(Utf8, CaseTrimAndCollapse) {
  EXPECT_EQ(utf8::to_lower("PREGUNTA Ñ ЖУК"), "pregunta ñ жук");
  // Latin Extended-A, where the pairs shift by one in two runs: Polish,
  // Czech and Turkish letters keep their own case.
  EXPECT_EQ(utf8::to_lower("ROZMAWIAŁA ŁÓDŹ ŻUBR ŃŚĆ ŽŇĽ ĞŞ İ Ÿ"), "rozmawiała łódź żubr ńść žňľ ğş i ÿ");
  EXPECT_EQ(utf8::to_lower("rozmawiała łódź ĸ ŉ ı ſ"), "rozmawiała łódź ĸ ŉ ı ſ");
  for (char32_t c = 0x100; c <= 0x17F; ++c) {
    EXPECT_NE(utf8::is_upper(c), utf8::is_lower(c)) << static_cast<unsigned>(c);
    if (utf8::is_upper(c)) {
      EXPECT_TRUE(utf8::is_lower(utf8::to_lower(c))) << static_cast<unsigned>(c);
      if (c != 0x130) EXPECT_EQ(utf8::to_upper(utf8::to_lower(c)), c) << static_cast<unsigned>(c);  // İ, i, I
    }
  }
  EXPECT_EQ(utf8::to_upper(U'ł'), U'Ł');
  EXPECT_EQ(utf8::to_upper(U'ż'), U'Ż');
  EXPECT_EQ(utf8::to_upper(U'ÿ'), U'Ÿ');
  EXPECT_EQ(utf8::trim("\u00a0 hi \t"), "hi");
  EXPECT_EQ(utf8::collapse_space("  a \t b\u2009c  "), "a b c");
  EXPECT_TRUE(utf8::starts_with_ci("RESPUESTA: sí", "respuesta"));
  EXPECT_EQ(utf8::length("añ€"), 3u);
}

TEST(AtomicFile, RenamesOnlyOnCommit) {
  auto dir = std::filesystem::temp_directory_path() / "galley-atomic-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto target = dir / "book.epub";
  {
    atomic_file f(target);
    f.write("partial");
    EXPECT_TRUE(std::filesystem::exists(f.temp_path()));
  }  // no commit: nothing left behind
  EXPECT_FALSE(std::filesystem::exists(target));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 0);
  write_file_atomically(target, "whole");
  EXPECT_EQ(read_file(target), "whole");
  std::filesystem::remove_all(dir);
}

TEST(AtomicFile, UnwritableDirectoryIsAnIoError) {
  try {
    write_file_atomically("/nonexistent-dir/x.epub", "x");
    FAIL();
  } catch (const error& e) {
    EXPECT_EQ(e.code(), exit_code::io);
  }
}
