// Language identification by common words. Interviews are long enough that
// the most frequent function words of a language identify it reliably; for a
// short line (a related-article title) the caller passes a hint.
#include <algorithm>
#include <array>
#include <bit>
#include <string>
#include <string_view>
#include <cstdint>
#include <span>
#include <stdexcept>

#include "base/utf8.hpp"
#include "parse/raw.hpp"
#include "parse/text_scan.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace galley::parse {

namespace {

// Words frequent in one language and rare in the others. Words shared by two
// languages (es/pt "de", "que") are kept: they count for both, and the
// distinctive ones decide.
constexpr std::string_view en_words[] = {
    "the", "and", "of", "to", "is", "that", "in", "it", "was", "for", "we", "you", "with", "this",
    "have", "are", "not", "but", "be", "they", "what", "on", "which", "would", "there", "about"};
constexpr std::string_view es_words[] = {
    "el", "la", "de", "que", "y", "en", "los", "las", "del", "se", "por", "un", "una", "con",
    "para", "es", "su", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "fue", "este",
    "ha", "sí", "porque", "esta", "muy", "sin", "sobre", "también", "nos", "hay", "cuando"};
constexpr std::string_view pt_words[] = {
    "o", "de", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no",
    "na", "por", "mais", "as", "dos", "como", "mas", "ao", "ele", "das", "à", "seu", "sua", "ou",
    "quando", "muito", "nos", "já", "também", "só", "pelo", "pela", "isso", "está", "você"};
constexpr std::string_view fr_words[] = {
    "le", "la", "les", "de", "des", "et", "est", "un", "une", "du", "en", "que", "qui", "dans",
    "pour", "pas", "au", "ce", "il", "sur", "ne", "se", "nous", "vous", "avec", "mais", "sont",
    "cette", "été", "aux", "ont", "je", "c'est", "plus", "être"};
constexpr std::string_view de_words[] = {
    "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für",
    "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "wir", "sie", "ich",
    "werden", "aus", "er", "hat", "dass", "sind", "noch", "wie", "einer", "aber", "oder"};
constexpr std::string_view it_words[] = {
    "il", "di", "che", "e", "la", "per", "un", "in", "non", "una", "sono", "del", "della",
    "le", "gli", "si", "con", "ma", "come", "anche", "nel", "alla", "questo", "ci", "è", "più",
    "lo", "dei", "molto", "perché", "stato", "delle", "ha"};
constexpr std::string_view ru_words[] = {
    "и", "в", "не", "на", "что", "с", "как", "это", "по", "но", "мы", "к", "из", "у", "за",
    "он", "от", "же", "так", "для", "о", "бы", "все", "то", "его", "вы", "был", "она", "они",
    "я", "если", "уже", "или", "нет", "есть", "было", "только", "когда"};
constexpr std::string_view uk_words[] = {
    "і", "в", "не", "на", "що", "з", "як", "це", "та", "до", "у", "ми", "за", "від", "але",
    "він", "вона", "вони", "для", "про", "є", "який", "також", "тому", "якщо", "було", "коли"};

struct language {
  std::string_view tag;
  std::span<const std::string_view> words;
};

constexpr std::array<language, 8> languages{{
    {"en", en_words},
    {"es", es_words},
    {"pt", pt_words},
    {"fr", fr_words},
    {"de", de_words},
    {"it", it_words},
    {"ru", ru_words},
    {"uk", uk_words},
}};

// The word list as an open-addressing hash table: a few hundred words, so a
// 1024-slot table keeps probes short. Every listed word fits in sixteen
// bytes, and a word is its key: two 64-bit numbers holding its bytes (byte
// n in bits 8n.. of the first for n < 8, of the second for the others),
// zero past its end. Words hold no zero byte, so equal keys mean equal
// words: nothing is compared byte by byte, and the hash comes from the same
// two numbers. The table is built by the compiler.
struct word_table {
  static constexpr std::size_t size = 1024;
  static constexpr std::size_t key_bytes = 16;  // longer words are in no list
  struct key {
    std::uint64_t lo = 0, hi = 0;  // both 0: an empty slot
    constexpr bool operator==(const key&) const = default;
    // Adds the word's byte number n (n < 16).
    constexpr void add(std::size_t n, unsigned char byte) {
      if (n < 8) lo |= std::uint64_t{byte} << (8 * n);
      else hi |= std::uint64_t{byte} << (8 * (n - 8));
    }
  };
  std::array<key, size> keys{};
  std::array<unsigned, size> bits{};  // bit set of languages

  static constexpr std::size_t hash(const key& k) {
    const std::uint64_t h = (k.lo ^ (k.hi * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    return static_cast<std::size_t>(h >> 40) & (size - 1);
  }
  constexpr word_table() {
    for (std::size_t l = 0; l < languages.size(); ++l)
      for (std::string_view word : languages[l].words) {
        if (word.empty() || word.size() > key_bytes) throw std::length_error("language word too long");
        key k;
        for (std::size_t n = 0; n < word.size(); ++n) k.add(n, static_cast<unsigned char>(word[n]));
        std::size_t i = hash(k);
        while (keys[i] != key{} && keys[i] != k) i = (i + 1) & (size - 1);
        keys[i] = k;
        bits[i] |= 1u << l;
      }
  }
  // The languages of the word with key k.
  constexpr unsigned find(const key& k) const {
    for (std::size_t i = hash(k);; i = (i + 1) & (size - 1)) {
      if (keys[i] == k) return bits[i];
      if (keys[i] == key{}) return 0;
    }
  }
};

constexpr word_table table;

// What an ASCII byte adds to a word: itself lower-cased for letters (and
// the apostrophe), or 0 when it ends the word. From the character table of
// scan::chars(), at compile time.
struct ascii_words {
  std::array<char, 128> fold{};
  // Whether the word bytes are A-Z, a-z and the apostrophe, with A-Z
  // lower-cased by adding 0x20: what the sixteen-byte path below assumes.
  bool plain = true;

  constexpr ascii_words() {
    for (unsigned char b = 0; b < 128; ++b) {
      if (scan::char_data.letter[b] || b == '\'') fold[b] = static_cast<char>(scan::char_data.lower[b]);
      const bool upper = b >= 'A' && b <= 'Z', word = upper || (b >= 'a' && b <= 'z') || b == '\'';
      const char expected = word ? static_cast<char>(upper ? b + 0x20 : b) : 0;
      if (fold[b] != expected) plain = false;
    }
  }
};

constexpr ascii_words ascii;

#if defined(__SSE2__)
// Sixteen bytes of text: which are word bytes (ASCII letters and
// apostrophes), which are not ASCII, and the word bytes lower-cased. Bit n
// of a mask is byte n.
struct block {
  __m128i lowered;
  unsigned in_word, high;
};

inline block read_block(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // With 0x20 set, A-Z become a-z and no other byte does. As signed bytes,
  // the bytes from 0x80 on are negative: neither letters nor apostrophes.
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  const __m128i word = _mm_or_si128(letter, _mm_cmpeq_epi8(v, _mm_set1_epi8('\'')));
  return {_mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20))), static_cast<unsigned>(_mm_movemask_epi8(word)),
          static_cast<unsigned>(_mm_movemask_epi8(v))};
}

// The key of the first n bytes (n < 16) of b.
inline word_table::key key_of(const block& b, std::size_t n) {
  const __m128i index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m128i bytes = _mm_and_si128(b.lowered, _mm_cmplt_epi8(index, _mm_set1_epi8(static_cast<char>(n))));
  return {static_cast<std::uint64_t>(_mm_cvtsi128_si64(bytes)),
          static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(bytes, bytes)))};
}
#endif

// Words scored at most: more adds time, not certainty.
constexpr int max_words = 4000;

// The words of a text, and how many of them each language lists.
struct word_scores {
  std::array<int, languages.size()> score{};
  int words = 0;
};

// Scores the words of `text`, adding to `result`. A word is a run of
// letters and apostrophes (' and ’, which counts as '), compared
// lower-cased.
//
// This runs on every paragraph, so it avoids work per byte. Between words
// of ASCII letters, sixteen bytes at a time tell where the separators end
// and the next word ends, and give the word's key at once. The byte loop
// (for the rest) builds the word straight into its key rather than storing
// it in a buffer: a store through a char pointer may alias anything, and
// made the compiler reload the text and the position from memory at every
// byte.
void score_words(std::string_view text, word_scores& result) {
  const ascii_words& a = ascii;
  auto& score = result.score;
  int counted = result.words;
  word_table::key key;
  std::size_t len = 0;  // the current word's bytes, lower-cased; past 16, it is in no list
  const auto add = [&](unsigned char byte) {
    if (len < word_table::key_bytes) key.add(len, byte);
    ++len;
  };
  const auto count = [&](const word_table::key& k, std::size_t n) {
    ++counted;
    if (n <= word_table::key_bytes)
      for (unsigned b = table.find(k); b != 0; b &= b - 1) ++score[static_cast<std::size_t>(std::countr_zero(b))];
  };
  // Ends the current word, if any: counts it, and scores it if listed.
  const auto end_word = [&] {
    if (len == 0) return;
    count(key, len);
    key = {};
    len = 0;
  };
  // Score at most the first max_words words (counting those scored
  // before). The count only grows when a word ends, where the loop then
  // stops.
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
#if defined(__SSE2__)
    if (len == 0 && a.plain && i + 16 <= size) {
      const block b = read_block(text.data() + i);
      // Separators (ASCII, not in a word) end no word here: skipped together.
      const unsigned separators = ~b.in_word & ~b.high & 0xFFFF;
      if (const auto skip = static_cast<std::size_t>(std::countr_zero(~separators))) {
        i += skip;
        continue;
      }
      // A word of n ASCII bytes, and an ASCII separator after it that ends
      // it (and is skipped with it). Anything else goes to the byte loop.
      const auto n = static_cast<std::size_t>(std::countr_zero(~b.in_word));
      if (n > 0 && n < 16 && !(b.high >> n & 1)) {
        count(key_of(b, n), n);
        if (counted >= max_words) break;
        i += n + 1;
        continue;
      }
    }
#endif
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      ++i;
      if (const char f = a.fold[b]) {
        add(static_cast<unsigned char>(f));
      } else {
        end_word();
        if (counted >= max_words) break;
      }
      continue;
    }
    if (b == 0xE2 && i + 2 < size && text[i + 1] == '\x80' && text[i + 2] == '\x99') {
      // U+2019, the typographic apostrophe of "don’t": an apostrophe.
      i += 3;
      add('\'');
      continue;
    }
    std::size_t next = i;
    char32_t c = scan::next(text, next);
    i = next;
    if (scan::is_letter(c) || c == U'’') {
      c = c == U'’' ? U'\'' : scan::to_lower(c);
      char bytes[4];
      std::size_t n = 0;
      scan::encode_into(c, bytes, n, sizeof bytes);
      for (std::size_t k = 0; k < n; ++k) add(static_cast<unsigned char>(bytes[k]));
    } else {
      end_word();
      if (counted >= max_words) break;
    }
  }
  end_word();
  result.words = counted;
}

word_scores score_words(std::string_view text) {
  word_scores result;
  score_words(text, result);
  return result;
}

// The language of the scores, or "" when unsure.
std::string choose_language(const word_scores& scores) {
  const auto& [score, words] = scores;
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
  return std::string(languages[best].tag);
}

}  // namespace

std::string detect_other_language(std::string_view text, std::string_view doc_lang) {
  const auto score = score_words(text).score;
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
  return std::string(languages[best].tag);
}

std::string detect_language(std::string_view text) { return choose_language(score_words(text)); }

std::string detect_language(std::span<const std::string_view> pieces) {
  // As the pieces joined by line breaks would score: a line break ends a
  // word, so no word spans two pieces, and the word limit is reached at
  // the same word.
  word_scores scores;
  for (std::string_view piece : pieces) {
    if (scores.words >= max_words) break;
    score_words(piece, scores);
  }
  return choose_language(scores);
}

}  // namespace galley::parse
