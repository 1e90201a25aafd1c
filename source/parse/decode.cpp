// Stage 1 of the parser: bytes to clean text (see raw.hpp).
//
// The common case, valid UTF-8 with LF line endings and no control
// characters, is one scan that passes over ASCII and the common two-byte
// letters (Latin accents, Cyrillic) sixteen bytes at a time and also tells
// whether the text is plainly in NFC, then one copy into the result; ICU's
// NFC check runs only when some character could change.
// Everything else (BOMs, UTF-16, legacy encodings, repairs) is handled
// before or after that scan, and every step is linear in the input size.
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/utf8.hpp"
#include "parse/raw.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace galley::parse {
namespace {

constexpr std::size_t max_invalid_reports = 20;  // individual invalid-utf8 warnings
constexpr std::size_t sniff_size = 8192;          // bytes looked at for binary / UTF-16 sniffing

// --- binary detection -----------------------------------------------------

struct magic {
  std::string_view bytes;
  std::string_view what;
};

// Signatures of files people drop on a text converter by mistake.
constexpr std::array<magic, 17> magics{{
    {"\x89PNG\r\n\x1a\n", "a PNG image"},
    {"\xFF\xD8\xFF", "a JPEG image"},
    {"GIF87a", "a GIF image"},
    {"GIF89a", "a GIF image"},
    {"%PDF-", "a PDF file"},
    {"PK\x03\x04", "a ZIP archive (EPUB, DOCX, ODT, ...)"},
    {"PK\x05\x06", "a ZIP archive"},
    {"\x7F" "ELF", "an ELF executable"},
    {"\x1F\x8B", "a gzip file"},
    {"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"},
    {"Rar!\x1A\x07", "a RAR archive"},
    {"\xFD" "7zXZ", "an xz file"},
    {"\x28\xB5\x2F\xFD", "a zstd file"},
    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "an OLE document (DOC, XLS, ...)"},
    {"\xCA\xFE\xBA\xBE", "a Java class or Mach-O file"},
    {"SQLite format 3", "an SQLite database"},
    {"wOFF", "a WOFF font"},
}};

[[noreturn]] void fail_binary(const diagnostics& diags, std::string_view what) {
  std::string msg = "input looks binary, not text";
  if (!what.empty()) {
    msg += " (";
    msg += what;
    msg += ')';
  }
  fail(exit_code::input_failed, diags.file(), "binary-input", std::move(msg));
}

// The byte order a BOM-less UTF-16 sample suggests, from where its NULs are:
// ASCII-range UTF-16 text has a NUL in every other byte, always the same one.
enum class utf16_guess { none, le, be };

utf16_guess sniff_utf16(std::string_view s) {
  const std::size_t n = std::min(s.size(), sniff_size) & ~std::size_t{1};
  if (n < 16) return utf16_guess::none;  // too little to tell from a stray NUL
  std::size_t even = 0, odd = 0, i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time (i stays even): a bit per NUL byte, counted
  // apart for even and odd offsets. Text has no NULs: most blocks add nothing.
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const auto nuls = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
    if (nuls == 0) continue;
    even += static_cast<std::size_t>(std::popcount(nuls & 0x5555u));
    odd += static_cast<std::size_t>(std::popcount(nuls & 0xAAAAu));
  }
#endif
  for (; i < n; i += 2) {
    even += s[i] == '\0';
    odd += s[i + 1] == '\0';
  }
  const std::size_t pairs = n / 2;
  if (odd + even < 4) return utf16_guess::none;
  if (odd * 10 >= pairs * 3 && even * 50 <= pairs) return utf16_guess::le;
  if (even * 10 >= pairs * 3 && odd * 50 <= pairs) return utf16_guess::be;
  return utf16_guess::none;
}

// Throws when the start of the input looks like a binary file: a known
// signature, or many NULs / control bytes that are not UTF-16 text.
void check_not_binary(std::string_view s, const diagnostics& diags) {
  for (const auto& m : magics)
    if (s.starts_with(m.bytes)) fail_binary(diags, m.what);
  if (s.size() >= 12 && s.substr(0, 4) == "RIFF" && s.substr(8, 4) == "WEBP") fail_binary(diags, "a WebP image");
  const std::size_t n = std::min(s.size(), sniff_size);
  std::size_t nul = 0, ctrl = 0, i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: the bytes up to 0x1F, less those text holds
  // (tab, LF, CR, FF, ESC), are NULs or control bytes. Most blocks have
  // none but a line feed.
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
    __m128i allowed = _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'));
    for (const char c : {'\n', '\r', '\f', '\x1B'}) allowed = _mm_or_si128(allowed, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
    const auto odd_bytes = static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(allowed, low)));
    if (odd_bytes == 0) continue;
    const auto nuls = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
    nul += static_cast<std::size_t>(std::popcount(nuls));
    ctrl += static_cast<std::size_t>(std::popcount(odd_bytes & ~nuls));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0)
      ++nul;
    else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B)
      ++ctrl;
  }
  // A stray NUL or two in a text file is repaired (with a warning); a
  // binary file has them everywhere.
  if (nul >= 4 && nul * 100 >= n) fail_binary(diags, {});
  if (nul + ctrl >= 8 && (nul + ctrl) * 10 >= n) fail_binary(diags, {});
}

// --- ICU conversions --------------------------------------------------------

struct converter_closer {
  void operator()(UConverter* c) const { ucnv_close(c); }
};

// Converts bytes in the named charset to UTF-8. Invalid input becomes U+FFFD
// (ICU's default substitution callback).
std::string convert_to_utf8(std::string_view bytes, const char* charset, const diagnostics& diags) {
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<UConverter, converter_closer> conv(ucnv_open(charset, &ec));
  if (U_FAILURE(ec))
    fail(exit_code::internal, diags.file(), "encoding", std::string("cannot open the ICU converter for ") + charset);
  // Single-byte charsets give at most one UTF-16 unit per byte; UTF-16 gives
  // one per two bytes. Either way bytes.size() + 1 units are enough.
  std::u16string wide(bytes.size() + 1, u'\0');
  const int32_t wlen = ucnv_toUChars(conv.get(), wide.data(), static_cast<int32_t>(wide.size()), bytes.data(),
                                     static_cast<int32_t>(bytes.size()), &ec);
  if (U_FAILURE(ec))
    fail(exit_code::internal, diags.file(), "encoding", std::string("cannot convert the input from ") + charset);
  std::string out(static_cast<std::size_t>(wlen) * 3, '\0');
  int32_t olen = 0;
  ec = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &olen, wide.data(), wlen, 0xFFFD, nullptr, &ec);
  if (U_FAILURE(ec))
    fail(exit_code::internal, diags.file(), "encoding", std::string("cannot convert the input from ") + charset);
  out.resize(static_cast<std::size_t>(olen));
  return out;
}

// --- the UTF-8 scan ---------------------------------------------------------

// Length of the maximal well-formed prefix of a UTF-8 sequence at p[0..n)
// (Unicode's "maximal subpart" rule): returns the sequence length (2..4)
// when it is valid, or -k when its first k bytes (k >= 1) form one invalid
// sequence that becomes one U+FFFD.
inline int utf8_sequence(const unsigned char* p, std::size_t n) {
  const unsigned char c = p[0];
  int len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;        // no overlongs
    else if (c == 0xED) hi = 0x9F;   // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;        // no overlongs
    else if (c == 0xF4) hi = 0x8F;   // nothing above U+10FFFF
  } else {
    return -1;  // a continuation byte without a lead, C0/C1 or F5..FF
  }
  if (n < 2 || p[1] < lo || p[1] > hi) return -1;
  for (int k = 2; k < len; ++k)
    if (static_cast<std::size_t>(k) >= n || (p[k] & 0xC0) != 0x80) return -k;
  return len;
}

// True when any of the 8 bytes in w is < 0x20 or > 0x7E (a control, DEL or a
// non-ASCII byte): the classic "has less / has more" word tricks.
inline bool word_needs_attention(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const std::uint64_t less_than_20 = (w - ones * 0x20) & ~w & highs;
  const std::uint64_t more_than_7e = ((w + ones * (127 - 0x7E)) | w) & highs;
  return (less_than_20 | more_than_7e) != 0;
}

// Passes over printable ASCII from p[i]: returns the index of the first
// byte < 0x20 or > 0x7E, or an index at or before it (the caller looks at
// the bytes from there one by one), or n. Sixteen bytes at a time with
// SSE2, else eight.
inline std::size_t skip_printable(const unsigned char* p, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F);
  while (i + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Compared as signed bytes, 0x80 and above are negative: below 0x20 too.
    const int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)));
    if (mask != 0) return i + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
    i += 16;
  }
#endif
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (word_needs_attention(w)) break;
    i += 8;
  }
  return i;
}

// Is the code point a control character that is removed (C0 except tab and
// LF, DEL, C1)? CR is handled separately.
inline bool removable_control(char32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
}

// --- NFC inertness --------------------------------------------------------------

// A character that is NFC_Quick_Check=Yes with combining class 0 is inert:
// no composition or reordering can touch it, so text made only of such
// characters is in NFC already. Answers are cached per thread (batch
// workers run in parallel) in a small direct-mapped table: a text uses few
// distinct non-ASCII characters, so ordinary text costs a look-up per
// non-ASCII character instead of ICU's full check. (A table of the whole
// BMP was 64 KB of fresh memory to zero in every process.) Characters above
// the BMP count as not inert.
bool nfc_inert(char32_t c) {
  if (c > 0xFFFF) return false;
  struct slot {
    char32_t c;  // 0: empty (U+0000 is never asked: it is ASCII)
    bool inert;
  };
  thread_local std::array<slot, 512> cache{};
  slot& s = cache[c & 511];
  if (s.c != c)
    s = {c, u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_NFC_QUICK_CHECK) == UNORM_YES &&
                u_getCombiningClass(static_cast<UChar32>(c)) == 0};
  return s.inert;
}

struct scan_result {
  std::size_t invalid = 0;      // invalid sequences
  std::size_t multibyte = 0;    // valid multi-byte sequences
  std::size_t controls = 0;     // removable control characters
  std::size_t crs = 0;          // CR bytes (CRLF or lone)
  std::size_t first_control = std::string_view::npos;  // byte offset
  // The first invalid sequences: byte offset and length.
  std::vector<std::pair<std::size_t, std::size_t>> invalid_at;
  // Every valid multi-byte character is NFC-inert. The decoded text then
  // is plainly NFC: it holds these characters, ASCII and U+FFFD (inert)
  // only, whatever the repairs remove.
  bool nfc_inert = true;

  bool clean() const { return invalid == 0 && controls == 0 && crs == 0; }
  bool ascii() const { return invalid == 0 && multibyte == 0; }
};

// Lead bytes of two-byte characters that are all NFC-inert: C2..CB (U+0080..
// U+02FF: Latin-1, Latin Extended, IPA, spacing modifiers; the combining
// marks start at U+0300), CF (U+03C0..U+03FF, Greek) and D0, D1 (U+0400..
// U+047F, the Cyrillic letters; the Cyrillic combining marks start at
// U+0483). ICU says so of every code point there, and these ranges are
// fully assigned, so Unicode's stability policy keeps it so. Latin accents
// and Cyrillic text, the bulk of non-ASCII input, then need no look-up.
constexpr auto inert_lead = [] {
  std::array<bool, 256> t{};
  for (int c = 0xC2; c <= 0xCB; ++c) t[c] = true;
  t[0xCF] = t[0xD0] = t[0xD1] = true;
  return t;
}();

#if defined(__SSE2__)
// Passes over printable ASCII and well-formed two-byte characters with an
// inert lead byte (see inert_lead), sixteen bytes at a time, adding the
// two-byte characters passed to `multibyte`; line feeds and tabs, which
// stay as they are, are passed too. Returns the index of the first byte
// that needs a closer look (another control, DEL, any other non-ASCII
// character, a C1 control, a broken sequence), or an index at or before
// it, or n. Cyrillic or Greek text is mostly such characters, and would
// otherwise be looked at one character at a time.
inline std::size_t skip_simple(const unsigned char* p, std::size_t i, std::size_t n, std::size_t& multibyte) {
  // As signed bytes, continuation bytes (80..BF) are -128..-65, C2..CB are
  // -62..-53, CF..D1 are -49..-47, and ASCII is not negative.
  const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F), one = _mm_set1_epi8(1);
  const __m128i lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t');
  __m128i leads = _mm_setzero_si128();  // two-byte characters passed, in two 64-bit lanes
  while (i + 17 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i kept = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, tab));
    const __m128i odd = _mm_andnot_si128(kept, _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)));
    const auto odd_mask = static_cast<unsigned>(_mm_movemask_epi8(odd));
    if (odd_mask == 0) {
      i += 16;
      continue;
    }
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
    const __m128i lead = _mm_or_si128(
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-63)), _mm_cmplt_epi8(v, _mm_set1_epi8(-52))),
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-50)), _mm_cmplt_epi8(v, _mm_set1_epi8(-46))));
    // A lead byte counts when a continuation byte follows and it is not a
    // C1 control (C2 80..C2 9F).
    const __m128i c1 = _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xC2))),
                                     _mm_cmplt_epi8(next, _mm_set1_epi8(-96)));
    const __m128i good_lead = _mm_andnot_si128(_mm_or_si128(c1, _mm_cmpgt_epi8(next, _mm_set1_epi8(-65))), lead);
    const auto good = static_cast<unsigned>(_mm_movemask_epi8(good_lead));
    // The bytes passed: printable ASCII, good leads and the byte after each.
    const unsigned passed = (~odd_mask | good | good << 1) & 0xFFFFu;
    if (passed == 0xFFFFu) {
      leads = _mm_add_epi64(leads, _mm_sad_epu8(_mm_and_si128(good_lead, one), _mm_setzero_si128()));
      i += 16 + (good >> 15);  // a character split by the block end was checked whole
      continue;
    }
    // Up to the first byte not passed: a character boundary, since the
    // byte after a good lead is passed.
    const auto k = static_cast<unsigned>(std::countr_zero(~passed));
    const unsigned before = good & ((1u << k) - 1);
    if (before != 0) {
      const __m128i mask = _mm_cmplt_epi8(_mm_set_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
                                          _mm_set1_epi8(static_cast<char>(k)));
      leads = _mm_add_epi64(leads, _mm_sad_epu8(_mm_and_si128(_mm_and_si128(good_lead, mask), one), _mm_setzero_si128()));
    }
    i += k;
    break;
  }
  std::uint64_t lanes[2];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lanes), leads);
  multibyte += static_cast<std::size_t>(lanes[0] + lanes[1]);
  return i;
}
#endif

scan_result scan_utf8(std::string_view s) {
  scan_result r;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
#if defined(__SSE2__)
    i = skip_simple(p, i, n, r.multibyte);
#else
    i = skip_printable(p, i, n);
#endif
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == '\r') {
        ++r.crs;
      } else if (removable_control(c)) {
        if (r.controls++ == 0) r.first_control = i;
      }
      ++i;
      continue;
    }
    const int len = utf8_sequence(p + i, n - i);
    if (len > 0) {
      ++r.multibyte;
      if (r.nfc_inert && !(len == 2 && inert_lead[c])) {
        // Decoded here, since it is known to be well-formed; four-byte
        // characters are above the BMP.
        const char32_t cp = len == 2 ? static_cast<char32_t>((c & 0x1F) << 6 | (p[i + 1] & 0x3F))
                            : len == 3 ? static_cast<char32_t>((c & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F))
                                       : char32_t{0x10000};
        r.nfc_inert = nfc_inert(cp);
      }
      // C1 controls arrive as C2 80..C2 9F.
      if (c == 0xC2 && p[i + 1] <= 0x9F) {
        if (r.controls++ == 0) r.first_control = i;
      }
      i += static_cast<std::size_t>(len);
    } else {
      if (r.invalid_at.size() < max_invalid_reports) r.invalid_at.emplace_back(i, static_cast<std::size_t>(-len));
      ++r.invalid;
      i += static_cast<std::size_t>(-len);
    }
  }
  return r;
}

// Turns increasing byte offsets of the input into line:column positions
// (LF, CRLF and lone CR each end a line; columns count code points, an
// invalid sequence counting as one). Linear over all queries together.
class position_finder {
 public:
  explicit position_finder(std::string_view s) : s_(s) {}

  source_pos at(std::size_t offset) {
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data());
    while (i_ < offset && i_ < s_.size()) {
      const unsigned char c = p[i_];
      if (c == '\n' || (c == '\r' && (i_ + 1 >= s_.size() || p[i_ + 1] != '\n'))) {
        ++pos_.line;
        pos_.col = 1;
        ++i_;
      } else if (c == '\r') {
        ++i_;  // the CR of a CRLF: the LF ends the line
      } else if (c < 0x80) {
        ++pos_.col;
        ++i_;
      } else {
        const int len = utf8_sequence(p + i_, s_.size() - i_);
        i_ += static_cast<std::size_t>(len > 0 ? len : -len);
        ++pos_.col;
      }
    }
    return pos_;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  source_pos pos_{1, 1};
};

// Writes s to out with invalid sequences replaced by U+FFFD, removable
// control characters dropped and CRLF / lone CR turned into LF.
void repair_utf8(std::string_view s, std::string& out) {
  out.reserve(s.size() + s.size() / 8);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0, run = 0;  // run: start of the bytes not yet copied
  auto flush = [&](std::size_t end) { out.append(s.data() + run, end - run); };
  while (i < n) {
    i = skip_printable(p, i, n);  // printable ASCII stays as it is
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == '\r') {
        flush(i);
        ++i;
        if (i < n && p[i] == '\n') ++i;
        out += '\n';
        run = i;
      } else if (removable_control(c)) {
        flush(i);
        run = ++i;
      } else {
        ++i;
      }
      continue;
    }
    const int len = utf8_sequence(p + i, n - i);
    if (len > 0) {
      if (c == 0xC2 && p[i + 1] <= 0x9F) {  // a C1 control
        flush(i);
        run = i + 2;
      }
      i += static_cast<std::size_t>(len);
    } else {
      flush(i);
      out += "\xEF\xBF\xBD";
      i += static_cast<std::size_t>(-len);
      run = i;
    }
  }
  flush(n);
}

// --- legacy encodings -------------------------------------------------------

// Does the invalid UTF-8 look like text in a single-byte legacy encoding
// rather than UTF-8 with a few damaged bytes? In legacy text nearly every
// high byte is an invalid sequence of its own and valid multi-byte
// sequences are accidents; damaged UTF-8 is mostly valid sequences.
bool looks_legacy(const scan_result& r) { return r.invalid > 0 && r.invalid >= 2 * r.multibyte; }

// The ICU charset detectors' names we accept as a single-byte encoding, and
// whether they are "Western" (read as windows-1252 when in doubt).
struct charset_info {
  std::string_view name;
  bool western;
};
constexpr std::array<charset_info, 18> single_byte_charsets{{
    {"ISO-8859-1", true},   {"windows-1252", true},  {"ISO-8859-15", true}, {"ISO-8859-2", false},
    {"windows-1250", false}, {"ISO-8859-5", false},  {"windows-1251", false}, {"KOI8-R", false},
    {"IBM866", false},      {"ISO-8859-6", false},   {"windows-1256", false}, {"ISO-8859-7", false},
    {"windows-1253", false}, {"ISO-8859-8", false},  {"ISO-8859-8-I", false}, {"windows-1255", false},
    {"ISO-8859-9", false},  {"windows-1254", false},
}};

// A non-Western guess must be at least this sure; ICU's guesses for short
// Latin text (ISO-8859-2 for French, say) are often weak and wrong.
constexpr int32_t min_non_western_confidence = 40;

// A sample for the detector: the lines holding high bytes (where the
// evidence is), up to a limit, so a long ASCII preamble does not hide them.
std::string detection_sample(std::string_view s) {
  constexpr std::size_t limit = 64 * 1024;
  std::string sample;
  std::size_t start = 0;
  while (start < s.size() && sample.size() < limit) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view line = s.substr(start, end - start);
    for (char ch : line) {
      if (static_cast<unsigned char>(ch) >= 0x80) {
        sample.append(line.substr(0, limit));
        sample += '\n';
        break;
      }
    }
    start = end + 1;
  }
  return sample;
}

// Guesses the single-byte encoding of s (which is not UTF-8).
std::string guess_legacy_charset(std::string_view s) {
  bool c1_bytes = false;  // bytes 0x80..0x9F occur
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 && c <= 0x9F) {
      c1_bytes = true;
      break;
    }
  }
  std::string guess = "windows-1252";
  const std::string sample = detection_sample(s);
  UErrorCode ec = U_ZERO_ERROR;
  UCharsetDetector* det = ucsdet_open(&ec);
  if (U_SUCCESS(ec)) {
    ucsdet_setText(det, sample.data(), static_cast<int32_t>(sample.size()), &ec);
    int32_t count = 0;
    const UCharsetMatch** matches = U_SUCCESS(ec) ? ucsdet_detectAll(det, &count, &ec) : nullptr;
    for (int32_t k = 0; U_SUCCESS(ec) && matches && k < count; ++k) {
      const char* name = ucsdet_getName(matches[k], &ec);
      const int32_t confidence = ucsdet_getConfidence(matches[k], &ec);
      if (U_FAILURE(ec) || !name) break;
      const charset_info* info = nullptr;
      for (const auto& cs : single_byte_charsets)
        if (cs.name == name) info = &cs;
      if (!info) continue;  // UTF-16, CJK multi-byte, EBCDIC: not for us
      if (!info->western && confidence >= min_non_western_confidence) guess = name;
      break;  // the best single-byte candidate decides
    }
    ucsdet_close(det);
  }
  // ISO-8859-x leaves 0x80..0x9F to invisible C1 controls; real text with
  // those bytes is in the matching Windows code page.
  if (c1_bytes) {
    if (guess == "ISO-8859-1" || guess == "ISO-8859-15") guess = "windows-1252";
    else if (guess == "ISO-8859-2") guess = "windows-1250";
    else if (guess == "ISO-8859-5") guess = "windows-1251";
    else if (guess == "ISO-8859-6") guess = "windows-1256";
    else if (guess == "ISO-8859-7") guess = "windows-1253";
    else if (guess == "ISO-8859-8" || guess == "ISO-8859-8-I") guess = "windows-1255";
    else if (guess == "ISO-8859-9") guess = "windows-1254";
  }
  if (guess == "ISO-8859-8-I") guess = "ISO-8859-8";  // same bytes; the name ICU converters know
  return guess;
}

// --- NFC ----------------------------------------------------------------------

// Text whose every character is ASCII or NFC-inert is in NFC already.
bool plainly_nfc(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    // ASCII is inert: skip it a word at a time.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    char32_t c;
    if (p[i] >= 0xC2 && p[i] <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      // A two-byte sequence (Latin, Greek, Cyrillic), decoded in place;
      // it is always well-formed, so utf8::next would give the same.
      c = static_cast<char32_t>((p[i] & 0x1F) << 6 | (p[i + 1] & 0x3F));
      i += 2;
    } else {
      c = utf8::next(text, i);
    }
    if (!nfc_inert(c)) return false;
  }
  return true;
}

void to_nfc(std::string& text, const diagnostics& diags) {
  if (plainly_nfc(text)) return;
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(ec);
  if (U_FAILURE(ec)) fail(exit_code::internal, diags.file(), "icu", "cannot load the ICU NFC data");
  const icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(piece, ec) || U_FAILURE(ec)) return;
  std::string out;
  out.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out);
  ec = U_ZERO_ERROR;
  nfc->normalizeUTF8(0, piece, sink, nullptr, ec);
  if (U_SUCCESS(ec)) text.swap(out);
}

}  // namespace

std::string decode_text(std::string_view bytes, diagnostics& diags) {
  if (bytes.empty()) return {};

  // Byte order marks decide the encoding outright.
  std::string converted;  // holds the input when it had to be converted first
  std::string_view s = bytes;
  if (s.starts_with("\xEF\xBB\xBF")) {
    s.remove_prefix(3);
  } else if (s.starts_with("\xFF\xFE") || s.starts_with("\xFE\xFF")) {
    const bool le = s[0] == '\xFF';
    s.remove_prefix(2);
    converted = convert_to_utf8(s, le ? "UTF-16LE" : "UTF-16BE", diags);
    s = converted;
  } else {
    const utf16_guess g = sniff_utf16(s);
    if (g != utf16_guess::none) {
      const char* name = g == utf16_guess::le ? "UTF-16LE" : "UTF-16BE";
      converted = convert_to_utf8(s, name, diags);
      s = converted;
      diags.warning({}, "legacy-encoding", std::string("text is not UTF-8; read as ") + name + " (no byte order mark)");
    } else {
      check_not_binary(s, diags);
    }
  }

  scan_result scan = scan_utf8(s);
  if (looks_legacy(scan)) {
    const std::string charset = guess_legacy_charset(s);
    converted = convert_to_utf8(s, charset.c_str(), diags);
    s = converted;
    diags.warning({}, "legacy-encoding", "text is not UTF-8; read as " + charset);
    scan = scan_utf8(s);  // for the control characters and CRs of the converted text
  }

  // Report what the repair pass will change, at input positions.
  if (scan.invalid > 0 || scan.controls > 0) {
    position_finder where(s);
    std::size_t next_control = scan.first_control;
    auto report_control = [&] {
      diags.warning(where.at(next_control), "control-characters",
                    std::to_string(scan.controls) + (scan.controls == 1 ? " control character" : " control characters") +
                        " removed (first here)");
      next_control = std::string_view::npos;
    };
    for (const auto& [off, len] : scan.invalid_at) {
      if (next_control < off) report_control();
      auto& d = diags.warning(where.at(off), "invalid-utf8", "invalid UTF-8 replaced by U+FFFD");
      d.notes.push_back(len == 1 ? "byte" : "bytes");
      for (std::size_t k = 0; k < len; ++k) {
        static constexpr char hex[] = "0123456789abcdef";
        const auto b = static_cast<unsigned char>(s[off + k]);
        d.notes.back() += std::string(" 0x") + hex[b >> 4] + hex[b & 15];
      }
    }
    if (scan.invalid > scan.invalid_at.size())
      diags.warning({}, "invalid-utf8",
                    std::to_string(scan.invalid) + " invalid UTF-8 sequences replaced by U+FFFD in all, " +
                        std::to_string(scan.invalid - scan.invalid_at.size()) + " of them not listed");
    if (next_control != std::string_view::npos) report_control();
  }

  std::string out;
  if (scan.clean()) {
    if (!converted.empty() && s.data() == converted.data())
      out = std::move(converted);
    else
      out.assign(s);
  } else {
    repair_utf8(s, out);
  }
  // The scan has seen every character the text keeps: when all are inert,
  // the text is NFC and needs no second look.
  if (!scan.ascii() && !scan.nfc_inert) to_nfc(out, diags);
  return out;
}

}  // namespace galley::parse
