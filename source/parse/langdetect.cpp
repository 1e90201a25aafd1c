// Language identification by common words. Interviews are long enough that
// the most frequent function words of a language identify it reliably; for a
// short line (a related-article title) the caller passes a hint.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <cstdint>

#include "base/utf8.hpp"
#include "parse/raw.hpp"

namespace galley::parse {

namespace {

struct language {
  const char* tag;
  std::initializer_list<const char*> words;
};

// Words frequent in one language and rare in the others. Words shared by two
// languages (es/pt "de", "que") are kept: they count for both, and the
// distinctive ones decide.
const std::array<language, 8> languages{{
    {"en", {"the", "and", "of", "to", "is", "that", "in", "it", "was", "for", "we", "you", "with", "this",
            "have", "are", "not", "but", "be", "they", "what", "on", "which", "would", "there", "about"}},
    {"es", {"el", "la", "de", "que", "y", "en", "los", "las", "del", "se", "por", "un", "una", "con",
            "para", "es", "su", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "fue", "este",
            "ha", "sí", "porque", "esta", "muy", "sin", "sobre", "también", "nos", "hay", "cuando"}},
    {"pt", {"o", "de", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no",
            "na", "por", "mais", "as", "dos", "como", "mas", "ao", "ele", "das", "à", "seu", "sua", "ou",
            "quando", "muito", "nos", "já", "também", "só", "pelo", "pela", "isso", "está", "você"}},
    {"fr", {"le", "la", "les", "de", "des", "et", "est", "un", "une", "du", "en", "que", "qui", "dans",
            "pour", "pas", "au", "ce", "il", "sur", "ne", "se", "nous", "vous", "avec", "mais", "sont",
            "cette", "été", "aux", "ont", "je", "c'est", "plus", "être"}},
    {"de", {"der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für",
            "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "wir", "sie", "ich",
            "werden", "aus", "er", "hat", "dass", "sind", "noch", "wie", "einer", "aber", "oder"}},
    {"it", {"il", "di", "che", "e", "la", "per", "un", "in", "non", "una", "sono", "del", "della",
            "le", "gli", "si", "con", "ma", "come", "anche", "nel", "alla", "questo", "ci", "è", "più",
            "lo", "dei", "molto", "perché", "stato", "delle", "ha"}},
    {"ru", {"и", "в", "не", "на", "что", "с", "как", "это", "по", "но", "мы", "к", "из", "у", "за",
            "он", "от", "же", "так", "для", "о", "бы", "все", "то", "его", "вы", "был", "она", "они",
            "я", "если", "уже", "или", "нет", "есть", "было", "только", "когда"}},
    {"uk", {"і", "в", "не", "на", "що", "з", "як", "це", "та", "до", "у", "ми", "за", "від", "але",
            "він", "вона", "вони", "для", "про", "є", "який", "також", "тому", "якщо", "було", "коли"}},
}};

// The word list as an open-addressing hash table: a few hundred words, so a
// 1024-slot table keeps probes short, and FNV-1a on a short word is cheaper
// than the standard library's hash.
struct word_table {
  static constexpr std::size_t size = 1024;
  std::array<std::string_view, size> keys{};
  std::array<unsigned, size> bits{};  // bit set of languages

  static std::size_t hash(std::string_view w) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : w) h = (h ^ c) * 16777619u;
    return h & (size - 1);
  }
  word_table() {
    for (std::size_t l = 0; l < languages.size(); ++l)
      for (const char* w : languages[l].words) {
        std::string_view key = w;
        std::size_t i = hash(key);
        while (!keys[i].empty() && keys[i] != key) i = (i + 1) & (size - 1);
        keys[i] = key;
        bits[i] |= 1u << l;
      }
  }
  unsigned find(std::string_view w) const {
    for (std::size_t i = hash(w);; i = (i + 1) & (size - 1)) {
      if (keys[i].empty()) return 0;
      if (keys[i] == w) return bits[i];
    }
  }
};

const word_table& table() {
  static const word_table t;
  return t;
}

}  // namespace

namespace {
std::array<int, languages.size()> score_words(std::string_view text, int& words) {
  const auto& t = table();
  std::array<int, languages.size()> score{};
  // The current word, lower-cased, in a fixed buffer: no allocation per word.
  // Words longer than any listed one are only counted.
  char word[32];
  std::size_t len = 0;
  bool too_long = false;
  auto flush = [&] {
    if (len == 0 && !too_long) return;
    ++words;
    if (!too_long) {
      if (unsigned b = t.find(std::string_view(word, len)))
        for (std::size_t l = 0; l < languages.size(); ++l)
          if (b & (1u << l)) ++score[l];
    }
    len = 0;
    too_long = false;
  };
  // Score at most the first ~4000 words: more adds time, not certainty.
  for (std::size_t i = 0; i < text.size() && words < 4000;) {
    auto b = static_cast<unsigned char>(text[i]);
    char32_t c;
    if (b < 0x80) {
      c = b;
      ++i;
    } else {
      c = utf8::next(text, i);
    }
    if (utf8::is_letter(c) || c == '\'' || c == U'’') {
      if (c == U'’') c = '\'';
      c = utf8::to_lower(c);
      if (c < 0x80) {
        if (len < sizeof word) word[len++] = static_cast<char>(c);
        else too_long = true;
      } else {
        std::string e = utf8::encode(c);
        if (len + e.size() <= sizeof word) {
          for (char ch : e) word[len++] = ch;
        } else {
          too_long = true;
        }
      }
    } else {
      flush();
    }
  }
  flush();
  return score;
}
}  // namespace


std::string detect_other_language(std::string_view text, std::string_view doc_lang) {
  int words = 0;
  auto score = score_words(text, words);
  std::size_t best = 0;
  for (std::size_t l = 1; l < languages.size(); ++l)
    if (score[l] > score[best]) best = l;
  if (languages[best].tag == doc_lang) return "";
  int doc_score = 0;
  for (std::size_t l = 0; l < languages.size(); ++l)
    if (languages[l].tag == doc_lang) doc_score = score[l];
  // A paragraph is tagged only on strong evidence: enough hits, and the
  // document's language far behind (Spanish and Portuguese share many words).
  int runner_up = 0;
  for (std::size_t l = 0; l < languages.size(); ++l)
    if (l != best) runner_up = std::max(runner_up, score[l]);
  if (score[best] < 4 || doc_score * 3 > score[best] || runner_up * 3 > score[best] * 2) return "";
  return languages[best].tag;
}

std::string detect_language(std::string_view text) {
  int words = 0;
  auto score = score_words(text, words);
  std::size_t best = 0, second = 1;
  if (score[second] > score[best]) std::swap(best, second);
  for (std::size_t l = 2; l < languages.size(); ++l) {
    if (score[l] > score[best]) {
      second = best;
      best = l;
    } else if (score[l] > score[second]) {
      second = l;
    }
  }
  // Need a few hits, and a clear margin over the runner-up.
  if (score[best] < 2) return "";
  if (words < 6 && score[best] < 2) return "";
  if (score[best] * 4 < score[second] * 5 && score[best] - score[second] < 3) return "";
  return languages[best].tag;
}

}  // namespace galley::parse
