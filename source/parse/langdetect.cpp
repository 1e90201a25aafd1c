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
#include <utility>
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
    "werden", "aus", "er", "hat", "dass", "sind", "noch", "wie", "einer", "aber", "oder", "bei"};
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

// Catalan, Polish and Dutch share their most frequent words with the
// languages above (see language::yields). Catalan and Polish "i" (and) and
// Polish "do" (to) are left out: folded to lower case, English "I" and "do"
// are as frequent, and a short English answer would read as Polish.
constexpr std::string_view ca_words[] = {
    "el", "la", "els", "les", "de", "del", "dels", "que", "en", "és", "un", "una", "per", "amb",
    "al", "als", "es", "hi", "ho", "més", "però", "perquè", "com", "va", "ha", "han", "són", "seu", "seva",
    "aquest", "aquesta", "això", "molt", "també", "quan", "tot", "ens", "jo", "ja", "pel", "pels",
    "doncs", "encara", "després", "fins", "sense"};
constexpr std::string_view pl_words[] = {
    "w", "nie", "na", "się", "z", "to", "że", "jest", "o", "jak", "ale", "po", "co", "tak",
    "za", "od", "ze", "jego", "jej", "ich", "przez", "są", "czy", "już", "tylko", "tym", "tego", "być",
    "było", "był", "była", "ja", "ma", "mnie", "też", "pan", "pani", "bo", "ten", "dla", "może", "kiedy",
    "bardzo", "który", "która", "które", "więc", "jednak", "gdy"};
constexpr std::string_view nl_words[] = {
    "de", "het", "een", "en", "van", "is", "dat", "in", "op", "te", "niet", "die", "met", "voor", "zijn",
    "er", "maar", "om", "ook", "als", "aan", "bij", "was", "ik", "je", "we", "wat", "naar", "nog", "wel",
    "dan", "of", "uit", "kan", "heb", "hij", "ze", "zo", "door", "geen", "u", "mijn", "hebben", "heeft",
    "worden", "wordt", "werd", "dit", "veel", "moet", "zich", "nu", "hun", "meer"};

struct language {
  std::string_view tag;
  std::span<const std::string_view> words;
  // Whether the language is told by words of its own: its most frequent
  // words are another's too (Catalan's "de", "la", "que" are Spanish,
  // Dutch's "de", "die", "is" Spanish, German and English, Polish's "o",
  // "na", "do" Portuguese). Then scoring as much as a language without the
  // mark, listed before it, is no doubt about that language: a text with
  // only shared words is read as it was before these languages came.
  bool yields = false;
};

constexpr std::array<language, 11> languages{{
    {"en", en_words},
    {"es", es_words},
    {"pt", pt_words},
    {"fr", fr_words},
    {"de", de_words},
    {"it", it_words},
    {"ru", ru_words},
    {"uk", uk_words},
    {"ca", ca_words, true},
    {"pl", pl_words, true},
    {"nl", nl_words, true},
}};

// The word list as an open-addressing hash table: a few hundred words, so a
// 1024-slot table keeps probes short. Every listed word fits in sixteen
// bytes, and a word is its key: two 64-bit numbers holding its bytes (byte
// n in bits 8n.. of the first for n < 8, of the second for the others),
// zero past its end. Words hold no zero byte, so equal keys mean equal
// words: nothing is compared byte by byte, and the hash comes from the same
// two numbers. The table is built by the compiler.
//
// A slot gives what its word adds to the scores: a byte per language, 1
// where the language lists the word. Adding that to a tally of the same
// shape (below) scores all the word's languages in two additions, where a
// loop over the bits of a language set took a branch per language.

// A byte per language: languages 0 to 7 in `first`, 8 to 15 in `second`.
struct lanes {
  std::uint64_t first = 0, second = 0;
  static constexpr std::size_t count = 16;
  constexpr void set(std::size_t l) {
    if (l < 8) first |= std::uint64_t{1} << (8 * l);
    else second |= std::uint64_t{1} << (8 * (l - 8));
  }
  void operator+=(const lanes& o) {
    first += o.first;
    second += o.second;
  }
};
static_assert(languages.size() <= lanes::count, "a byte per language in a tally of two 64-bit numbers");

struct word_table {
  static constexpr std::size_t size = 1024;
  static constexpr std::size_t key_bytes = 16;  // longer words are in no list
  struct key {
    std::uint64_t lo = 0, hi = 0;  // lo 0: an empty slot (every word has a first byte)
    constexpr bool operator==(const key&) const = default;
    // Adds the word's byte number n (n < 16).
    constexpr void add(std::size_t n, unsigned char byte) {
      if (n < 8) lo |= std::uint64_t{byte} << (8 * n);
      else hi |= std::uint64_t{byte} << (8 * (n - 8));
    }
  };
  // The first halves apart from the second ones: most words are short, and
  // a probe that finds another word or an empty slot reads 8 bytes, not 16.
  std::array<std::uint64_t, size> los{}, his{};
  std::array<lanes, size> adds{};
  // The low n bytes of a key set (n < 16), as its two halves: here rather
  // than apart, so that one address reaches them and the slots (a register
  // less while words are counted).
  std::array<std::uint64_t, key_bytes> low_lo{}, low_hi{};

  // The top ten bits of a product: one multiplication, and no mask. (The
  // second half is zero for words of eight bytes or fewer, most of them.)
  static constexpr int bits = 10;
  static_assert(std::size_t{1} << bits == size);
  static constexpr std::size_t hash(const key& k) {
    return static_cast<std::size_t>(((k.lo ^ k.hi) * 0x9E3779B97F4A7C15ULL) >> (64 - bits));
  }
  constexpr word_table() {
    for (std::size_t n = 0; n < key_bytes; ++n) {
      low_lo[n] = n >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1;
      low_hi[n] = n <= 8 ? 0 : (std::uint64_t{1} << (8 * (n - 8))) - 1;
    }
    for (std::size_t l = 0; l < languages.size(); ++l)
      for (std::string_view word : languages[l].words) {
        if (word.empty() || word.size() > key_bytes) throw std::length_error("language word too long");
        key k;
        for (std::size_t n = 0; n < word.size(); ++n) k.add(n, static_cast<unsigned char>(word[n]));
        std::size_t i = hash(k);
        while (los[i] != 0 && (los[i] != k.lo || his[i] != k.hi)) i = (i + 1) & (size - 1);
        los[i] = k.lo;
        his[i] = k.hi;
        adds[i].set(l);
      }
  }
  // What the word with key k adds to the tally: nothing when no list has it.
  lanes find(const key& k) const {
    for (std::size_t i = hash(k);; i = (i + 1) & (size - 1)) {
      if (los[i] == k.lo) {
        if (his[i] == k.hi) return adds[i];
      } else if (los[i] == 0) {
        return {};
      }
    }
  }
};

constexpr word_table table;

// What an ASCII byte adds to a word: itself lower-cased for letters (and
// the apostrophe), or 0 when it ends the word. From the character table of
// scan::chars(), at compile time.
struct ascii_words {
  std::array<char, 128> fold{};
  // Whether the word bytes are A-Z, a-z and the apostrophe, lower-cased by
  // setting 0x20 (which the apostrophe, 0x27, has): what the sixteen-byte
  // path below assumes.
  bool plain = true;

  constexpr ascii_words() {
    for (unsigned char b = 0; b < 128; ++b) {
      if (scan::char_data.letter[b] || b == '\'') fold[b] = static_cast<char>(scan::char_data.lower[b]);
      const bool word = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '\'';
      const char expected = word ? static_cast<char>(b | 0x20) : 0;
      if (fold[b] != expected) plain = false;
    }
  }
};

constexpr ascii_words ascii;

// What a two-byte character (U+0080 to U+07FF: Latin, Greek, Cyrillic)
// adds to a word, by code point: the two bytes of its lower-case form
// (first byte in the low bits), `not_letter` when it ends the word, or
// `other` when its lower-case form is not two bytes long (no character
// today: utf8::to_lower keeps the length), left to the general code. One
// look-up instead of scan::is_letter, scan::to_lower and scan::encode_into.
struct two_byte_words {
  static constexpr std::uint16_t not_letter = 0, other = 1;
  std::array<std::uint16_t, 0x800> add{};

  constexpr two_byte_words() {
    for (char32_t c = 0x80; c < 0x800; ++c) {
      if (!scan::char_data.letter[c]) {
        add[c] = not_letter;
        continue;
      }
      const char32_t l = scan::char_data.lower[c];
      add[c] = l < 0x80 || l >= 0x800 ? other
                                      : static_cast<std::uint16_t>((0xC0 | l >> 6) | (0x80 | (l & 0x3F)) << 8);
    }
  }
};

constexpr two_byte_words two_byte;

// The key of a word as the byte loop builds it: the bytes are stored in
// place, four at a time (the character's, then zeros), so that every byte
// past the word is zero and the first sixteen are the key. Bytes past the
// sixteenth are not stored (such a word is in no list). The buffer is a
// local array that nothing else points to, so the stores cannot alias the
// text or the scores; the word's length is kept apart from it, in a
// register.
struct key_builder {
  std::array<std::uint64_t, 3> bytes{};  // sixteen, and room for the last character's four

  // Stores a character of up to four bytes at byte `at` (< 16), its first
  // in the low bits of v and nothing above its last.
  void store(std::size_t at, std::uint32_t v) {
    auto* to = reinterpret_cast<unsigned char*>(bytes.data()) + at;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(to, &v, 4);
    } else {
      for (std::size_t k = 0; k < 4; ++k) to[k] = static_cast<unsigned char>(v >> (8 * k));
    }
  }
  word_table::key key() const {
    if constexpr (std::endian::native == std::endian::little) return {bytes[0], bytes[1]};
    word_table::key k;
    const auto* from = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t n = 0; n < word_table::key_bytes; ++n) k.add(n, from[n]);
    return k;
  }
};

#if defined(__SSE2__)
#define GALLEY_LANG_BLOCKS 1
static_assert(std::endian::native == std::endian::little, "SSE2: x86, whose bytes are little-endian");

// The two-byte letters the sixteen-byte path reads itself, without the
// byte loop: the Cyrillic of U+0400 to U+047F (lead bytes D0 and D1) and
// the Latin of U+00C0 to U+00FF (lead byte C3) but for × and ÷. Their
// lower-case forms are computed there from the bytes; this checks, at
// compile time, that those rules give scan::chars() for every one of them.
constexpr bool two_byte_rules_hold() {
  const auto encode = [](char32_t c) { return std::pair<unsigned, unsigned>{0xC0 | c >> 6, 0x80 | (c & 0x3F)}; };
  for (char32_t c = 0xC0; c <= 0xFF; ++c) {
    const auto [lead, x] = encode(c);
    const bool letter = x != 0x97 && x != 0xB7;
    const unsigned lower = x < 0x9F ? x + 0x20 : x;
    if (scan::char_data.letter[c] != letter) return false;
    if (letter && encode(scan::char_data.lower[c]) != std::pair<unsigned, unsigned>{lead, lower}) return false;
  }
  for (char32_t c = 0x400; c <= 0x47F; ++c) {
    const auto [lead, x] = encode(c);
    std::pair<unsigned, unsigned> lower{lead, x};
    if (lead == 0xD0) {
      if (x < 0x90) lower = {0xD1, x + 0x10};       // Ѐ-Џ to ѐ-џ
      else if (x < 0xA0) lower = {0xD0, x + 0x20};  // А-П to а-п
      else if (x < 0xB0) lower = {0xD1, x - 0x20};  // Р-Я to р-я
    }
    if (!scan::char_data.letter[c] || encode(scan::char_data.lower[c]) != lower) return false;
  }
  return true;
}
static_assert(two_byte_rules_hold(), "langdetect: update read_block to the case rules of utf8::to_lower");

// Sixteen bytes of text: which are word bytes (ASCII letters and
// apostrophes, and the two-byte letters above), which others the byte
// loop must read (other bytes that are not ASCII, and a lead byte whose
// second byte is in the next sixteen), and the word bytes lower-cased.
// Bit n of a mask and byte n of `lowered` are byte n of the text.
struct block {
  __m128i lowered;
  unsigned in_word, other;
};

// As signed bytes, those from 0x80 on are negative: below every ASCII
// byte, and ordered among themselves as unsigned bytes are.
inline __m128i bytes_of(int b) { return _mm_set1_epi8(static_cast<char>(b)); }
inline __m128i below(__m128i v, int b) { return _mm_cmplt_epi8(v, bytes_of(b)); }


inline block read_block(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // With 0x20 set, A-Z become a-z and no other byte does.
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(_mm_or_si128(v, bytes_of(0x20)), bytes_of('a' - 1)),
                                       below(_mm_or_si128(v, bytes_of(0x20)), 'z' + 1));
  const __m128i ascii_word = _mm_or_si128(letter, _mm_cmpeq_epi8(v, bytes_of('\'')));
  const __m128i ascii_lowered = _mm_or_si128(v, _mm_and_si128(letter, bytes_of(0x20)));
  const auto high = static_cast<unsigned>(_mm_movemask_epi8(v));
  // Most text is ASCII, and then that is all.
  if (high == 0) return {ascii_lowered, static_cast<unsigned>(_mm_movemask_epi8(ascii_word)), 0};
  // Two-byte letters: a lead byte, and a second byte (0x80 to 0xBF) after
  // it in these sixteen.
  const __m128i next = _mm_srli_si128(v, 1);  // byte n: byte n + 1 of v (0 for the last)
  const __m128i next_second = below(next, 0xC0);
  const __m128i d0 = _mm_cmpeq_epi8(v, bytes_of(0xD0)), c3 = _mm_cmpeq_epi8(v, bytes_of(0xC3));
  const __m128i c3_letter =
      _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(next, bytes_of(0x97)), _mm_cmpeq_epi8(next, bytes_of(0xB7))), c3);
  const __m128i lead =
      _mm_and_si128(next_second, _mm_or_si128(_mm_or_si128(d0, _mm_cmpeq_epi8(v, bytes_of(0xD1))), c3_letter));
  const __m128i second = _mm_slli_si128(lead, 1);
  // Lower case: after C3, 0x80-0x9E gain 0x20; after D0, 0x80-0x8F gain
  // 0x10 and 0x90-0x9F 0x20, 0xA0-0xAF lose 0x20, and the lead byte
  // becomes D1 for 0x80-0x8F and 0xA0-0xAF.
  const __m128i after_d0 = _mm_slli_si128(_mm_and_si128(lead, d0), 1);
  const __m128i after_c3 = _mm_slli_si128(_mm_and_si128(lead, c3), 1);
  const __m128i lt90 = below(v, 0x90), lta0 = below(v, 0xA0), ltb0 = below(v, 0xB0);
  const __m128i a0_af = _mm_andnot_si128(lta0, ltb0);
  const __m128i d0_delta = _mm_or_si128(
      _mm_or_si128(_mm_and_si128(lt90, bytes_of(0x10)), _mm_and_si128(_mm_andnot_si128(lt90, lta0), bytes_of(0x20))),
      _mm_and_si128(a0_af, bytes_of(0xE0)));
  const __m128i delta = _mm_or_si128(_mm_and_si128(after_d0, d0_delta),
                                     _mm_and_si128(after_c3, _mm_and_si128(below(v, 0x9F), bytes_of(0x20))));
  const __m128i to_d1 = _mm_srli_si128(_mm_and_si128(after_d0, _mm_or_si128(lt90, a0_af)), 1);  // -1 where D0 becomes D1
  const __m128i lowered = _mm_sub_epi8(_mm_add_epi8(ascii_lowered, delta), to_d1);
  const auto word = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(ascii_word, _mm_or_si128(lead, second))));
  return {lowered, word, high & ~word};
}

// The lower-cased sixteen bytes of a block where keys are read from, with
// two loads: the bytes, then their second half and eight zeros. A key's
// first half starts in the first eight bytes (read from the first copy) or
// in the second eight (read from the second), and its second half, which
// starts eight bytes after it, from the second copy: each load reads from
// one store, which the processor hands on at once.
struct key_source {
  // The two copies, and room for the second half of a key that starts in
  // the block's last eight bytes: it reads up to byte 16 + 15 + 8 = 39.
  // That half is masked to nothing (such a word has at most eight bytes),
  // but the bytes must be there to be read.
  alignas(16) std::array<unsigned char, 48> bytes{};

  void put(__m128i lowered) {
    _mm_store_si128(reinterpret_cast<__m128i*>(bytes.data()), lowered);
    _mm_store_si128(reinterpret_cast<__m128i*>(bytes.data() + 16), _mm_srli_si128(lowered, 8));
  }
  // The key of the word of n bytes (n < 16) at byte `at`.
  word_table::key key(unsigned at, unsigned n) const {
    std::uint64_t lo, hi;
    std::memcpy(&lo, bytes.data() + at + (at & 8), 8);  // at 8 to 15: at + 8, in the second copy
    std::memcpy(&hi, bytes.data() + 16 + at, 8);
    return {lo & table.low_lo[n], hi & table.low_hi[n]};
  }
};

// The number of zero bits below the lowest set one of x, which is not 0:
// std::countr_zero without its test for 0.
inline unsigned low_zeros(unsigned x) { return static_cast<unsigned>(__builtin_ctz(x)); }
#endif

// Words scored at most: more adds time, not certainty.
constexpr int max_words = 4000;

// The words of a text, and how many of them each language lists (a score
// per lane of the tally: those past the last language stay 0).
struct word_scores {
  std::array<int, lanes::count> score{};
  int words = 0;
};

// Counts words into a word_scores. What the table gives for a word goes
// into a tally of lanes, a byte per language. A byte holds 255 at most and a
// word adds at most 1 to it, so the tally goes into the int scores every
// 255 words, and at the end; at the word limit the count stops. One
// count-down serves both: the words left before the next stop. They are
// added to the word count when the count-down starts, and those left are
// taken back at the end, so that nothing else is kept.
struct tally {
  word_scores& into;
  lanes bytes;
  int left = 0;

  explicit tally(word_scores& scores) : into(scores) { restart(); }

  // At least one word, as the limit was checked after a word: a count that
  // starts at the limit still takes its first word.
  void restart() {
    left = std::max(1, std::min(255, max_words - into.words));
    into.words += left;
  }

  // Adds a word's table entry; returns whether that was the last word to
  // count (the word limit).
  bool add(const lanes& word) {
    bytes += word;
    return --left == 0 && stop();
  }
  bool stop() {
    flush();
    if (into.words >= max_words) return true;
    restart();
    return false;
  }
  void finish() {
    flush();
    into.words -= left;
    left = 0;
  }
  // Moves the tally into the scores.
  void flush() {
#if defined(__SSE2__)
    // The sixteen bytes widened to sixteen ints, four at a time.
    const __m128i zero = _mm_setzero_si128();
    const __m128i all = _mm_set_epi64x(static_cast<long long>(bytes.second), static_cast<long long>(bytes.first));
    auto* score = reinterpret_cast<__m128i*>(into.score.data());
    static_assert(sizeof into.score == 4 * sizeof(__m128i));
    const auto add4 = [&](int n, __m128i ints) {
      _mm_storeu_si128(score + n, _mm_add_epi32(_mm_loadu_si128(score + n), ints));
    };
    const __m128i low = _mm_unpacklo_epi8(all, zero), high = _mm_unpackhi_epi8(all, zero);
    add4(0, _mm_unpacklo_epi16(low, zero));
    add4(1, _mm_unpackhi_epi16(low, zero));
    add4(2, _mm_unpacklo_epi16(high, zero));
    add4(3, _mm_unpackhi_epi16(high, zero));
#else
    for (std::size_t l = 0; l < languages.size(); ++l)
      into.score[l] += static_cast<int>((l < 8 ? bytes.first >> (8 * l) : bytes.second >> (8 * (l - 8))) & 0xFF);
#endif
    bytes = {};
  }
};

// Scores the words of `text`, adding to `result` (whose word count is below
// the limit). A word is a run of letters and apostrophes (' and ’, which
// counts as '), compared lower-cased.
//
// This runs on every paragraph, so it avoids work per byte and per word.
// Sixteen bytes at a time give every word that starts and ends in them,
// with its key, by bit masks: no byte is looked at alone. That covers
// ASCII, Cyrillic and the Latin-1 letters. Words with other characters go
// to the byte loop, one word at a time; a two-byte character there is one
// table look-up. A word of sixteen bytes or more takes its key from the
// sixteen-byte path, and the byte loop only finds its end. The last bytes
// of the text are the end of the last sixteen, the bytes read already left
// out; only a text shorter than sixteen bytes is read by the byte loop
// alone.
void score_words(std::string_view text, word_scores& result) {
  const char* const p = text.data();
  const std::size_t size = text.size();
  tally t(result);
  std::size_t i = 0;
  bool full = false;
#if defined(GALLEY_LANG_BLOCKS)
  constexpr bool blocks = ascii.plain;
#else
  constexpr bool blocks = false;
#endif
  while (i < size && !full) {
    key_builder word;  // a word the byte loop is to finish, if any
    std::size_t len = 0;  // its bytes so far
    // Adds a character of n bytes to it.
    const auto add = [&](std::uint32_t v, std::size_t n) {
      if (len < word_table::key_bytes) word.store(len, v);
      len += n;
    };
#if defined(GALLEY_LANG_BLOCKS)
    // Sixteen bytes at a time, starting between words, until a byte the
    // byte loop must read.
    if constexpr (blocks) {
      key_source keys;
      while (size >= 16 && i < size) {
        // The last sixteen bytes of the text end its last word; those
        // before i were read already (the byte before i is ASCII, so it
        // changes nothing at i).
        const bool last = i + 16 > size;
        const std::size_t from = last ? size - 16 : i;
        block b = read_block(p + from);
        keys.put(b.lowered);
        if (last) {
          const unsigned read = ~0u << (i - from);
          b.in_word &= read;
          b.other &= read;
        }
        // Runs of word bytes and of bytes the byte loop must read; the
        // rest are ASCII separators, skipped. Their first and last bytes:
        const unsigned busy = b.in_word | b.other;
        unsigned starts = busy & ~(busy << 1), ends = busy & ~(busy >> 1);
        // A run reaching the end of the sixteen bytes, but for the last
        // sixteen: the next sixteen start with it.
        unsigned at = 16;
        if (!last && (busy & 0x8000)) {
          at = 31 - static_cast<unsigned>(std::countl_zero(starts));
          starts &= ~(1u << at);
          ends &= 0x7FFF;
        }
        // The first run before that with a byte the byte loop must read:
        // the byte loop reads from its start.
        enum { next_sixteen, byte_loop, long_word } then = next_sixteen;
        if (const unsigned other = b.other & ((1u << at) - 1)) {
          at = 31 - static_cast<unsigned>(std::countl_zero(starts & ((2u << low_zeros(other)) - 1)));
          starts &= (1u << at) - 1;
          then = byte_loop;
        } else if (at == 0) {
          // A run of all sixteen bytes (never the last sixteen, which hold
          // a byte read already): the byte loop reads it. A word of sixteen
          // bytes or more: they are its key, and the byte loop finds where
          // it ends.
          then = b.other == 0 ? long_word : byte_loop;
        }
        // Decided before the words are counted, so that little is kept
        // while they are.
        i = from + at;
        // The words before it.
        for (; starts != 0; starts &= starts - 1, ends &= ends - 1) {
          const unsigned start = low_zeros(starts), n = low_zeros(ends) + 1 - start;
          if (t.add(table.find(keys.key(start, n)))) {
            full = true;
            break;
          }
        }
        if (full) break;
        if (then == next_sixteen) continue;
        if (then == long_word) {
          std::memcpy(word.bytes.data(), keys.bytes.data(), 16);
          len = 16;
          i += 16;
        }
        break;
      }
      if (full) break;
    }
#endif
    // Byte by byte: one word, or one character between words, at a time;
    // back to the sixteen-byte path when the next byte is ASCII.
    for (;;) {
      while (i < size) {
        const auto b = static_cast<unsigned char>(p[i]);
        if (b < 0x80) {
          ++i;
          if (const char f = ascii.fold[b]) {
            add(static_cast<unsigned char>(f), 1);
            continue;
          }
          break;
        }
        if (b >= 0xC2 && b <= 0xDF && i + 1 < size && (static_cast<unsigned char>(p[i + 1]) & 0xC0) == 0x80) {
          // Well-formed two bytes, decoded as scan::next would.
          const std::uint16_t lowered =
              two_byte.add[static_cast<std::size_t>((b & 0x1F) << 6 | (static_cast<unsigned char>(p[i + 1]) & 0x3F))];
          if (lowered == two_byte_words::not_letter) {
            i += 2;
            break;
          }
          if (lowered != two_byte_words::other) {
            i += 2;
            add(lowered, 2);
            continue;
          }
        } else if (b == 0xE2 && i + 2 < size && p[i + 1] == '\x80' && p[i + 2] == '\x99') {
          // U+2019, the typographic apostrophe of "don’t": an apostrophe.
          i += 3;
          add('\'', 1);
          continue;
        }
        std::size_t next = i;  // apart from i, whose address would otherwise be taken
        char32_t c = scan::next(text, next);
        i = next;
        if (!scan::is_letter(c) && c != U'’') break;
        c = c == U'’' ? U'\'' : scan::to_lower(c);
        char bytes[4];
        std::size_t n = 0;
        scan::encode_into(c, bytes, n, sizeof bytes);
        std::uint32_t v = 0;
        std::memcpy(&v, bytes, n);
        add(v, n);
      }
      if (len != 0 && t.add(len <= word_table::key_bytes ? table.find(word.key()) : lanes{})) full = true;
      if (full || i >= size || (blocks && size >= 16 && static_cast<unsigned char>(p[i]) < 0x80)) break;
      word = {};
      len = 0;
    }
  }
  t.finish();
}

word_scores score_words(std::string_view text) {
  word_scores result;
  score_words(text, result);
  return result;
}

// The language with the best score (the first one with it), and the best
// score of the others that could make it unsure: not those that yield to
// it (see language::yields).
struct ranking {
  std::size_t best = 0;
  int runner_up = 0;
};

ranking rank(const std::array<int, lanes::count>& score) {
  ranking r;
  for (std::size_t l = 1; l < languages.size(); ++l)
    if (score[l] > score[r.best]) r.best = l;
  const bool best_yields = languages[r.best].yields;
  for (std::size_t l = 0; l < languages.size(); ++l)
    if (l != r.best && (best_yields || !languages[l].yields)) r.runner_up = std::max(r.runner_up, score[l]);
  return r;
}

// The language of the scores, or "" when unsure.
std::string_view choose_language(const word_scores& scores) {
  const auto& [score, words] = scores;
  const auto [best, second] = rank(score);
  // Need a few hits, and a clear margin over the runner-up.
  if (score[best] < 2) return "";
  if (words < 6 && score[best] < 2) return "";
  if (score[best] * 4 < second * 5 && score[best] - second < 3) return "";
  return languages[best].tag;
}

}  // namespace

std::string_view detect_other_language_tag(std::string_view text, std::string_view doc_lang) {
  const word_scores scores = score_words(text);
  const auto& score = scores.score;
  const auto [best, runner_up] = rank(score);
  if (languages[best].tag == doc_lang) return "";
  int doc_score = 0;
  for (std::size_t l = 0; l < languages.size(); ++l)
    if (languages[l].tag == doc_lang) doc_score = score[l];
  // A short paragraph ("Je ne sais pas.", "A: Das ist nicht wahr.") only
  // when it is mostly one language's common words: three or more, half its
  // words or more (a turn label may be one of them), none of the
  // document's language and few of any other.
  if (scores.words < 8)
    return score[best] >= 3 && score[best] * 2 >= scores.words && doc_score == 0 && runner_up * 2 <= score[best]
               ? languages[best].tag
               : "";
  // A paragraph is tagged only on strong evidence: enough hits, and the
  // document's language far behind (Spanish and Portuguese share many words).
  // Most paragraphs are the document's language, or too short to tell.
  if (score[best] < 4 || runner_up * 3 > score[best] * 2 || doc_score * 3 > score[best]) return "";
  return languages[best].tag;
}

std::string detect_other_language(std::string_view text, std::string_view doc_lang) {
  return std::string(detect_other_language_tag(text, doc_lang));
}

std::string_view detect_language_tag(std::string_view text) { return choose_language(score_words(text)); }

std::string detect_language(std::string_view text) { return std::string(detect_language_tag(text)); }

std::string_view detect_language_tag(std::span<const std::string_view> pieces) {
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

std::string detect_language(std::span<const std::string_view> pieces) { return std::string(detect_language_tag(pieces)); }

}  // namespace galley::parse
