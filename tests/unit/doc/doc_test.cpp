#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doc/check.hpp"
#include "doc/dump.hpp"

using namespace galley;
using namespace galley::doc;

namespace {
document sample() {
  document d;
  d.metadata.title = "T";
  d.metadata.language = "en";
  article a;
  a.title = "T";
  a.lang = "en";
  a.speakers = {{"Ann Asker", role::interviewer, "", "Q"}, {"Bo Teller", role::interviewee, "Poet", "A"}};
  block q{block_kind::question, {3, 1}};
  q.speaker = 0;
  block qp{block_kind::paragraph, {3, 4}};
  qp.content = {text("Why?")};
  q.blocks.push_back(qp);
  block ans{block_kind::answer, {5, 1}};
  ans.speaker = 1;
  block ap{block_kind::paragraph, {5, 4}};
  inline_node ins{inline_kind::insertion, "in 2023"};
  ap.content = {text("Because "), ins, text(".")};
  ans.blocks.push_back(ap);
  block rel{block_kind::related, {6, 1}};
  rel.content = {text("Otra cosa")};
  rel.lang = "es";
  ans.blocks.push_back(rel);
  a.blocks = {q, ans};
  d.articles.push_back(a);
  return d;
}
}  // namespace

TEST(Check, SoundTreePasses) { EXPECT_TRUE(check(sample()).empty()); }

TEST(Check, CatchesBrokenInvariants) {
  auto d = sample();
  d.articles[0].blocks[0].speaker = 7;
  d.articles[0].blocks[1].blocks[0].pos = {};
  d.articles[0].blocks[1].blocks[1].lang = "!!";
  auto p = check(d);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_NE(p[0].find("out of range"), std::string::npos);
}

TEST(Check, TurnsDoNotNest) {
  auto d = sample();
  auto inner = d.articles[0].blocks[0];
  d.articles[0].blocks[1].blocks.push_back(inner);
  EXPECT_FALSE(check(d).empty());
}

TEST(Check, LanguageTagsInBcp47Case) {
  using galley::doc::normalize_language;
  EXPECT_EQ(normalize_language("en"), "en");
  EXPECT_EQ(normalize_language("DE_at"), "de-AT");
  EXPECT_EQ(normalize_language("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(normalize_language("es-419"), "es-419");
  EXPECT_EQ(normalize_language("de-CH-1901"), "de-CH-1901");
  EXPECT_EQ(normalize_language("SR-LATN"), "sr-Latn");
  for (const char* bad : {"", "e", "english", "en-", "-en", "en--us", "en_US_x!", "12", "en-toolongsubtag", "ru-ру"})
    EXPECT_EQ(normalize_language(bad), "") << bad;
  // check() takes only tags in that case.
  auto d = sample();
  d.articles[0].lang = "DE_at";
  EXPECT_FALSE(check(d).empty());
  d.articles[0].lang = "de-AT";
  EXPECT_TRUE(check(d).empty());
}

TEST(Dump, JsonFollowsTheContract) {
  auto j = nlohmann::json::parse(to_json(sample()));
  EXPECT_EQ(j["metadata"]["language"], "en");
  auto& blocks = j["articles"][0]["blocks"];
  EXPECT_EQ(blocks[0]["type"], "question");
  EXPECT_EQ(blocks[0]["speaker"], "Ann Asker");
  EXPECT_EQ(blocks[0]["line"], 3);
  EXPECT_EQ(blocks[1]["blocks"][0]["text"], "Because [in 2023].");
  EXPECT_EQ(blocks[1]["blocks"][1]["type"], "related");
  EXPECT_EQ(blocks[1]["blocks"][1]["lang"], "es");
}

TEST(Dump, TextIsReadable) {
  auto t = to_text(sample());
  EXPECT_NE(t.find("3:1 question by Ann Asker"), std::string::npos);
  EXPECT_NE(t.find("Because [+in 2023]."), std::string::npos);
  EXPECT_NE(t.find("related (es): Otra cosa"), std::string::npos);
}
