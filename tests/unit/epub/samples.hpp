// Document trees built by hand for the EPUB tests, and helpers to check what
// the back end writes (zip central directory, epubcheck).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "doc/tree.hpp"
#include "epub/epub.hpp"

namespace samples {

using namespace galley::doc;

inline std::filesystem::path data_dir() { return std::filesystem::path(GALLEY_TEST_DATA) / "unit/epub/data"; }
inline std::filesystem::path style_css(const std::string& style) {
  return std::filesystem::path(GALLEY_TEST_DATA).parent_path() / "styles" / style / "epub.css";
}

inline inline_node node(inline_kind k, std::string text_or_empty, std::vector<inline_node> children = {}) {
  inline_node n;
  n.kind = k;
  n.text = std::move(text_or_empty);
  n.children = std::move(children);
  return n;
}
inline inline_node em(std::string s) { return node(inline_kind::emphasis, "", {text(std::move(s))}); }
inline inline_node strong(std::string s) { return node(inline_kind::strong, "", {text(std::move(s))}); }
inline inline_node insertion(std::string s) { return node(inline_kind::insertion, std::move(s)); }
inline inline_node direction(std::string s) { return node(inline_kind::direction, std::move(s)); }
inline inline_node link(std::string label, std::string url) {
  auto n = node(inline_kind::link, "", {text(std::move(label))});
  n.target = std::move(url);
  return n;
}
inline inline_node foreign(std::string lang, std::string s) {
  auto n = node(inline_kind::foreign, "", {text(std::move(s))});
  n.lang = std::move(lang);
  return n;
}

inline std::uint32_t next_line = 10;
inline block para(inlines content) {
  block b;
  b.kind = block_kind::paragraph;
  b.pos = {next_line++, 1};
  b.content = std::move(content);
  return b;
}
inline block para(std::string s) { return para(inlines{text(std::move(s))}); }
inline block simple(block_kind k, inlines content) {
  block b = para(std::move(content));
  b.kind = k;
  return b;
}
inline block turn(block_kind k, int speaker, std::vector<block> paragraphs) {
  block b;
  b.kind = k;
  b.pos = {next_line++, 1};
  b.speaker = speaker;
  b.blocks = std::move(paragraphs);
  return b;
}
inline block question(std::string s) { return turn(block_kind::question, 0, {para(std::move(s))}); }
inline block answer(std::vector<block> paragraphs, int speaker = 1) {
  return turn(block_kind::answer, speaker, std::move(paragraphs));
}
inline block figure(std::string caption, std::string credit, std::string image = {}, std::string alt = {}) {
  block b;
  b.kind = block_kind::figure;
  b.pos = {next_line++, 1};
  if (!caption.empty()) b.caption = {text(std::move(caption))};
  b.credit = std::move(credit);
  b.image = std::move(image);
  b.alt = std::move(alt);
  return b;
}
inline block related(std::string marker, std::string title, std::string url, std::string lang = {}) {
  block b;
  b.kind = block_kind::related;
  b.pos = {next_line++, 1};
  b.marker = std::move(marker);
  b.content = {text(std::move(title))};
  b.target = std::move(url);
  b.lang = std::move(lang);
  return b;
}

// A realistic English interview: lead, figures with and without an image,
// related links in Spanish, insertions, directions, foreign words, a link,
// a heading, a pull quote, a note and a separator.
inline document interview(bool with_images = true) {
  document d;
  d.metadata.publisher = "Galley Press";
  d.metadata.date = "2024-03-12";
  article a;
  a.title = "Yuri Ambrazevich: \"Russia never requested that our army enter the conflict\"";
  a.subtitle = "A conversation on diplomacy, borders and the Union State";
  a.byline = "By Alejandro López";
  a.lang = "en";
  a.subject = "Europe";
  a.date = "2024-03-12";
  a.source = "https://example.org/europe/ambrazevich-interview";
  a.source_name = "ambrazevich.txt";
  a.speakers = {{"Alejandro López", role::interviewer, "Journalist", "Q"},
                {"Yuri Ambrazevich", role::interviewee, "Deputy Foreign Minister of the Republic of Belarus", "A"}};
  a.label_style = label_style::qa;
  a.blocks.push_back(simple(block_kind::lead,
                            {text("On his trip through the post-Soviet space, Alejandro López met Yuri Ambrazevich, "
                                  "Deputy Minister of Foreign Affairs, to talk about the war, mediation and the "
                                  "country's place between Moscow and the West.")}));
  if (with_images)
    a.blocks.push_back(figure("Yuri Ambrazevich at the United Nations in Geneva.", "Photo: UN Geneva", "figure.png",
                              "Yuri Ambrazevich speaking at a lectern in front of a blue wall"));
  a.blocks.push_back(question("First of all, we would like to talk about diplomacy. Belarus offered to mediate "
                              "between Ukraine and Russia -- how do you think the war could end?"));
  a.blocks.push_back(answer(
      {para({text("Thank you for the interest in the position of the Republic of Belarus. It's not often that we "
                  "hear it from the West "),
             direction("laughs"), text(". We said from the very first days that "), em("\"there is no military"),
             text(" solution\", and we still say it.")}),
       para({text("The negotiations in "), insertion("March 2022"),
             text(" showed that a compromise was possible... Then it was blocked. As the Russians say, "),
             foreign("ru", "\"худой мир лучше доброй ссоры\""), text(".")})}));
  a.blocks.push_back(related("Para ampliar:", "Bielorrusia ante la guerra de Ucrania",
                             "https://example.org/es/bielorrusia-guerra", "es"));
  a.blocks.push_back(question("Will Belarus formally recognise the territories annexed by Russia?"));
  a.blocks.push_back(answer({para("This question is not on our agenda today. Our position is based on "
                                  "international law - and on the interests of our people."),
                             para({text("You can read the ministry's statements on "),
                                   link("its website", "https://mfa.gov.by/en/"), text(".")})}));
  block h = simple(block_kind::heading, {text("The Union State")});
  h.level = 2;
  a.blocks.push_back(h);
  a.blocks.push_back(question("Will Belarus end up integrating with Russia within the Union State?"));
  a.blocks.push_back(answer({para("Integration is about the economy: a common market, common rules, "
                                  "3,99 € of difference in the price of fuel is not an empire."),
                             para("We are a sovereign state and will remain one.")}));
  a.blocks.push_back(simple(block_kind::quote, {text("\"We are a sovereign state and will remain one.\"")}));
  if (with_images)
    a.blocks.push_back(figure("Minsk, Independence Avenue.", "Photo: Galley archive", "figure.jpg",
                              "A wide avenue with classical buildings under a blue sky"));
  a.blocks.push_back(figure("The ministry building in Minsk (photo not available).", "Archive"));
  block sep;
  sep.kind = block_kind::separator;
  sep.pos = {next_line++, 1};
  a.blocks.push_back(sep);
  a.blocks.push_back(simple(block_kind::note, {text("This interview has been edited for length and clarity.")}));
  d.articles.push_back(std::move(a));
  return d;
}

// An interview in Russian, labelled with names.
inline document russian() {
  document d;
  article a;
  a.title = "Юрий Амбразевич: \"Россия никогда не просила\"";
  a.byline = "Беседовал Алексей Петров";
  a.lang = "ru";
  a.subject = "Политика";
  a.source_name = "ru.txt";
  a.speakers = {{"Алексей Петров", role::interviewer, "", ""},
                {"Юрий Амбразевич", role::interviewee, "заместитель министра иностранных дел", ""}};
  a.label_style = label_style::initials;
  a.blocks.push_back(question("Как, по-вашему, может закончиться война?"));
  a.blocks.push_back(answer({para("Мы с первых дней говорили: \"военного решения нет\" - и это так."),
                             para({text("Переговоры "), insertion("в марте 2022 года"),
                                   text(" показали, что компромисс возможен...")})}));
  a.blocks.push_back(question("А что с Союзным государством?"));
  a.blocks.push_back(answer({para("Это прежде всего экономика.")}));
  d.articles.push_back(std::move(a));
  return d;
}

inline document spanish() {
  document d;
  article a;
  a.title = "\"La diplomacia no ha muerto\"";
  a.lang = "es";
  a.source_name = "es.txt";
  a.speakers = {{"", role::interviewer, "", "Pregunta"}, {"Yuri Ambrazevich", role::interviewee, "", "Respuesta"}};
  a.blocks.push_back(question("¿Cómo puede terminar la guerra?"));
  a.blocks.push_back(answer({para("Decimos desde el principio que \"no hay solución militar\"...")}));
  d.articles.push_back(std::move(a));
  return d;
}

// A book of fifty interviews.
inline document book(int n = 50) {
  document d;
  d.metadata.title = "Fifty Conversations";
  d.metadata.subtitle = "Interviews from the archive";
  d.metadata.language = "en";
  d.metadata.publisher = "Galley Press";
  d.metadata.date = "2025";
  d.metadata.contributors = {{"The Editors", role::interviewer, ""}};
  d.metadata.subjects = {"Interviews", "Politics"};
  for (int i = 1; i <= n; ++i) {
    article a;
    a.title = "Conversation number " + std::to_string(i);
    a.lang = "en";
    a.source_name = "a" + std::to_string(i) + ".txt";
    a.speakers = {{"Interviewer " + std::to_string(i), role::interviewer, "", "Q"},
                  {"Guest " + std::to_string(i), role::interviewee, "", "A"}};
    a.label_style = i % 2 ? label_style::names : label_style::qa;
    a.blocks.push_back(question("What brought you here, number " + std::to_string(i) + "?"));
    a.blocks.push_back(answer({para("A long road, and many questions."), para("And some answers.")}));
    d.articles.push_back(std::move(a));
  }
  return d;
}

inline galley::epub::epub_options options(const std::string& style = "classic") {
  galley::epub::epub_options o;
  o.style_name = style;
  o.modified = "2024-05-01T12:00:00Z";
  o.base_dir = data_dir().string();
  return o;
}

}  // namespace samples
