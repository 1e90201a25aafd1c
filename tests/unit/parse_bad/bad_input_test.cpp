// Inputs that are empty, binary, badly encoded or absurdly shaped. The parser
// must return a sound tree (or, for binary input only, throw galley::error
// with exit_code::input_failed), and say what it did in a diagnostic.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "doc/check.hpp"
#include "doc/dump.hpp"
#include "parse/parse.hpp"

using namespace galley;

namespace {

struct parsed {
  doc::document doc;
  diagnostics diags;
};

parsed parse_as(const std::string& bytes, parse::input_format f = parse::input_format::plain,
                const std::string& name = "input.txt") {
  parsed p{{}, diagnostics(name)};
  parse::options opts;
  opts.format = f;
  p.doc = parse::parse_interview(bytes, name, opts, p.diags);
  return p;
}

void expect_sound(const doc::document& d) {
  for (const auto& problem : doc::check(d)) ADD_FAILURE() << "doc::check: " << problem;
}

std::size_t count_blocks(const doc::document& d, doc::block_kind k) {
  std::size_t n = 0;
  for (const auto& a : d.articles) doc::walk(a.blocks, [&](const doc::block& b, int) { n += b.kind == k; });
  return n;
}

std::size_t count_all_blocks(const doc::document& d) {
  std::size_t n = 0;
  for (const auto& a : d.articles) doc::walk(a.blocks, [&](const doc::block&, int) { ++n; });
  return n;
}

// Everything a reader would see: titles and every block's text.
std::string all_text(const doc::document& d) {
  std::string out = d.metadata.title + "\n";
  for (const auto& a : d.articles) {
    out += a.title + "\n";
    doc::walk(a.blocks, [&](const doc::block& b, int) {
      out += doc::plain_text(b) + "\n";
      out += doc::plain_text(b.caption) + " " + b.credit + "\n";
    });
  }
  return out;
}

const diagnostic* find_warning(const diagnostics& ds, const std::string& code) {
  for (const auto& d : ds.list())
    if (d.severity == severity::warning && d.code == code) return &d;
  return nullptr;
}

std::string interview(int turns) {
  std::string s = "An interview about nothing in particular\n\n";
  for (int i = 0; i < turns; ++i) {
    s += "Q: What happened in year " + std::to_string(2000 + i) + "?\n\n";
    s += "A: Not much happened that year, to be honest. We planted trees.\n\n";
  }
  return s;
}

TEST(parse_bad, empty_file_warns_and_gives_an_empty_tree) {
  for (const auto f : {parse::input_format::plain, parse::input_format::markdown, parse::input_format::vtt,
                       parse::input_format::srt}) {
    auto p = parse_as("", f);
    expect_sound(p.doc);
    EXPECT_EQ(count_all_blocks(p.doc), 0u);
    EXPECT_GE(p.diags.count(severity::warning), 1u) << "an empty input deserves a warning";
    EXPECT_FALSE(p.diags.has_errors()) << p.diags.to_text();
  }
}

TEST(parse_bad, whitespace_only_file_gives_an_empty_tree) {
  auto p = parse_as(" \n\n\t\n   \r\n\n");
  expect_sound(p.doc);
  EXPECT_EQ(count_all_blocks(p.doc), 0u);
  EXPECT_GE(p.diags.count(severity::warning), 1u);
}

TEST(parse_bad, binary_file_is_a_fatal_input_error) {
  // A PNG header followed by bytes no text editor would write.
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0", 33);
  for (int i = 0; i < 4096; ++i) png += static_cast<char>((i * 7919 + 13) % 256);
  try {
    (void)parse_as(png);
    FAIL() << "binary input must throw galley::error";
  } catch (const galley::error& e) {
    EXPECT_EQ(e.code(), exit_code::input_failed);
    EXPECT_EQ(e.diag().code, "binary-input");
    EXPECT_EQ(e.diag().severity, severity::error);
  }
}

TEST(parse_bad, invalid_utf8_warns_at_line_and_column) {
  // Valid UTF-8 elsewhere ("café", "naïve", "Łódź") makes it clear the file is
  // UTF-8 with one bad byte, not a legacy encoding.
  const std::string bytes =
      "Q: What did you say at the caf\u00e9 in \u0141\u00f3d\u017a?\n"
      "\n"
      "A: Wor\xff" "ld peace, mostly. A na\u00efve wish.\n";
  auto p = parse_as(bytes);
  expect_sound(p.doc);
  const diagnostic* w = nullptr;
  for (const auto& d : p.diags.list())
    if (d.severity == severity::warning && d.pos.line == 3) w = &d;
  ASSERT_NE(w, nullptr) << "no warning at line 3:\n" << p.diags.to_text();
  EXPECT_EQ(w->pos.col, 7u) << "column counts code points: 'A: Wor' is 6";
  EXPECT_EQ(w->code, "invalid-utf8");
  const auto text = all_text(p.doc);
  EXPECT_NE(text.find("Wor\xEF\xBF\xBDld"), std::string::npos) << "the bad byte becomes U+FFFD:\n" << text;
  EXPECT_NE(text.find("What did you say at the caf\u00e9"), std::string::npos) << text;
}

TEST(parse_bad, truncated_utf8_at_end_of_file) {
  // UTF-8 text ("Málaga", "€") whose last character is cut in half.
  auto p = parse_as("Q: Where in M\u00e1laga, and for how many \u20ac?\n\nA: Here, for 5 \xE2\x82");
  expect_sound(p.doc);
  EXPECT_GE(p.diags.count(severity::warning), 1u);
  EXPECT_NE(all_text(p.doc).find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(parse_bad, cp1252_text_is_decoded_with_a_warning) {
  // "Q: What’s your favourite café?" / "A: The one by the “old” bridge… €5 coffee."
  const std::string bytes =
      "Q: What\x92s your favourite caf\xe9?\n"
      "\n"
      "A: The one by the \x93old\x94 bridge\x85 Coffee costs \x80" "5 there.\n"
      "\n"
      "Q: And on Sundays?\n"
      "\n"
      "A: On Sundays I stay home and read Garc\xed" "a M\xe1rquez.\n";
  auto p = parse_as(bytes);
  expect_sound(p.doc);
  bool named = false;
  for (const auto& d : p.diags.list())
    named |= d.severity == severity::warning && d.message.find("windows-1252") != std::string::npos;
  EXPECT_TRUE(named) << "the warning names the guess:\n" << p.diags.to_text();
  const auto text = all_text(p.doc);
  for (const char* s : {"What\u2019s your favourite caf\u00e9?", "\u201cold\u201d bridge\u2026",
                        "\u20ac5", "Garc\u00eda M\u00e1rquez"})
    EXPECT_NE(text.find(s), std::string::npos) << "missing " << s << " in:\n" << text;
  EXPECT_EQ(text.find("\xEF\xBF\xBD"), std::string::npos) << "no replacement characters";
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::question), 2u);
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::answer), 2u);
}

TEST(parse_bad, bom_and_crlf_are_invisible) {
  const std::string bytes =
      "\xEF\xBB\xBF" "Q: First question?\r\n\r\n"
      "A: First answer.\r\n\r\n"
      "Q: Second question?\r\n\r\n"
      "A: Second answer,\r\nwrapped.\r\n";
  auto p = parse_as(bytes);
  expect_sound(p.doc);
  const auto text = all_text(p.doc);
  EXPECT_EQ(text.find("\xEF\xBB\xBF"), std::string::npos) << "BOM leaked into the text";
  EXPECT_EQ(text.find('\r'), std::string::npos) << "CR leaked into the text";
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::question), 2u);
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::answer), 2u);
  // Line numbers are the input's: the first block is on line 1, the second answer on line 7.
  ASSERT_FALSE(p.doc.articles.empty());
  const auto& blocks = p.doc.articles[0].blocks;
  ASSERT_GE(blocks.size(), 4u);
  EXPECT_EQ(blocks.front().pos.line, 1u);
  EXPECT_EQ(blocks.back().pos.line, 7u);
}

TEST(parse_bad, utf16_with_bom_is_decoded) {
  const std::u16string u = u"Q: \u00bfQu\u00e9 tal?\n\nA: Bien, gracias.\n";
  std::string bytes = "\xFF\xFE";
  for (char16_t c : u) {
    bytes += static_cast<char>(c & 0xFF);
    bytes += static_cast<char>(c >> 8);
  }
  auto p = parse_as(bytes);
  expect_sound(p.doc);
  EXPECT_NE(all_text(p.doc).find("\u00bfQu\u00e9 tal?"), std::string::npos) << all_text(p.doc);
}

TEST(parse_bad, control_characters_are_removed) {
  // A stray NUL, a bell and a terminal escape in two kilobytes of ordinary text.
  std::string bytes = interview(10);
  bytes.insert(40, std::string("Nul\0l and bell\x07", 14));
  bytes += "A: Gone\x1b[0m.\n";
  auto p = parse_as(bytes);
  expect_sound(p.doc);
  const auto text = all_text(p.doc);
  for (char c : {'\0', '\x07', '\x1b'}) EXPECT_EQ(text.find(c), std::string::npos);
}

TEST(parse_bad, ten_megabyte_single_line) {
  std::string line;
  line.reserve(10u << 20);
  while (line.size() < (10u << 20)) line += "and then we talked about the weather again, ";
  auto p = parse_as(line);
  expect_sound(p.doc);
  EXPECT_GE(count_all_blocks(p.doc), 1u);
}

TEST(parse_bad, hundred_thousand_character_word) {
  const std::string word(100000, 'x');
  auto p = parse_as("Q: What is the longest word you know?\n\nA: It is " + word + ", I think.\n");
  expect_sound(p.doc);
  EXPECT_NE(all_text(p.doc).find(word), std::string::npos) << "the word is kept whole";
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::answer), 1u);
}

TEST(parse_bad, million_short_paragraphs) {
  std::string s;
  s.reserve(12u << 20);
  for (int i = 0; i < 1000000; ++i) s += "Yes. Fine.\n\n";
  auto p = parse_as(s);
  expect_sound(p.doc);
  EXPECT_GE(count_all_blocks(p.doc), 1u);
}

TEST(parse_bad, no_turns_warns_and_keeps_paragraphs) {
  const std::string s =
      "The lighthouse keepers of Finisterre\n\n"
      "For three generations the same family kept the light burning on the cape.\n\n"
      "The work was lonely, and the winters were long and loud with wind.\n\n"
      "Today the lamp is automatic, and the house is a small museum.\n\n"
      "Visitors come in summer to see the old logbooks and the brass lens.\n";
  auto p = parse_as(s);
  expect_sound(p.doc);
  EXPECT_NE(find_warning(p.diags, "no-turns"), nullptr) << p.diags.to_text();
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::question), 0u);
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::answer), 0u);
  EXPECT_GE(count_blocks(p.doc, doc::block_kind::paragraph), 3u);
  EXPECT_NE(all_text(p.doc).find("brass lens"), std::string::npos);
}

TEST(parse_bad, unclosed_front_matter_does_not_swallow_the_text) {
  auto p = parse_as("+++\ntitle = \"Never closed\"\n\n" + interview(3));
  expect_sound(p.doc);
  EXPECT_NE(all_text(p.doc).find("We planted trees"), std::string::npos);
}

TEST(parse_bad, bad_toml_is_an_error_diagnostic_and_the_body_is_kept) {
  auto p = parse_as("+++\ntitle = \"Unterminated\nlang = \n+++\n" + interview(2));
  expect_sound(p.doc);
  EXPECT_TRUE(p.diags.has_errors()) << p.diags.to_text();
  EXPECT_EQ(count_blocks(p.doc, doc::block_kind::question), 2u);
}

TEST(parse_bad, markdown_oddities_do_not_break_the_tree) {
  for (const std::string& s : {std::string("**"), std::string("**Q:**"), std::string("**Q:** **A:**"),
                              std::string("[") + std::string(1000, '['), std::string(2000, '>') + " deep",
                              std::string("![](") + std::string(500, '(') + ")", std::string("```\nunclosed code"),
                              std::string("- - - -\n* * *\n___"), std::string("<div>\n**Q:** html?\n</div>")}) {
    SCOPED_TRACE(s.substr(0, 40));
    auto p = parse_as(s, parse::input_format::markdown, "odd.md");
    expect_sound(p.doc);
  }
}

TEST(parse_bad, json_and_text_dumps_work_on_hostile_input) {
  auto p = parse_as(std::string("Q: \"quotes\" and \\backslashes\\ and \x01 and </script>?\n\nA: {\"json\": true}\n"));
  expect_sound(p.doc);
  EXPECT_FALSE(doc::to_json(p.doc).empty());
  EXPECT_FALSE(doc::to_text(p.doc).empty());
}

}  // namespace

TEST(parse_bad, binary_file_named_vtt_is_a_fatal_input_error) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0", 33);
  for (int i = 0; i < 4096; ++i) png += static_cast<char>((i * 7919 + 13) % 256);
  for (const auto f : {parse::input_format::automatic, parse::input_format::vtt, parse::input_format::srt}) {
    try {
      (void)parse_as(png, f, "clip.vtt");
      ADD_FAILURE() << "a binary .vtt was read as captions";
    } catch (const galley::error& e) {
      EXPECT_EQ(e.code(), exit_code::input_failed);
    }
  }
}

// Captions as broken as they come: timing lines without times, cues with
// no timing, tags that never close, a voice with no name. A sound tree,
// the text kept, and each broken timing reported where it stands.
TEST(parse_bad, broken_captions_give_a_sound_tree_and_diagnostics) {
  const std::string vtt =
      "WEBVTT\n\n--> 00:00:02.000\n<v Ann>One.\n\n00:00:03.000 -->\n<v Bo>Two.\n\n"
      "00:00:04.000 --> 00:00:05.000\n<v>Three <b <i\n\nFour without timing.\n\n"
      "99999999999999999999:00.000 --> 1:2\nFive.\n\n";
  for (const auto f : {parse::input_format::vtt, parse::input_format::srt}) {
    auto p = parse_as(vtt, f, "broken.vtt");
    expect_sound(p.doc);
    const std::string text = all_text(p.doc);
    for (const char* word : {"One.", "Two.", "Three", "Four without timing.", "Five."})
      EXPECT_NE(text.find(word), std::string::npos) << word << " in\n" << text;
    EXPECT_GE(p.diags.count(severity::warning), 4u) << p.diags.to_text();
    const diagnostic* w = find_warning(p.diags, "cue-timing");
    ASSERT_NE(w, nullptr) << p.diags.to_text();
    if (f == parse::input_format::vtt) {
      EXPECT_EQ(w->pos, (source_pos{3, 1}));
    }
  }
}
