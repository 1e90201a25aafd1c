// Stage 1: decode_text (encodings, repairs, binary detection, NFC).
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"

using namespace galley;
using namespace galley::parse;
using namespace std::string_literals;

namespace {

// The diagnostics with a given code.
std::vector<diagnostic> with_code(const diagnostics& d, std::string_view code) {
  std::vector<diagnostic> out;
  for (const auto& x : d.list())
    if (x.code == code) out.push_back(x);
  return out;
}

}  // namespace

TEST(Decode, EmptyInputIsEmptyText) {
  diagnostics d;
  EXPECT_EQ(decode_text("", d), "");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, AsciiAndValidUtf8PassUnchanged) {
  diagnostics d;
  EXPECT_EQ(decode_text("hello\n\tworld\n", d), "hello\n\tworld\n");
  EXPECT_EQ(decode_text("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80\n", d),
            "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80\n");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, Utf8BomIsRemoved) {
  diagnostics d;
  EXPECT_EQ(decode_text("\xEF\xBB\xBFhello", d), "hello");
  EXPECT_EQ(decode_text("\xEF\xBB\xBF", d), "");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, BomAndCrlf) {
  diagnostics d;
  EXPECT_EQ(decode_text("\xEF\xBB\xBFone\r\ntwo\r\n\r\nthree", d), "one\ntwo\n\nthree");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, LoneCrBecomesLfAndKeepsLineNumbers) {
  diagnostics d;
  EXPECT_EQ(decode_text("a\rb\r\rc\r", d), "a\nb\n\nc\n");
  // An invalid byte on the third line of a CR-only file is reported there.
  diagnostics d2;
  EXPECT_EQ(decode_text("\xC3\xA9\r\xC3\xA9\r\xC3\xA9\xFFx", d2), "\xC3\xA9\n\xC3\xA9\n\xC3\xA9\xEF\xBF\xBDx");
  const auto bad = with_code(d2, "invalid-utf8");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].pos, (source_pos{3, 2}));
}

TEST(Decode, MixedLineEndings) {
  diagnostics d;
  EXPECT_EQ(decode_text("a\r\nb\rc\nd\r\n", d), "a\nb\nc\nd\n");
}

TEST(Decode, Utf16LittleEndianWithBom) {
  diagnostics d;
  // "hé\r\n😀" in UTF-16LE with a BOM.
  const std::string bytes = "\xFF\xFE" "h\0\xE9\0\r\0\n\0\x3D\xD8\x00\xDE"s;
  EXPECT_EQ(decode_text(bytes, d), "h\xC3\xA9\n\xF0\x9F\x98\x80");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, Utf16BigEndianWithBom) {
  diagnostics d;
  const std::string bytes = "\xFE\xFF" "\0h\0\xE9\0\n\x04\x1F"s;  // "hé\nП"
  EXPECT_EQ(decode_text(bytes, d), "h\xC3\xA9\n\xD0\x9F");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, Utf16WithoutBomIsRecognisedWithAWarning) {
  diagnostics d;
  std::string bytes;
  for (char c : "Question: where were you?\nAnswer: at home.\n"s) {
    bytes += c;
    bytes += '\0';
  }
  EXPECT_EQ(decode_text(bytes, d), "Question: where were you?\nAnswer: at home.\n");
  const auto w = with_code(d, "legacy-encoding");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].message.find("UTF-16LE"), std::string::npos);
}

TEST(Decode, NfcNormalisation) {
  diagnostics d;
  EXPECT_EQ(decode_text("cafe\xCC\x81", d), "caf\xC3\xA9");           // e + U+0301
  EXPECT_EQ(decode_text("\xEF\xBB\xBFn\xCC\x83o", d), "\xC3\xB1o");  // after a BOM too
  EXPECT_EQ(decode_text("\xC3\xA9t\xC3\xA9", d), "\xC3\xA9t\xC3\xA9");
  EXPECT_TRUE(d.list().empty());
}

TEST(Decode, NfcAfterRepairsAndLongAsciiRuns) {
  // The scan that finds repairs also decides whether NFC has anything to
  // do: a combining mark after a long ASCII run, after a CRLF, next to a
  // control character or to invalid UTF-8 must still be composed.
  const std::string run(40, 'x');
  diagnostics d;
  EXPECT_EQ(decode_text(run + "cafe\xCC\x81", d), run + "caf\xC3\xA9");
  EXPECT_EQ(decode_text(run + "\r\ncafe\xCC\x81\r\n", d), run + "\ncaf\xC3\xA9\n");
  EXPECT_TRUE(d.list().empty());
  diagnostics d2;
  EXPECT_EQ(decode_text(run + "e\x01\xCC\x81", d2), run + "\xC3\xA9");
  EXPECT_EQ(decode_text(run + "\xFF e\xCC\x81", d2), run + "\xEF\xBF\xBD \xC3\xA9");
  // Inert text is left as it is, at any length.
  diagnostics d3;
  const std::string inert = run + "\xC3\xA9t\xC3\xA9 \xD0\x96 \xE2\x80\x9Cq\xE2\x80\x9D " + run;
  EXPECT_EQ(decode_text(inert, d3), inert);
  EXPECT_TRUE(d3.list().empty());
}

TEST(Decode, ControlCharactersRemovedWithOneWarning) {
  diagnostics d;
  const std::string in = "one\0two\nth\x01ree\x7F\n\xC2\x85x\ttab\f"s;
  EXPECT_EQ(decode_text(in, d), "onetwo\nthree\nx\ttab");
  ASSERT_EQ(d.list().size(), 1u);
  const auto& w = d.list()[0];
  EXPECT_EQ(w.severity, severity::warning);
  EXPECT_EQ(w.code, "control-characters");
  EXPECT_EQ(w.pos, (source_pos{1, 4}));
  EXPECT_EQ(w.message, "5 control characters removed (first here)");
}

TEST(Decode, SingleNulIsNotBinary) {
  diagnostics d;
  EXPECT_EQ(decode_text("abc\0def"s, d), "abcdef");
  EXPECT_TRUE(d.has_code("control-characters"));
  EXPECT_EQ(d.list()[0].message, "1 control character removed (first here)");
}

namespace {

void expect_binary(const std::string& bytes, std::string_view what = {}) {
  diagnostics d("in.txt");
  try {
    decode_text(bytes, d);
    ADD_FAILURE() << "no error";
  } catch (const galley::error& e) {
    EXPECT_EQ(e.code(), exit_code::input_failed);
    EXPECT_EQ(e.diag().code, "binary-input");
    EXPECT_EQ(e.diag().file, "in.txt");
    EXPECT_TRUE(e.diag().message.starts_with("input looks binary, not text")) << e.diag().message;
    if (!what.empty()) {
      EXPECT_NE(e.diag().message.find(what), std::string::npos) << e.diag().message;
    }
  }
}

}  // namespace

TEST(Decode, BinaryMagicNumbers) {
  expect_binary("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s, "PNG");
  expect_binary("PK\x03\x04\x14\0\0\0"s, "ZIP");
  expect_binary("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", "PDF");
  expect_binary("\x7F" "ELF\x02\x01\x01"s, "ELF");
  expect_binary("\xFF\xD8\xFF\xE0\0\x10JFIF"s, "JPEG");
}

TEST(Decode, BinaryByNuls) {
  std::string bytes;
  for (int i = 0; i < 4000; ++i) bytes += static_cast<char>((i * 7919) % 13 == 0 ? 0 : 'a' + i % 26);
  bytes += std::string(64, '\0');
  expect_binary(bytes);
  // Random-looking bytes full of controls.
  std::string noise;
  for (int i = 0; i < 2000; ++i) noise += static_cast<char>((i * 131 + 7) % 256);
  expect_binary(noise);
}

TEST(Decode, Cp1252IsDetected) {
  diagnostics d;
  EXPECT_EQ(decode_text("caf\xE9 \x93quoted\x94", d), "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D");
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].severity, severity::warning);
  EXPECT_EQ(d.list()[0].code, "legacy-encoding");
  EXPECT_EQ(d.list()[0].message, "text is not UTF-8; read as windows-1252");
}

TEST(Decode, Cp1252WithCrlfAndLongerText) {
  diagnostics d;
  const std::string in =
      "\x96 Pregunta: \xbfQu\xe9 opina usted de la situaci\xf3n?\r\n"
      "Respuesta: Es dif\xed" "cil, se\xf1or. \x85 Nadie lo sab\xed" "a.\r\n";
  EXPECT_EQ(decode_text(in, d),
            "\xE2\x80\x93 Pregunta: \xC2\xBFQu\xC3\xA9 opina usted de la situaci\xC3\xB3n?\n"
            "Respuesta: Es dif\xC3\xAD" "cil, se\xC3\xB1or. \xE2\x80\xA6 Nadie lo sab\xC3\xAD" "a.\n");
  EXPECT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].message, "text is not UTF-8; read as windows-1252");
}

TEST(Decode, Latin1WithoutC1BytesIsNamedSo) {
  diagnostics d;
  const std::string in = "El ni\xF1o dijo: \xBFQu\xE9 pasa? Ma\xF1" "ana ser\xE1 otro d\xED" "a, se\xF1or.";
  EXPECT_EQ(decode_text(in, d),
            "El ni\xC3\xB1o dijo: \xC2\xBFQu\xC3\xA9 pasa? Ma\xC3\xB1" "ana ser\xC3\xA1 otro d\xC3\xAD" "a, se\xC3\xB1or.");
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].code, "legacy-encoding");
  // Latin-1 and windows-1252 agree on these bytes; either name is right.
  EXPECT_TRUE(d.list()[0].message == "text is not UTF-8; read as ISO-8859-1" ||
              d.list()[0].message == "text is not UTF-8; read as windows-1252")
      << d.list()[0].message;
}

TEST(Decode, ShortFrenchIsNotCentralEuropean) {
  // ICU guesses ISO-8859-2 for this with low confidence; that is not enough.
  diagnostics d;
  EXPECT_EQ(decode_text("caf\xE9 na\xEFve r\xE9sum\xE9", d), "caf\xC3\xA9 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9");
  EXPECT_EQ(d.list()[0].message, "text is not UTF-8; read as windows-1252");
}

TEST(Decode, CyrillicCp1251AndKoi8r) {
  const std::string expected =  // "Привет, как дела? Это тест. Министр иностранных дел ответил на вопросы."
      "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82, \xD0\xBA\xD0\xB0\xD0\xBA \xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB0? "
      "\xD0\xAD\xD1\x82\xD0\xBE \xD1\x82\xD0\xB5\xD1\x81\xD1\x82. "
      "\xD0\x9C\xD0\xB8\xD0\xBD\xD0\xB8\xD1\x81\xD1\x82\xD1\x80 "
      "\xD0\xB8\xD0\xBD\xD0\xBE\xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD0\xBD\xD0\xBD\xD1\x8B\xD1\x85 "
      "\xD0\xB4\xD0\xB5\xD0\xBB \xD0\xBE\xD1\x82\xD0\xB2\xD0\xB5\xD1\x82\xD0\xB8\xD0\xBB "
      "\xD0\xBD\xD0\xB0 \xD0\xB2\xD0\xBE\xD0\xBF\xD1\x80\xD0\xBE\xD1\x81\xD1\x8B.";
  diagnostics d1;
  EXPECT_EQ(decode_text("\xcf\xf0\xe8\xe2\xe5\xf2, \xea\xe0\xea \xe4\xe5\xeb\xe0? \xdd\xf2\xee \xf2\xe5\xf1\xf2. "
                        "\xcc\xe8\xed\xe8\xf1\xf2\xf0 \xe8\xed\xee\xf1\xf2\xf0\xe0\xed\xed\xfb\xf5 \xe4\xe5\xeb "
                        "\xee\xf2\xe2\xe5\xf2\xe8\xeb \xed\xe0 \xe2\xee\xef\xf0\xee\xf1\xfb.",
                        d1),
            expected);
  ASSERT_EQ(d1.list().size(), 1u);
  EXPECT_EQ(d1.list()[0].message, "text is not UTF-8; read as windows-1251");

  diagnostics d2;
  EXPECT_EQ(decode_text("\xf0\xd2\xc9\xd7\xc5\xd4, \xcb\xc1\xcb \xc4\xc5\xcc\xc1? \xfc\xd4\xcf \xd4\xc5\xd3\xd4. "
                        "\xed\xc9\xce\xc9\xd3\xd4\xd2 \xc9\xce\xcf\xd3\xd4\xd2\xc1\xce\xce\xd9\xc8 \xc4\xc5\xcc "
                        "\xcf\xd4\xd7\xc5\xd4\xc9\xcc \xce\xc1 \xd7\xcf\xd0\xd2\xcf\xd3\xd9.",
                        d2),
            expected);
  ASSERT_EQ(d2.list().size(), 1u);
  EXPECT_EQ(d2.list()[0].message, "text is not UTF-8; read as KOI8-R");
}

TEST(Decode, MostlyUtf8WithABadByteIsRepairedNotReencoded) {
  diagnostics d("t.txt");
  const std::string in = "h\xC3\xA9llo w\xC3\xB6rld\nthis is f\xFFne \xE2\x80\x94 really\n";
  EXPECT_EQ(decode_text(in, d), "h\xC3\xA9llo w\xC3\xB6rld\nthis is f\xEF\xBF\xBDne \xE2\x80\x94 really\n");
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].code, "invalid-utf8");
  EXPECT_EQ(d.list()[0].pos, (source_pos{2, 10}));
  EXPECT_EQ(format(d.list()[0]),
            "t.txt:2:10: warning: invalid UTF-8 replaced by U+FFFD [invalid-utf8]\n  note: byte 0xff");
}

TEST(Decode, TruncatedSequenceIsOneReplacement) {
  diagnostics d;
  // E2 82 is the start of a three-byte sequence cut short: one U+FFFD.
  EXPECT_EQ(decode_text("\xC3\xA9\xC3\xA9 ab\xE2\x82" "c \xC3\xA9", d),
            "\xC3\xA9\xC3\xA9 ab\xEF\xBF\xBD" "c \xC3\xA9");
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].pos, (source_pos{1, 6}));
  EXPECT_EQ(d.list()[0].notes.at(0), "bytes 0xe2 0x82");
}

TEST(Decode, SurrogatesAndOverlongsAreInvalid) {
  diagnostics d;
  // ED A0 80 (a UTF-16 surrogate) and C0 AF (an overlong '/').
  EXPECT_EQ(decode_text("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 \xED\xA0\x80 \xC0\xAF", d),
            "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(with_code(d, "invalid-utf8").size(), 5u);
}

TEST(Decode, InvalidUtf8DiagnosticsAreCapped) {
  diagnostics d;
  std::string in;
  for (int i = 0; i < 30; ++i) in += "\xC3\xA9\xC3\xA9 line \xFF\n";  // 60 good sequences, 30 bad
  const std::string out = decode_text(in, d);
  const auto bad = with_code(d, "invalid-utf8");
  ASSERT_EQ(bad.size(), 21u);
  for (std::size_t i = 0; i < 20; ++i) EXPECT_EQ(bad[i].pos, (source_pos{static_cast<std::uint32_t>(i + 1), 9}));
  EXPECT_EQ(bad[20].pos, (source_pos{}));
  EXPECT_EQ(bad[20].message, "30 invalid UTF-8 sequences replaced by U+FFFD in all, 10 of them not listed");
  EXPECT_EQ(out.find('\xFF'), std::string::npos);
}

TEST(Decode, ControlAndInvalidTogetherInInputOrder) {
  diagnostics d;
  const std::string in = "\xC3\xA9\xC3\xA9\xC3\xA9 \xFF\nx\x01y\n"s;
  EXPECT_EQ(decode_text(in, d), "\xC3\xA9\xC3\xA9\xC3\xA9 \xEF\xBF\xBD\nxy\n");
  ASSERT_EQ(d.list().size(), 2u);
  EXPECT_EQ(d.list()[0].code, "invalid-utf8");
  EXPECT_EQ(d.list()[0].pos, (source_pos{1, 5}));
  EXPECT_EQ(d.list()[1].code, "control-characters");
  EXPECT_EQ(d.list()[1].pos, (source_pos{2, 2}));
}

TEST(Decode, LongInputsStayLinear) {
  diagnostics d;
  // A long line of valid two-byte letters with sparse invalid bytes:
  // positions must be found without rescanning the line.
  std::string in;
  in.reserve(4'000'000);
  for (int i = 0; i < 1'000'000; ++i) {
    in += "\xC3\xA9\xC3\xA9";
    if (i % 50'000 == 0) in += '\xFF';
  }
  const std::string out = decode_text(in, d);
  EXPECT_EQ(out.size(), 4'000'000u + 20 * 3);
  EXPECT_EQ(with_code(d, "invalid-utf8").size(), 20u);
  // 50,001 pairs and one U+FFFD before the second one.
  EXPECT_EQ(with_code(d, "invalid-utf8")[1].pos, (source_pos{1, 100'004}));
}
