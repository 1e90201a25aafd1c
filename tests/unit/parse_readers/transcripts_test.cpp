// Transcript exports: read_speaker_lines over plain text ("Ruth Adeyemi
// 0:02", "Interviewer (00:00:03):") and the helpers the caption reader
// shares (times in a recording, speakers' names).
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"
#include "parse/transcripts.hpp"

using namespace galley;
using namespace galley::parse;

namespace {

// "speaker|text" for each block.
std::vector<std::string> turns(const std::vector<raw_block>& blocks) {
  std::vector<std::string> out;
  for (const auto& b : blocks) out.push_back(b.speaker + "|" + b.text);
  return out;
}

std::vector<raw_block> plain_export(std::string_view text, diagnostics& d) {
  auto blocks = read_plain(text, 1, d);
  read_speaker_lines(blocks, d);
  return blocks;
}

}  // namespace

TEST(MediaTime, MinutesSecondsHoursAndFractions) {
  using transcript::media_time_ms;
  EXPECT_EQ(media_time_ms("0:02"), 2000);
  EXPECT_EQ(media_time_ms("12:31"), 751000);
  EXPECT_EQ(media_time_ms("1:02:33"), 3753000);
  EXPECT_EQ(media_time_ms("00:00:03.120"), 3120);
  EXPECT_EQ(media_time_ms("00:00:03,5"), 3500);
  EXPECT_EQ(media_time_ms("00:01.000"), 1000);
  for (std::string_view no : {"", "12", "1:2", "00:60", "00:00:0x.000", "1:02:03:04", "00:00:01.", "12:30 pm", "a:00"})
    EXPECT_EQ(media_time_ms(no), -1) << no;
}

TEST(SpeakerName, NamesAndRolesButNoSentences) {
  using transcript::is_speaker_name;
  for (std::string_view yes : {"Ruth Adeyemi", "Dr. Lena Fischer", "SAMUEL OKORO", "Juan de la Cruz", "Speaker 1",
                               "Interviewer", "Agnieszka Wróbel", "Ruth Adeyemi-Clarke", "Conor O'Neil"})
    EXPECT_TRUE(is_speaker_name(yes)) << yes;
  for (std::string_view no : {"", "we met at", "Updated at", "Speaker 1 2", "12 Speaker", "Jane, Doe", "R2D2 Unit",
                              "One Two Three Four Five Six"})
    EXPECT_FALSE(is_speaker_name(no)) << no;
}

TEST(SpeakerName, AnonymousLabels) {
  using transcript::is_anonymous_speaker;
  for (std::string_view yes : {"Speaker 1", "speaker 12", "Unknown Speaker", "Sprecher 2", "Guest 3", "Speaker A"})
    EXPECT_TRUE(is_anonymous_speaker(yes)) << yes;
  for (std::string_view no : {"Guest", "Host", "Interviewer", "Ruth Adeyemi", "Speaker Pelosi", "Q"})
    EXPECT_FALSE(is_anonymous_speaker(no)) << no;
}

TEST(SpeakerLines, OtterRevDescriptTeamsAndZoom) {
  for (std::string_view line : {"Ruth Adeyemi  0:02", "Ruth Adeyemi 00:01:22", "Ruth Adeyemi (00:00:03):",
                                "Ruth Adeyemi [00:00:03]:", "[10:02] Ruth Adeyemi", "[10:02 AM] Ruth Adeyemi",
                                "[Ruth Adeyemi] 10:02:33", "Ruth Adeyemi 10:02 PM"}) {
    std::string text = "A title\n\n";
    for (int k = 0; k < 2; ++k) {
      text.append(line).append("\nWhere did you grow up?\n\n");
      text.append("Samuel Okoro  0:09\nIn Ibadan.\n\n");
    }
    diagnostics d;
    const auto b = plain_export(text, d);
    EXPECT_EQ(turns(b), (std::vector<std::string>{"|A title", "Ruth Adeyemi|Where did you grow up?",
                                                  "Samuel Okoro|In Ibadan.", "Ruth Adeyemi|Where did you grow up?",
                                                  "Samuel Okoro|In Ibadan."}))
        << line;
    ASSERT_EQ(b.size(), 5u);
    EXPECT_EQ(b[1].pos, (source_pos{4, 1}));
    EXPECT_FALSE(b[1].same_group);
    EXPECT_TRUE(d.has_code("speaker-lines"));
  }
}

TEST(SpeakerLines, OnlyWhereASpeakerRecurs) {
  diagnostics d;
  // Times after words that are no speakers, or speakers once each.
  for (std::string_view text : {"Updated 12:30\nThe council met.\n\nUpdated 12:45\nIt voted.\n",
                                "Doors 19:30\nBring a coat.\n\nShow 20:00\nNo photos.\n",
                                "we met at 10:30\nand talked.\n\nwe met at 10:30\nagain.\n"}) {
    const auto b = plain_export(text, d);
    EXPECT_EQ(b.size(), 4u) << text;
    for (const auto& x : b) EXPECT_TRUE(x.speaker.empty()) << text;
  }
  EXPECT_FALSE(d.has_code("speaker-lines"));
}
