// Language identification (parse/langdetect.cpp): the language of plain
// sentences, and answers that must not depend on where the words fall in
// the sixteen-byte blocks the scorer reads, on case, on the apostrophe, or
// on how the text is cut into pieces.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "parse/raw.hpp"

using namespace galley::parse;

namespace {

struct sample {
  std::string_view lang, text;
};

const sample samples[] = {
    {"en", "What they would have said about the war is not the question, but it was there with you and we are on it."},
    {"es", "Pero el pueblo de la costa, que ya no tiene muelle, fue para los pescadores una ciudad sin sus barcos."},
    {"pt", "Não é que ele não tenha visto, mas o que está na cidade já não é para você e também não para os outros."},
    {"fr", "Mais ce que nous avons vu dans la rue est une chose que les gens ne sont pas prêts à voir avec vous."},
    {"de", "Aber die Leute in der Stadt sind nicht auf das vorbereitet, was wir mit dem Wagen gesehen haben und noch."},
    {"it", "Non è che lui non abbia visto, ma questo è il punto della storia per gli altri e anche per la città."},
    {"ru", "Но это не то, что мы видели на улице, и если бы он был здесь, то уже только об этом и говорил."},
    {"uk", "Але це не те, що ми бачили на вулиці, і якщо він був тут, то також про це говорив би, коли прийшов."},
    {"ca", "Però quan els nens surten al pati, no parlen la llengua que fan servir a l'aula, i això és molt greu."},
    {"pl", "Nie wiem, czy to jest dobry pomysł, ale już jest za późno, żeby się wycofać, bo wszyscy na to czekają."},
    {"nl", "Het is niet zo dat we dat niet wilden, maar de mensen in de stad hebben er ook een mening over."},
};

const std::string_view docs[] = {"en", "es", "pt", "fr", "de", "it", "ru", "uk", "ca", "pl", "nl", "", "pt-BR"};

std::string upper_ascii(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return r;
}

}  // namespace

TEST(LangDetect, Sentences) {
  for (const auto& [lang, text] : samples) {
    EXPECT_EQ(detect_language(text), lang) << text;
    EXPECT_EQ(detect_language_tag(text), lang) << text;
    EXPECT_EQ(detect_other_language_tag(text, lang), "") << text;
  }
  EXPECT_EQ(detect_other_language_tag(samples[3].text, "en"), "fr");
  EXPECT_EQ(detect_other_language(samples[6].text, "de"), "ru");
  // Catalan beside Spanish, Polish beside Portuguese, Dutch beside German
  // and English: the languages that share the most words with them.
  EXPECT_EQ(detect_other_language_tag(samples[8].text, "es"), "ca");
  EXPECT_EQ(detect_other_language_tag(samples[9].text, "pt"), "pl");
  EXPECT_EQ(detect_other_language_tag(samples[10].text, "de"), "nl");
  EXPECT_EQ(detect_other_language_tag(samples[10].text, "en"), "nl");
  EXPECT_EQ(detect_language(""), "");
  EXPECT_EQ(detect_language("12345 !!! ..."), "");
}

TEST(LangDetect, CaseAndApostrophe) {
  for (const auto& [lang, text] : samples) EXPECT_EQ(detect_language(upper_ascii(text)), lang) << text;
  // Cyrillic and Latin-1 capitals fold as their small letters.
  EXPECT_EQ(detect_language("И В НЕ НА ЧТО С КАК ЭТО"), "ru");
  EXPECT_EQ(detect_language("NÃO É QUE ELE NÃO ESTÁ AQUI, MAS VOCÊ TAMBÉM NÃO"), "pt");
  // ’ is an apostrophe: "c’est" is the listed "c'est".
  const std::string typographic = "c’est c’est c’est c’est la vie";
  const std::string plain = "c'est c'est c'est c'est la vie";
  EXPECT_EQ(detect_language(typographic), detect_language(plain));
  EXPECT_EQ(detect_language(plain), "fr");
}

// Every shift of a text against the blocks, and every cut of its end, gives
// what the text gives with the words in the same places (spaces only added).
TEST(LangDetect, PlaceInBlocks) {
  for (const auto& [lang, text] : samples) {
    for (std::size_t pad = 0; pad < 40; ++pad) {
      const std::string shifted = std::string(pad, ' ') + std::string(text) + std::string(pad % 7, ' ');
      EXPECT_EQ(detect_language_tag(shifted), lang) << pad << ": " << text;
      for (std::string_view doc : docs)
        EXPECT_EQ(detect_other_language_tag(shifted, doc), detect_other_language_tag(text, doc)) << pad << " " << doc;
    }
    // The same words cut at any byte: a cut shortens at most one word, so
    // the answers for two cuts a word apart cannot differ by more than
    // that word; here, only that every cut of a valid text is read without
    // trouble and the whole text gives its language.
    for (std::size_t n = 0; n <= text.size(); ++n) (void)detect_language_tag(text.substr(0, n));
  }
  // Long words run over the blocks: a word of sixteen bytes or more is in
  // no list, and the words after it still count.
  const std::string long_words = "abcdefghijklmnopqrstuvwxyz und die der das ist nicht auch abcdefghijklmnopq";
  for (std::size_t pad = 0; pad < 20; ++pad) EXPECT_EQ(detect_language_tag(std::string(pad, ' ') + long_words), "de");
}

TEST(LangDetect, PiecesAsJoinedText) {
  std::vector<std::string_view> pieces;
  std::string joined;
  for (const auto& [lang, text] : samples) {
    pieces.push_back(text);
    if (!joined.empty()) joined += '\n';
    joined += text;
  }
  EXPECT_EQ(detect_language(pieces), detect_language(joined));
  const std::vector<std::string_view> one{samples[4].text};
  EXPECT_EQ(detect_language(one), "de");
}

TEST(LangDetect, WordLimit) {
  // 4,000 words are scored at most: German after them changes nothing.
  std::string text;
  for (int k = 0; k < 1000; ++k) text += "the and of to ";
  for (int k = 0; k < 2000; ++k) text += "der die und das ";
  EXPECT_EQ(detect_language(text), "en");
  // Pieces stop at the same word.
  std::vector<std::string_view> pieces;
  for (std::string_view rest = text; !rest.empty();) {
    const std::size_t n = std::min<std::size_t>(rest.size(), 997);
    pieces.push_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  EXPECT_EQ(detect_language(pieces), "en");
}

TEST(LangDetect, SharedWordsKeepTheOlderLanguage) {
  // Only words Spanish shares with Catalan: Spanish, as before Catalan was
  // listed; Catalan needs words of its own.
  EXPECT_EQ(detect_language("La investigadora del Instituto de Ciencias del Mar de Barcelona explica"), "es");
  EXPECT_EQ(detect_language("Els nens canvien de llengua quan surten al pati, però això no és culpa seva."), "ca");
  // English "I" and "do" are not Polish.
  EXPECT_NE(detect_language("What do you actually do all day? Mostly I move data. I do."), "pl");
  // A German related title with Dutch "was" and "die".
  EXPECT_EQ(detect_language("Klassik-Boom bei Jugendlichen? Was die Zahlen wirklich sagen"), "de");
  // Spanish words in an English paragraph are still Spanish.
  EXPECT_EQ(detect_other_language_tag("Desde Puno, nuestro corresponsal conversa con Rosa Quispe sobre la sequía que ha "
                                      "reducido el nivel del lago Titicaca",
                                      "en"),
            "es");
}

TEST(LangDetect, ShortParagraphs) {
  // Under eight words: three or more common words of one language, half
  // the words at least, and none of the document's.
  EXPECT_EQ(detect_other_language_tag("Je ne sais pas.", "en"), "fr");
  EXPECT_EQ(detect_other_language_tag("A: C'est la vie, vous savez.", "en"), "fr");
  EXPECT_EQ(detect_other_language_tag("It is what it is.", "de"), "en");
  EXPECT_EQ(detect_other_language_tag("Das ist nicht wahr.", "en"), "de");
  // Too few, or the document's words among them.
  EXPECT_EQ(detect_other_language_tag("Ana de la Torre", "en"), "");
  EXPECT_EQ(detect_other_language_tag("Die Hard, again.", "en"), "");
  EXPECT_EQ(detect_other_language_tag("No, no es para tanto.", "en"), "");
  EXPECT_EQ(detect_other_language_tag("Sí, és molt difícil, la veritat.", "es"), "");
  EXPECT_EQ(detect_other_language_tag("Je ne sais pas.", "fr"), "");
}
