#include <gtest/gtest.h>

#include "base/utf8.hpp"
#include "doc/check.hpp"
#include "doc/dump.hpp"
#include "doc/typography.hpp"
#include "samples.hpp"

using galley::doc::smarten;
using galley::doc::smarten_text;
using namespace samples;

namespace {

// Letters and digits in order: smarten must never change them.
std::string words_only(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t c = galley::utf8::next(s, i);
    if (galley::utf8::is_letter(c) || galley::utf8::is_digit(c)) galley::utf8::append(out, c);
  }
  return out;
}

void expect_smart(std::string_view in, std::string_view lang, std::string_view want) {
  const std::string got = smarten_text(in, lang);
  EXPECT_EQ(got, want) << "input: " << in << " (" << lang << ")";
  EXPECT_EQ(smarten_text(got, lang), got) << "not idempotent: " << in;
  EXPECT_EQ(words_only(got), words_only(in)) << "changed words: " << in;
}

// A document of one English answer of one paragraph, smartened.
document smartened_answer(galley::doc::inlines content) {
  document d;
  article a;
  a.lang = "en";
  a.title = "T";
  a.speakers = {{"Q", role::interviewer, "", ""}, {"A", role::interviewee, "", ""}};
  a.blocks.push_back(answer({para(std::move(content))}));
  d.articles.push_back(a);
  smarten(d);
  return d;
}

}  // namespace

TEST(Typography, English) {
  expect_smart("\"Hello,\" she said.", "en", "“Hello,” she said.");
  expect_smart("It's the 'real' thing", "en", "It’s the ‘real’ thing");
  expect_smart("the '90s and the students' books", "en", "the ’90s and the students’ books");
  expect_smart("He said \"she told me 'no'\" twice", "en", "He said “she told me ‘no’” twice");
  expect_smart("wait... what", "en", "wait… what");
  expect_smart("pages 10--20", "en", "pages 10–20");
  expect_smart("yes---no", "en", "yes—no");
  expect_smart("war - and peace", "en", "war\u00A0– and peace");
  expect_smart("well-known", "en", "well-known");
  expect_smart("it costs 3,99 € or 50 %", "en", "it costs 3,99\u00A0€ or 50\u00A0%");
  expect_smart("(\"quoted\")", "en", "(“quoted”)");
}

TEST(Typography, Spanish) {
  expect_smart("Dijo \"no hay solución militar\"...", "es", "Dijo “no hay solución militar”…");
  expect_smart("- Hola, ¿qué tal?", "es", "—Hola, ¿qué tal?");
  expect_smart("la paz - dijo - es posible", "es", "la paz\u00A0— dijo\u00A0— es posible");
  expect_smart("Ya usa «comillas»", "es", "Ya usa «comillas»");
}

TEST(Typography, Russian) {
  expect_smart("Он сказал \"военного решения нет\"", "ru", "Он сказал «военного решения нет»");
  expect_smart("\"Он сказал \"нет\" и ушёл\"", "ru", "«Он сказал „нет“ и\u00A0ушёл»");
  expect_smart("«Он сказал \"нет\"»", "ru", "«Он сказал „нет“»");
  expect_smart("- Привет, - сказал он.", "ru", "—\u00A0Привет,\u00A0— сказал он.");
  expect_smart("мы в лесу и у реки", "ru", "мы в\u00A0лесу и\u00A0у\u00A0реки");
  // A one-letter word right after an opening quote, and after an apostrophe.
  expect_smart("'я думаю'", "ru", "‘я\u00A0думаю’");
  expect_smart("\"я думаю\"", "ru", "«я\u00A0думаю»");
  expect_smart("д'А и", "ru", "д’А и");
}

TEST(Typography, French) {
  expect_smart("Il a dit \"non\" ; vraiment ? Oui !", "fr",
               "Il a dit «\u202Fnon\u202F»\u202F; vraiment\u202F? Oui\u202F!");
  expect_smart("Ceci: cela", "fr", "Ceci\u00A0: cela");
  expect_smart("à 12:30 sur https://example.org", "fr", "à 12:30 sur https://example.org");
  expect_smart("« déjà »", "fr", "«\u202Fdéjà\u202F»");
  expect_smart("l'homme", "fr", "l’homme");
}

TEST(Typography, QuotesAcrossInlineNodes) {
  const document d = smartened_answer({text("He said "), em("\"there is no military"), text(" solution\" -- twice.")});
  const auto& p = d.articles[0].blocks[0].blocks[0].content;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text, "He said ");
  EXPECT_EQ(p[1].children[0].text, "“there is no military");
  EXPECT_EQ(p[2].text, " solution”\u00A0– twice.");
}

TEST(Typography, LanguageOfForeignSpansAndBlocks) {
  document d;
  article a;
  a.lang = "en";
  a.title = "\"Title\"";
  a.speakers = {{"Q", role::interviewer, "", ""}, {"A", role::interviewee, "", ""}};
  a.blocks.push_back(answer({para({text("As they say, "), foreign("ru", "\"худой мир\""), text(".")})}));
  a.blocks.push_back(related("Para ampliar:", "\"La guerra\"", "https://example.org", "es"));
  d.articles.push_back(a);
  smarten(d);
  EXPECT_EQ(d.articles[0].title, "“Title”");
  EXPECT_EQ(d.articles[0].blocks[0].blocks[0].content[1].children[0].text, "«худой мир»");
  EXPECT_EQ(d.articles[0].blocks[1].content[0].text, "“La guerra”");
}

TEST(Typography, InsertionsAndCodeAreOpaque) {
  inline_node code = node(inline_kind::code, "x -- \"y\"");
  const document d = smartened_answer({text("\""), insertion("Belarus"), text(" is ready,\" he said "), code});
  const auto& p = d.articles[0].blocks[0].blocks[0].content;
  EXPECT_EQ(p[0].text, "“");
  EXPECT_EQ(p[2].text, " is ready,” he said ");
  EXPECT_EQ(p[3].text, "x -- \"y\"");
}

TEST(Typography, WholeDocumentIsIdempotentAndKeepsTheTreeSound) {
  for (auto d : {interview(), russian(), spanish(), book(3)}) {
    const std::string before = words_only(galley::doc::to_text(d));
    smarten(d);
    EXPECT_TRUE(galley::doc::check(d).empty());
    const std::string once = galley::doc::to_text(d);
    smarten(d);
    EXPECT_EQ(galley::doc::to_text(d), once);
    EXPECT_EQ(words_only(once), before);
  }
}

TEST(Typography, EllipsisSplitAcrossNodesLeavesNoEmptyText) {
  const document d = smartened_answer({text("and then."), em(".."), text(" nothing")});
  EXPECT_TRUE(galley::doc::check(d).empty());
  EXPECT_EQ(galley::doc::plain_text(d.articles[0].blocks[0].blocks[0].content), "and then… nothing");
}

TEST(Typography, SignsAndOneLetterWords) {
  expect_smart("№ 5, § 12 and 10 % or 5\t€", "en", "№\u00A05, §\u00A012 and 10\u00A0% or 5\u00A0€");
  expect_smart("«\u00A0oui\u00A0»", "fr", "«\u202Foui\u202F»");
  expect_smart("12:30 : oui", "fr", "12:30\u00A0: oui");
  expect_smart("и - он", "ru", "и\u00A0— он");
  expect_smart("Он ушёл... в лес", "ru", "Он ушёл… в\u00A0лес");
}

// The rules read the characters around them across nodes: a Russian
// one-letter word at the end of a foreign span keeps the next node's space,
// and a sign in a node of its own keeps the number before it.
TEST(Typography, RulesSeeNeighbouringNodes) {
  const document d = smartened_answer({text("So "), foreign("ru", "Он и"), text(" 50 "), em("%"), text(" done.")});
  const auto& p = d.articles[0].blocks[0].blocks[0].content;
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[1].children[0].text, "Он и");
  EXPECT_EQ(p[2].text, "\u00A050\u00A0");
  EXPECT_EQ(p[3].children[0].text, "%");
  EXPECT_EQ(p[4].text, " done.");
}

// Malformed UTF-8 is left alone in text that needs no change, and reads as
// U+FFFD in text that does.
TEST(Typography, MalformedBytes) {
  EXPECT_EQ(smarten_text("\xff a", "en"), "\xff a");
  EXPECT_EQ(smarten_text("\xff \"a\"", "en"), "\uFFFD “a”");
  EXPECT_EQ(smarten_text("\xe2\x80 'a", "en"), "\uFFFD\uFFFD ‘a");
}
