// Stage 3: read_captions (WebVTT and SubRip).
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"

using namespace galley;
using namespace galley::parse;

namespace {

std::vector<raw_block> vtt(std::string_view text, diagnostics& d) {
  return read_captions(text, 1, caption_format::webvtt, d);
}

std::vector<raw_block> vtt(std::string_view text) {
  diagnostics d;
  auto blocks = vtt(text, d);
  EXPECT_TRUE(d.list().empty()) << d.to_text();
  return blocks;
}

std::vector<raw_block> srt(std::string_view text) {
  diagnostics d;
  auto blocks = read_captions(text, 1, caption_format::subrip, d);
  EXPECT_TRUE(d.list().empty()) << d.to_text();
  return blocks;
}

// "speaker|text" for each block.
std::vector<std::string> turns(const std::vector<raw_block>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) out.push_back(b.speaker + "|" + b.text);
  return out;
}

}  // namespace

TEST(Captions, VoicesNameSpeakersAndCuesOfOneSpeakerJoin) {
  const auto b = vtt(
      "WEBVTT\n\n"
      "00:00:01.000 --> 00:00:04.000\n<v Mark Ellis>Welcome back.\n\n"
      "00:00:04.000 --> 00:00:05.000\n<v Mark Ellis>Today: Hana Sato.\n\n"
      "00:00:05.500 --> 00:00:07.000\nWho builds chairs.\n\n"
      "00:00:07.500 --> 00:00:09.000\n<v.guest Hana Sato>Thanks, Mark.</v>\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"Mark Ellis|Welcome back. Today: Hana Sato. Who builds chairs.",
                                                "Hana Sato|Thanks, Mark."}));
  EXPECT_EQ(b[0].pos, (source_pos{4, 15}));
  EXPECT_EQ(b[1].pos, (source_pos{13, 20}));
  EXPECT_EQ(b[0].kind, raw_kind::paragraph);
  EXPECT_TRUE(b[0].content.empty());
}

TEST(Captions, HeaderNotesStylesAndIdentifiersAreSkipped) {
  const auto b = vtt(
      "WEBVTT - Hana Sato on furniture\nKind: captions\nLanguage: en\n\n"
      "STYLE\n::cue { color: yellow }\n\n"
      "NOTE exported by hand\n\n"
      "REGION\nid:fred width:40%\n\n"
      "intro-1\n00:00:01.000 --> 00:00:04.000 align:start position:10%\n<v Mark Ellis>Hello.\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"|Hana Sato on furniture", "Mark Ellis|Hello."}));
  EXPECT_EQ(b[0].pos, (source_pos{1, 10}));
}

TEST(Captions, TagsGoAndReferencesAreRead) {
  const auto b = vtt(
      "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n"
      "<v Hana Sato><c.yellow>I</c> was <i>tired</i> &amp; <00:00:02.500>sleepy &lt;3 &#233;t&#xE9; &bogus; 1 < 2\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"Hana Sato|I was tired & sleepy <3 \u00e9t\u00e9 &bogus; 1 < 2"}));
}

TEST(Captions, SeveralVoicesInOneCue) {
  const auto b = vtt("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>Tea?</v> <v Bo>Please.\n<v Ann>Milk?\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"Ann|Tea?", "Bo|Please.", "Ann|Milk?"}));
}

TEST(Captions, NamesOpeningCuesAsZoomAndBroadcastsWriteThem) {
  const auto b = vtt(
      "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nPriya Natarajan: Thanks for coming.\n\n"
      "2\n00:00:02.000 --> 00:00:03.000\nTomas Lindqvist: Glad to.\n\n"
      "3\n00:00:03.000 --> 00:00:04.000\n>> PRIYA NATARAJAN: Sorry. Priya Natarajan: What now?\n\n"
      "4\n00:00:04.000 --> 00:00:05.000\n- Tomas Lindqvist: Lunch.\n\n"
      "5\n00:00:05.000 --> 00:00:06.000\nChapter 1: the end\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"Priya Natarajan|Thanks for coming.", "Tomas Lindqvist|Glad to.",
                                                "PRIYA NATARAJAN|Sorry. Priya Natarajan: What now?",
                                                "Tomas Lindqvist|Lunch.", "|Chapter 1: the end"}));
  EXPECT_EQ(b[3].pos, (source_pos{17, 20}));
}

TEST(Captions, SubRipNumbersTimingsDashesAndTags) {
  const auto b = srt(
      "1\n00:00:00,500 --> 00:00:03,200\n>> ANNA KOWALCZYK: Good evening,\nand welcome.\n\n"
      "2\n00:00:03,400 --> 00:00:06,000\n{\\an8}<font color=\"#ffff00\">Tonight: the flood.</font>\n\n"
      "3\n00:00:06,800 --> 00:00:09,100\n>> ROBERT DALE: Water.\n\n"
      "4\n00:00:09,300 --> 00:00:11,900\n>> ANNA KOWALCZYK: Will you rebuild?\n\n"
      "5\n00:00:12,000 --> 00:00:13,000\n>> ROBERT DALE: We must.\n- Really?\n- Yes.\n");
  EXPECT_EQ(turns(b),
            (std::vector<std::string>{"ANNA KOWALCZYK|Good evening, and welcome. Tonight: the flood.",
                                      "ROBERT DALE|Water.", "ANNA KOWALCZYK|Will you rebuild?", "ROBERT DALE|We must.",
                                      "|Really?", "|Yes."}));
}

TEST(Captions, RolledUpLinesAreReadOnce) {
  const auto b = vtt(
      "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nso how did you\n\n"
      "00:00:02.000 --> 00:00:02.010\nso how did you\n\n"
      "00:00:02.010 --> 00:00:04.000\nso how did you\nget<00:00:02.500><c> into</c><00:00:03.000><c> cooking</c>\n\n"
      "00:00:04.000 --> 00:00:06.000\nget into cooking\nmy mother mostly\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"|so how did you get into cooking my mother mostly"}));
}

TEST(Captions, WithoutSpeakersAPauseAfterASentenceStartsAParagraph) {
  const auto b = vtt(
      "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nIt was cold.\n\n"
      "00:00:02.100 --> 00:00:04.000\nVery cold.\n\n"
      "00:00:07.000 --> 00:00:09.000\nThen spring came,\n\n"
      "00:00:12.000 --> 00:00:14.000\nlate that year.\n");
  EXPECT_EQ(turns(b), (std::vector<std::string>{"|It was cold. Very cold.", "|Then spring came, late that year."}));
}

TEST(Captions, BrokenTimingsAreReportedAndTheTextKept) {
  diagnostics d;
  const auto b = vtt(
      "WEBVTT\n\n00:00:04.000 --> 00:00:0x.000\n<v Omar>My grandmother.\n\n"
      "00:00:09.000 -> 00:00:12.000\n<v Leila>Did she write it down?\n\n"
      "<v Omar>Never.\n",
      d);
  EXPECT_EQ(turns(b), (std::vector<std::string>{"Omar|My grandmother.", "Leila|Did she write it down?", "Omar|Never."}));
  ASSERT_EQ(d.list().size(), 3u) << d.to_text();
  EXPECT_EQ(d.list()[0].pos, (source_pos{3, 18}));
  EXPECT_EQ(d.list()[0].code, "cue-timing");
  EXPECT_EQ(d.list()[1].pos, (source_pos{6, 1}));
  EXPECT_EQ(d.list()[2].pos, (source_pos{9, 1}));
  for (const auto& x : d.list()) EXPECT_EQ(x.severity, severity::warning);
}

TEST(Captions, MissingHeaderIsReported) {
  diagnostics d;
  const auto b = vtt("00:00:01.000 --> 00:00:02.000\nHello.\n", d);
  EXPECT_EQ(turns(b), (std::vector<std::string>{"|Hello."}));
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].code, "webvtt-header");
}

TEST(Captions, EmptyAndOddInputs) {
  EXPECT_TRUE(vtt("WEBVTT\n").empty());
  EXPECT_TRUE(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n").empty());
  EXPECT_TRUE(srt("").empty());
  EXPECT_TRUE(vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann></v>\n").empty());
  diagnostics d;
  const auto b = vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<<<< <unclosed & {\\an8 <v\n", d);
  EXPECT_EQ(turns(b), (std::vector<std::string>{"|<<<< <unclosed & {\\an8 <v"}));
}
