// Stage 3: read_plain (grouping, hard-wrap joining, separators, positions).
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"

using namespace galley;
using namespace galley::parse;

namespace {

std::vector<raw_block> plain(std::string_view text, std::uint32_t first_line = 1) {
  diagnostics d;
  auto blocks = read_plain(text, first_line, d);
  EXPECT_TRUE(d.list().empty()) << d.to_text();
  return blocks;
}

std::vector<std::string> texts(const std::vector<raw_block>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) out.push_back(b.text);
  return out;
}

}  // namespace

TEST(Plain, EmptyAndBlankInputs) {
  EXPECT_TRUE(plain("").empty());
  EXPECT_TRUE(plain("\n \n\t\n").empty());
}

TEST(Plain, OneBlockPerLineGroupedByBlankLines) {
  const auto b = plain("First line\nSecond line\n\n  \nThird line\n", 10);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(texts(b), (std::vector<std::string>{"First line", "Second line", "Third line"}));
  EXPECT_EQ(b[0].kind, raw_kind::paragraph);
  EXPECT_FALSE(b[0].same_group);
  EXPECT_TRUE(b[1].same_group);
  EXPECT_FALSE(b[2].same_group);
  EXPECT_EQ(b[0].pos, (source_pos{10, 1}));
  EXPECT_EQ(b[1].pos, (source_pos{11, 1}));
  EXPECT_EQ(b[2].pos, (source_pos{14, 1}));
}

// A plain paragraph is its text alone: content stays empty (the
// recognizer makes the one text node from text).
TEST(Plain, ContentIsTheTextAlone) {
  const auto b = plain("\t \xC3\xA9t\xC3\xA9   was   \t hot  \n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].text, "\xC3\xA9t\xC3\xA9 was hot");
  EXPECT_EQ(b[0].pos, (source_pos{1, 3}));
  EXPECT_TRUE(b[0].content.empty());
}

TEST(Plain, ColumnsCountCodePoints) {
  // Two no-break spaces then the text: column 3 although it is byte 5.
  const auto b = plain("\xC2\xA0\xC2\xA0Hello\n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].pos, (source_pos{1, 3}));
  EXPECT_EQ(b[0].text, "Hello");
}

TEST(Plain, SingleNoBreakSpaceIsKept) {
  const auto b = plain("Il a dit\xC2\xA0: 10\xE2\x80\xAFkm  \xC2\xA0 plus\n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].text, "Il a dit\xC2\xA0: 10\xE2\x80\xAFkm plus");
}

TEST(Plain, Separators) {
  const auto b = plain("One\n* * *\nTwo\n***\n---\n___\n  ###  \n~~~\n\xE2\x81\x82\n- - -\nThree\n");
  std::vector<raw_kind> kinds;
  for (const auto& x : b) kinds.push_back(x.kind);
  using k = raw_kind;
  EXPECT_EQ(kinds, (std::vector<raw_kind>{k::paragraph, k::separator, k::paragraph, k::separator, k::separator,
                                          k::separator, k::separator, k::separator, k::separator, k::separator,
                                          k::paragraph}));
  EXPECT_EQ(b[6].pos, (source_pos{7, 3}));
  EXPECT_FALSE(b[2].same_group);  // a separator ends a group
  EXPECT_FALSE(b[10].same_group);
}

TEST(Plain, NotSeparators) {
  const auto b = plain("**\n-- x\n### Heading\n*-*\n");
  for (const auto& x : b) EXPECT_EQ(x.kind, raw_kind::paragraph) << x.text;
}

TEST(Plain, CaptionRepeatedWithCreditStaysTwoLines) {
  const auto b = plain(
      "Yuri Ambrazevich, Deputy Foreign Minister of Belarus: \xE2\x80\x9CRussia never requested\xE2\x80\x9D\n"
      "\n"
      "Yuri Ambrazevich, Deputy Foreign Minister of the Republic of Belarus\n"
      "Yuri Ambrazevich, Deputy Foreign Minister of the Republic of Belarus. Source: Fuente: UN Geneva \n");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[1].text, "Yuri Ambrazevich, Deputy Foreign Minister of the Republic of Belarus");
  EXPECT_EQ(b[2].text, "Yuri Ambrazevich, Deputy Foreign Minister of the Republic of Belarus. Source: Fuente: UN Geneva");
  EXPECT_TRUE(b[2].same_group);
}

TEST(Plain, PrefixRuleBeatsLowercase) {
  // Even a lowercase continuation is not joined when it repeats the line.
  const auto b = plain(
      "the minister of foreign affairs speaks to the press in minsk, 2023\n"
      "the minister of foreign affairs speaks to the press in minsk, 2023 photo: reuters\n");
  EXPECT_EQ(b.size(), 2u);
}

TEST(Plain, HardWrappedTranscriptIsRejoined) {
  const std::string text =
      "INTERVIEWER: So tell me about the early days of the project, when you\n"
      "first started working on the compiler and the team was still small.\n"
      "SMITH: Well, it was a very different time. We had three people and one\n"
      "machine, and we shared it between us in shifts. Nobody had a desk of\n"
      "their own, and the coffee was terrible. We went to see Professor\n"
      "Jones at the university every week to ask for more time.\n"
      "INTERVIEWER: And did he give it to you?\n"
      "SMITH: Sometimes.\n";
  const auto b = plain(text);
  ASSERT_EQ(b.size(), 4u) << ::testing::PrintToString(texts(b));
  EXPECT_EQ(b[0].text,
            "INTERVIEWER: So tell me about the early days of the project, when you first started working on the "
            "compiler and the team was still small.");
  EXPECT_EQ(b[1].text,
            "SMITH: Well, it was a very different time. We had three people and one machine, and we shared it "
            "between us in shifts. Nobody had a desk of their own, and the coffee was terrible. We went to see "
            "Professor Jones at the university every week to ask for more time.");
  EXPECT_EQ(b[1].pos, (source_pos{3, 1}));
  EXPECT_TRUE(b[1].same_group);
  EXPECT_EQ(b[2].text, "INTERVIEWER: And did he give it to you?");
  EXPECT_EQ(b[3].text, "SMITH: Sometimes.");
  EXPECT_TRUE(b[1].content.empty());
}

TEST(Plain, HardWrappedEmailWithParagraphsInOneGroup) {
  // Uppercase continuations join only in a group of similar line lengths,
  // and not after terminal punctuation.
  const std::string text =
      "Thanks for your message about the interview we recorded last week in\n"
      "Madrid. I have gone through the transcript and marked the places where\n"
      "The recording was unclear.\n"
      "Everything else looks fine to me and I am happy for you to publish it\n"
      "as it is. Let me know when the article goes out.\n";
  const auto b = plain(text);
  ASSERT_EQ(b.size(), 2u) << ::testing::PrintToString(texts(b));
  EXPECT_EQ(b[0].text,
            "Thanks for your message about the interview we recorded last week in Madrid. I have gone through the "
            "transcript and marked the places where The recording was unclear.");
  EXPECT_TRUE(b[1].text.starts_with("Everything else looks fine"));
  EXPECT_TRUE(b[1].text.ends_with("goes out."));
}

TEST(Plain, UppercaseAfterTerminalPunctuationStartsANewBlock) {
  const std::string text =
      "This line is long enough to be a wrapped line, and it ends here.\n"
      "Another line that is also long enough to count as a wrapped one\n"
      "and a third line that is long enough too, ending the group here.\n";
  const auto b = plain(text);
  ASSERT_EQ(b.size(), 2u) << ::testing::PrintToString(texts(b));
  EXPECT_EQ(b[1].text,
            "Another line that is also long enough to count as a wrapped one and a third line that is long enough "
            "too, ending the group here.");
}

TEST(Plain, UppercaseWithoutUniformGroupIsNotJoined) {
  // Two lines only: a web copy's heading-like line and a paragraph.
  const auto b = plain(
      "The long road from Minsk to Geneva and back again, in three parts\n"
      "Alejandro travelled for three weeks.\n");
  EXPECT_EQ(b.size(), 2u);
}

TEST(Plain, ShortAndLongLinesAreNotJoined) {
  const auto b = plain(
      "Short line\n"
      "continues in lowercase\n"
      "A web paragraph is one long line, far longer than any wrapped line would ever be in an e-mail or a "
      "transcript\n"
      "and this lowercase line is its own paragraph.\n");
  EXPECT_EQ(b.size(), 4u);
}

TEST(Plain, MarkersStartNewBlocks) {
  const std::string a = "This line is long enough to be a wrapped line but has no stop\n";
  for (std::string next : {"- a dash", "\xE2\x80\x93 an en dash", "\xE2\x80\x94 an em dash", "\xE2\x80\xA2 bullet",
                           "* star", "[Q]: bracket", "\xC2\xBF" "Pregunta?", "? question", "1. numbered",
                           "12) numbered", "Q: label", "Jane Doe: label", "PREGUNTA: label", "Mr. J. Smith Jr: x",
                           "00:12:31 timestamp"}) {
    const auto b = plain(a + next + "\n" + a + a);
    EXPECT_EQ(b.size(), 4u) << next;
  }
}

TEST(Plain, LongerLabelsAndColonsInTextDoNotBlock) {
  const std::string a = "This line is long enough to be a wrapped line but has no stop\n";
  // Lowercase continuations with a colon later in the line still join.
  for (std::string next : {"and then he said: this is it", "at 10:30 in the morning", "so the five of us here: all"}) {
    const auto b = plain(a + next + "\n");
    EXPECT_EQ(b.size(), 1u) << next;
  }
}

TEST(Plain, HyphenatedWordIsRejoined) {
  const auto b = plain(
      "The minister said that the negotiations were a textbook exam-\n"
      "ple of how not to conduct diplomacy in a time of war - and\n"
      "nobody disagreed.\n");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].text,
            "The minister said that the negotiations were a textbook example of how not to conduct diplomacy in "
            "a time of war - and nobody disagreed.");
}

TEST(Plain, FirstLineOffsetsPositions) {
  const auto b = plain("\n\n  Hello\n", 7);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].pos, (source_pos{9, 3}));
}

TEST(Plain, NoTrailingNewline) {
  const auto b = plain("a\nb");
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[1].text, "b");
  EXPECT_EQ(b[1].pos, (source_pos{2, 1}));
}

TEST(Plain, ShortWebLinesAreNotJoinedAsUniform) {
  // Page chrome of similar short lengths (53, 59, 35 code points): not a
  // hard-wrapped paragraph, although no line ends in punctuation.
  const auto b = plain(
      "\xD0\x9F\xD0\xBE\xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB8\xD1\x82\xD1\x8C\xD1\x81\xD1\x8F  |  Share on Telegram  |  Copy the link\n"
      "Read also: How to photograph the starry sky with a phone\n"
      "Subscribe to our channel on Dzen\n");
  EXPECT_EQ(b.size(), 3u) << ::testing::PrintToString(texts(b));
}

TEST(Plain, WhiteSpaceRunsAtEveryOffset) {
  // The white-space scan works eight bytes at a time: put each kind of run
  // at every offset around a word boundary.
  const std::string nbsp = "\xC2\xA0", thin = "\xE2\x80\x89";
  for (std::size_t k = 0; k < 20; ++k) {
    const std::string left(k + 1, 'x'), right(20, 'y');
    for (const std::string& run : {std::string("  "), std::string("\t"), std::string(" \t "), " " + nbsp,
                                   nbsp + nbsp, thin + " ", " " + thin, std::string("   ")}) {
      const auto b = plain(left + run + right + "\n");
      ASSERT_EQ(b.size(), 1u);
      EXPECT_EQ(b[0].text, left + " " + right) << k;
    }
    EXPECT_EQ(plain(left + nbsp + right + " \n")[0].text, left + nbsp + right);
    EXPECT_EQ(plain(left + " " + right + " " + right + "  \t\n")[0].text, left + " " + right + " " + right);
    EXPECT_EQ(plain(left + "\xE2\x80\x9C" + right + "\xE2\x80\x9D\n")[0].text, left + "\xE2\x80\x9C" + right + "\xE2\x80\x9D");
  }
}

namespace {

// The white-space rule, written the slow and obvious way.
std::string reference_collapse(const std::vector<std::string>& chars) {
  const auto is_space = [](const std::string& c) {
    return c == " " || c == "\t" || c == "\xC2\xA0" || c == "\xE2\x80\x89" || c == "\xE3\x80\x80";
  };
  std::string out;
  std::size_t i = 0;
  while (i < chars.size() && is_space(chars[i])) ++i;
  std::size_t end = chars.size();
  while (end > i && is_space(chars[end - 1])) --end;
  while (i < end) {
    if (!is_space(chars[i])) {
      out += chars[i++];
      continue;
    }
    std::size_t j = i;
    while (j < end && is_space(chars[j])) ++j;
    out += (j - i == 1 && chars[i].size() > 1) ? chars[i] : " ";
    i = j;
  }
  return out;
}

}  // namespace

TEST(Plain, WhiteSpaceMatchesAReferenceOnRandomLines) {
  const std::vector<std::string> alphabet = {"x", "y", " ", " ", " ", "\t", "\xC2\xA0", "\xE2\x80\x89",
                                             "\xE3\x80\x80", "\xC3\xA9", "\xE2\x80\x9C", "\xD0\x96"};
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) & 0x7FFF;
  };
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> chars;
    std::string line;
    const std::size_t n = next() % 40;
    for (std::size_t k = 0; k < n; ++k) {
      chars.push_back(alphabet[next() % alphabet.size()]);
      line += chars.back();
    }
    const std::string expected = reference_collapse(chars);
    const auto b = plain(line + "\n");
    if (expected.empty()) {
      EXPECT_TRUE(b.empty()) << line;
    } else {
      ASSERT_EQ(b.size(), 1u) << line;
      EXPECT_EQ(b[0].text, expected) << ::testing::PrintToString(line);
    }
  }
}

TEST(Plain, DashAndPeriodLabelsStartNewBlocks) {
  // `P – ` and El País's `Pregunta. ` / `P. ` open a turn even inside a
  // group, after a line that does not end a sentence.
  const std::string a = "This line is long enough to be a wrapped line but has no stop\n";
  for (std::string next : {"P \xE2\x80\x93 Por qu\xC3\xA9 ahora?", "R - Porque s\xC3\xAD.", "P \xE2\x80\x94 E depois?",
                           "P\xE2\x80\x93 Sem espa\xC3\xA7o antes.", "ANNA \xE2\x80\x93 label in capitals",
                           "Pregunta. \xC2\xBF" "Cu\xC3\xA1ndo?", "Respuesta. Ayer.", "P. \xC2\xBF" "Y luego?",
                           "R. Nada."}) {
    const auto b = plain(a + next + "\n" + a + a);
    EXPECT_EQ(b.size(), 4u) << next;
  }
}

TEST(Plain, CapitalizedWordBeforeADashIsNoLabel) {
  // A dateline or a noun before a dash goes on like any capitalized line.
  const auto b = plain(
      "The council met again on Tuesday night to discuss the new budget\n"
      "Berlin \xE2\x80\x93 where most of the money comes from \xE2\x80\x93 was not on the agenda\n"
      "of the meeting, which ended after four hours without a decision.\n");
  ASSERT_EQ(b.size(), 1u) << ::testing::PrintToString(texts(b));
}

namespace {

// A hard-wrapped interview, paragraphs parted by blank lines, 70 columns.
const std::string wrapped_interview =
    "Q: You moved the workshop from the harbour to the old tannery in\n"
    "2011. Why there, of all places?\n"
    "\n"
    "A: Because nobody else wanted it, and the rent was a third of what\n"
    "we paid by the water. The roof leaked for two winters, but we had\n"
    "room for the big looms at last.\n"
    "\n";

}  // namespace

TEST(Plain, WrappedTextGoesOnIntoNumbersAndColons) {
  // In a hard-wrapped text, a full line that stops in the middle of a
  // sentence goes on into a number or a word with a colon.
  const auto b = plain(wrapped_interview +
                       "Q: How many people work here now, counting the apprentices and the\n"
                       "three who come in for the dyeing? And what does a weaver earn, after\n"
                       "12 months of training?\n"
                       "\n"
                       "A: Nine, and the pay is set by the guild. In the autumn my foreman\n"
                       "said to the new ones on their first morning here, as he always does:\n"
                       "Rule one: nobody touches the warp of a loom that is not their own.\n");
  ASSERT_EQ(b.size(), 5u) << ::testing::PrintToString(texts(b));
  EXPECT_EQ(b[0].text, "Q: You moved the workshop from the harbour to the old tannery in 2011. Why there, of all places?");
  EXPECT_TRUE(b[2].text.ends_with("what does a weaver earn, after 12 months of training?")) << b[2].text;
  EXPECT_TRUE(b[3].text.ends_with("said to the new ones on their first morning here, as he always does:"));
  // The colon ends that line, so `Rule one:` is a new paragraph; but after
  // `… the first` it is the same sentence.
  EXPECT_EQ(b[4].text, "Rule one: nobody touches the warp of a loom that is not their own.");

  const auto c = plain(wrapped_interview +
                       "A: Nine, and the pay is set by the guild. In the autumn my foreman\n"
                       "tells the new ones the same thing on their first morning, the first\n"
                       "Rule one: nobody touches the warp of a loom that is not their own.\n");
  ASSERT_EQ(c.size(), 3u) << ::testing::PrintToString(texts(c));
  EXPECT_TRUE(c[2].text.ends_with("the first Rule one: nobody touches the warp of a loom that is not their own."));
}

TEST(Plain, WrappedTextKeepsTurnsApart) {
  // Labels that name speakers (short, in capitals, or seen opening a
  // group) start a paragraph even after a line that stops mid-sentence;
  // any label or number does after a finished line.
  for (std::string next : {"Q: And the dyeing?", "ANNA: Let me add", "A: Yes.", "Jane Doe: Who else?",
                           "2. What comes next?", "Zoe Lind: Later."}) {
    for (std::string end : {"of the looms, and the", "of the looms in the end."}) {
      const bool finished = end.back() == '.';
      if (!finished && (next.starts_with("Jane") || next.starts_with("2.") || next.starts_with("Zoe"))) continue;
      const auto b = plain(wrapped_interview + "Jane Doe: We also kept the old name on the sign, and most " + end +
                           "\n" + next + "\n");
      EXPECT_EQ(b.size(), 4u) << end << " / " << next << ::testing::PrintToString(texts(b));
    }
  }
  // `Jane Doe:` opens a group, so it names a speaker even mid-sentence.
  const auto b = plain(wrapped_interview + "Jane Doe: Yes.\n\nA: We also kept the old name on the sign, and of the\n" +
                       "Jane Doe: Who else?\n");
  EXPECT_EQ(b.size(), 5u) << ::testing::PrintToString(texts(b));
}

TEST(Plain, OnlyAWrappedTextGoesOnIntoNumbers) {
  // Lines of a web page that stop in a lowercase word (headlines) are
  // followed by capitals: no hard wrap, and a label after them stays a
  // paragraph of its own.
  const auto b = plain(
      "Read more: Why the old tannery became the town's favourite workshop\n"
      "Related: Weavers of the north coast\n"
      "\n"
      "Sign up for our newsletter and get the week's stories every morning\n"
      "2024 The Harbour Gazette. All rights reserved.\n");
  EXPECT_EQ(b.size(), 4u) << ::testing::PrintToString(texts(b));
}

TEST(Plain, ForcedBreakAfterAFullStopIsNoParagraphBreak) {
  // Paragraphs are parted by blank lines, and the line ending in a full
  // stop is as long as any: the next word could not have fitted, so the
  // break is the margin's.
  const std::string text = wrapped_interview +
                           "Q: The looms came from a mill in Lancashire that closed in 1998.\n"
                           "Were they hard to move?\n";
  const auto b = plain(text);
  ASSERT_EQ(b.size(), 3u) << ::testing::PrintToString(texts(b));
  EXPECT_EQ(b[2].text, "Q: The looms came from a mill in Lancashire that closed in 1998. Were they hard to move?");

  // A shorter line: `Were` would have fitted, so the writer broke the line.
  const auto c = plain(wrapped_interview +
                       "Q: The looms came from a mill that closed in 1998.\n"
                       "Were they hard to move?\n");
  EXPECT_EQ(c.size(), 4u) << ::testing::PrintToString(texts(c));
}

TEST(Plain, ForcedBreakNeedsBlankLinesBetweenParagraphs) {
  // Here paragraphs follow each other on the next line, so a line ending
  // a sentence ends its paragraph, however long.
  const auto b = plain(
      "We had three people and one machine, and we shared it between us\n"
      "in shifts. Nobody had a desk of their own, and the coffee was bad.\n"
      "The second year was better. We moved into the old post office and\n"
      "the university lent us two more machines for the whole summer.\n"
      "Then the money ran out.\n"
      "Everybody went home for a month, and when we came back the place\n"
      "was empty.\n");
  ASSERT_EQ(b.size(), 4u) << ::testing::PrintToString(texts(b));
  EXPECT_TRUE(b[1].text.starts_with("The second year was better."));
}

TEST(Plain, LongLineBrokenMidClauseIsRejoined) {
  // A web paragraph (one long line) broken once where no sentence ends.
  const std::string long_line =
      "The budget raises spending on schools by a tenth, keeps the fuel subsidy for another year and, in a "
      "change from last year's plan, ";
  for (std::string end : {"moves money to the regions that we", "moves money to the regions, and"}) {
    const auto b = plain(long_line + end + "\n" + "promised in the spring.\n");
    ASSERT_EQ(b.size(), 1u) << end;
    EXPECT_TRUE(b[0].text.ends_with(" promised in the spring.")) << b[0].text;
  }
  // The next line must start in lowercase, and be no list item or label.
  for (std::string next : {"Promised in the spring.", "- promised", "2. promised"}) {
    EXPECT_EQ(plain(long_line + "and we\n" + next + "\n").size(), 2u) << next;
  }
}
