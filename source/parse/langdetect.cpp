// Language identification by common words. Interviews are long enough that
// the most frequent function words of a language identify it reliably; for a
// short line (a related-article title) the caller passes a hint.
#include <algorithm>
#include <array>
#include <bit>
#include <string>
#include <string_view>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "base/utf8.hpp"
#include "parse/raw.hpp"
#include "parse/text_scan.hpp"

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
// 1024-slot table keeps probes short. Every listed word fits in sixteen
// bytes, and words are compared as two 64-bit numbers holding them padded
// with zeros (words hold no zero byte, so equal numbers mean equal words):
// no call to memcmp, and the hash comes from the same two numbers.
struct word_table {
  static constexpr std::size_t size = 1024;
  static constexpr std::size_t key_bytes = 16;  // longer words are in no list
  struct key {
    std::uint64_t lo = 0, hi = 0;  // both 0: an empty slot
    bool operator==(const key&) const = default;
  };
  std::array<key, size> keys{};
  std::array<unsigned, size> bits{};  // bit set of languages

  // The key of the n bytes at p, which holds zeros after them up to p + 16.
  static key key_of(const char* p) {
    key k;
    std::memcpy(&k.lo, p, 8);
    std::memcpy(&k.hi, p + 8, 8);
    return k;
  }
  static std::size_t hash(const key& k) {
    const std::uint64_t h = (k.lo ^ (k.hi * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h >> 40) & (size - 1);
  }
  word_table() {
    for (std::size_t l = 0; l < languages.size(); ++l)
      for (const char* w : languages[l].words) {
        const std::string_view word = w;
        if (word.empty() || word.size() > key_bytes) throw std::length_error("language word too long");
        char padded[key_bytes] = {};
        std::memcpy(padded, word.data(), word.size());
        const key k = key_of(padded);
        std::size_t i = hash(k);
        while (keys[i] != key{} && keys[i] != k) i = (i + 1) & (size - 1);
        keys[i] = k;
        bits[i] |= 1u << l;
      }
  }
  // The languages of the word of n bytes at p (zeros after it up to p + 16).
  unsigned find(const char* p, std::size_t n) const {
    if (n > key_bytes) return 0;
    const key k = key_of(p);
    for (std::size_t i = hash(k);; i = (i + 1) & (size - 1)) {
      if (keys[i] == k) return bits[i];
      if (keys[i] == key{}) return 0;
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
  // What an ASCII byte adds to a word: itself lower-cased for letters (and
  // the apostrophe), or 0 when it ends the word. From the utf8:: functions.
  static const auto ascii_fold = [] {
    std::array<char, 128> f{};
    for (unsigned char b = 0; b < 128; ++b)
      if (scan::chars().letter[b] || b == '\'') f[b] = static_cast<char>(scan::chars().lower[b]);
    return f;
  }();
  // The current word, lower-cased, in a fixed buffer: no allocation per word.
  // Words longer than any listed one are only counted.
  constexpr std::size_t max_word = 32;
  char word[max_word + word_table::key_bytes];
  std::size_t len = 0;
  bool too_long = false;
  int counted = words;
  auto flush = [&] {
    if (len == 0 && !too_long) return;
    ++counted;
    if (!too_long) {
      std::memset(word + len, 0, word_table::key_bytes);  // the key's padding
      for (unsigned b = t.find(word, len); b != 0; b &= b - 1) ++score[static_cast<std::size_t>(std::countr_zero(b))];
    }
    len = 0;
    too_long = false;
  };
  // Score at most the first ~4000 words: more adds time, not certainty.
  // (The count only grows in flush, where the loop then stops.)
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      if (const char f = ascii_fold[b]) {
        if (len < max_word) word[len++] = f;
        else too_long = true;
      } else {
        flush();
        if (counted >= 4000) break;
      }
      continue;
    }
    if (b == 0xE2 && i + 2 < text.size() && text[i + 1] == '\x80' && text[i + 2] == '\x99') {
      // U+2019, the typographic apostrophe of "don’t": an apostrophe.
      i += 3;
      if (len < max_word) word[len++] = '\'';
      else too_long = true;
      continue;
    }
    char32_t c = scan::next(text, i);
    if (scan::is_letter(c) || c == U'’') {
      c = c == U'’' ? U'\'' : scan::to_lower(c);
      if (!scan::encode_into(c, word, len, max_word)) too_long = true;
    } else {
      flush();
      if (counted >= 4000) break;
    }
  }
  flush();
  words = counted;
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
