// Stage 2: split_front_matter (TOML between +++, simple YAML between ---).
#include <gtest/gtest.h>

#include <string>

#include "parse/raw.hpp"

using namespace galley;
using namespace galley::parse;

TEST(FrontMatter, NoneGivesTheWholeText) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text = "Title\n\nBody\n";
  EXPECT_EQ(split_front_matter(text, fm, first, d), text);
  EXPECT_EQ(first, 1u);
  EXPECT_FALSE(fm.present);
  EXPECT_TRUE(d.list().empty());
}

TEST(FrontMatter, TomlValuesListsAndPeople) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text =
      "+++\n"
      "title = \"Talking to Belarus\"\n"
      "lang = \"en\"\n"
      "date = 2023-09-14\n"
      "year = 2023\n"
      "rating = 4.5\n"
      "draft = false\n"
      "images = [\"a.jpg\", \"b.png\"]\n"
      "subject = \"Europe\"\n"
      "subjects = [\"Diplomacy\", \"War\"]\n"
      "interviewer = \"Alejandro L\xC3\xB3pez\"\n"
      "keywords = [\"belarus\", \"ukraine\"]\n"
      "[interviewee]\n"
      "name = \"Yuri Ambrazevich\"\n"
      "description = \"Deputy Foreign Minister\"\n"
      "+++\n"
      "Body line\n";
  const std::string_view body = split_front_matter(text, fm, first, d);
  EXPECT_EQ(body, "Body line\n");
  EXPECT_EQ(first, 17u);
  EXPECT_TRUE(d.list().empty()) << d.to_text();
  EXPECT_TRUE(fm.present);
  EXPECT_EQ(fm.values.at("title"), "Talking to Belarus");
  EXPECT_EQ(fm.values.at("lang"), "en");
  EXPECT_EQ(fm.values.at("date"), "2023-09-14");
  EXPECT_EQ(fm.values.at("year"), "2023");
  EXPECT_EQ(fm.values.at("rating"), "4.5");
  EXPECT_EQ(fm.values.at("draft"), "false");
  EXPECT_EQ(fm.values.at("keywords"), "belarus, ukraine");  // unknown keys are kept
  EXPECT_EQ(fm.values.count("subject"), 0u);
  EXPECT_EQ(fm.images, (std::vector<std::string>{"a.jpg", "b.png"}));
  ASSERT_EQ(fm.subjects.size(), 3u);
  EXPECT_NE(std::find(fm.subjects.begin(), fm.subjects.end(), "Europe"), fm.subjects.end());
  EXPECT_NE(std::find(fm.subjects.begin(), fm.subjects.end(), "War"), fm.subjects.end());
  EXPECT_EQ(fm.interviewer, "Alejandro L\xC3\xB3pez");
  EXPECT_EQ(fm.interviewer_description, "");
  EXPECT_EQ(fm.interviewee, "Yuri Ambrazevich");
  EXPECT_EQ(fm.interviewee_description, "Deputy Foreign Minister");
}

TEST(FrontMatter, TomlDateTimeAndNestedTables) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text =
      "+++  \n"
      "published = 2024-01-02T03:04:05Z\n"
      "[source]\n"
      "url = \"https://example.org/a\"\n"
      "+++\n";
  EXPECT_EQ(split_front_matter(text, fm, first, d), "");
  EXPECT_EQ(first, 6u);
  EXPECT_EQ(fm.values.at("published"), "2024-01-02T03:04:05Z");
  EXPECT_EQ(fm.values.at("source.url"), "https://example.org/a");
}

TEST(FrontMatter, BadTomlIsAnErrorAtItsInputLine) {
  diagnostics d("a.txt");
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text =
      "+++\n"
      "title = \"ok\"\n"
      "this line is wrong\n"
      "+++\n"
      "Body\n";
  EXPECT_EQ(split_front_matter(text, fm, first, d), "Body\n");
  EXPECT_EQ(first, 5u);
  EXPECT_FALSE(fm.present);
  EXPECT_TRUE(fm.values.empty());
  ASSERT_EQ(d.list().size(), 1u);
  const auto& e = d.list()[0];
  EXPECT_EQ(e.severity, severity::error);
  EXPECT_EQ(e.code, "front-matter");
  EXPECT_EQ(e.pos.line, 3u);
  EXPECT_EQ(e.pos.col, 6u);  // toml++ points after the bare key "this"
  EXPECT_TRUE(e.message.starts_with("front matter is not valid TOML: ")) << e.message;
  EXPECT_FALSE(e.message.ends_with(".")) << e.message;
  EXPECT_EQ(e.notes.at(0), "the front matter block is ignored");
}

TEST(FrontMatter, BadTomlValueColumn) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  split_front_matter("+++\n\n\ndraft = trUe\n+++\n", fm, first, d);
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].pos.line, 4u);
  EXPECT_GE(d.list()[0].pos.col, 9u);
}

TEST(FrontMatter, UnclosedBlockIsAnErrorAndTheTextIsBody) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text = "+++\ntitle = \"x\"\nBody\n";
  EXPECT_EQ(split_front_matter(text, fm, first, d), text);
  EXPECT_EQ(first, 1u);
  EXPECT_FALSE(fm.present);
  ASSERT_EQ(d.list().size(), 1u);
  EXPECT_EQ(d.list()[0].severity, severity::error);
  EXPECT_EQ(d.list()[0].code, "front-matter");
  EXPECT_EQ(d.list()[0].pos, (source_pos{1, 1}));
}

TEST(FrontMatter, PlusesLaterInTheTextAreNotFrontMatter) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text = "Body\n+++\nx = 1\n+++\n";
  EXPECT_EQ(split_front_matter(text, fm, first, d), text);
  EXPECT_FALSE(fm.present);
  EXPECT_TRUE(d.list().empty());
}

TEST(FrontMatter, SimpleYaml) {
  diagnostics d;
  front_matter fm;
  std::uint32_t first = 0;
  const std::string text =
      "---\n"
      "title: \"Hello: world\"\n"
      "lang: es   # Spanish\n"
      "subjects: [Europe, \"War, peace\"]\n"
      "interviewee:\n"
      "  name: Yuri Ambrazevich\n"
      "  description: 'Deputy Foreign Minister'\n"
      "images:\n"
      "  - a.jpg\n"
      "  - b.jpg\n"
      "---\n"
      "\n"
      "Body\n";
  EXPECT_EQ(split_front_matter(text, fm, first, d), "\nBody\n");
  EXPECT_EQ(first, 12u);
  EXPECT_TRUE(d.list().empty());
  EXPECT_TRUE(fm.present);
  EXPECT_EQ(fm.values.at("title"), "Hello: world");
  EXPECT_EQ(fm.values.at("lang"), "es");
  EXPECT_EQ(fm.subjects, (std::vector<std::string>{"Europe", "War, peace"}));
  EXPECT_EQ(fm.interviewee, "Yuri Ambrazevich");
  EXPECT_EQ(fm.interviewee_description, "Deputy Foreign Minister");
  EXPECT_EQ(fm.images, (std::vector<std::string>{"a.jpg", "b.jpg"}));
}

TEST(FrontMatter, RuleAtTheTopIsNotYaml) {
  for (const std::string text : {"---\nSome text of the article.\n---\nMore\n", "---\nQ: Who are you?\n---\n",
                                 "---\n\n---\n", "---\ntitle: x\nno colon line\n---\n", "---\ntitle: x\n"}) {
    diagnostics d;
    front_matter fm;
    std::uint32_t first = 0;
    EXPECT_EQ(split_front_matter(text, fm, first, d), text) << text;
    EXPECT_EQ(first, 1u);
    EXPECT_FALSE(fm.present);
    EXPECT_TRUE(d.list().empty());
  }
}
