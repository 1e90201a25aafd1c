// XML output format, hashing, and image checks for the EPUB back end.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <utility>

#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "epub/internal.hpp"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef GALLEY_HAVE_IMAGE_PROBE
#include "image/image.hpp"
#endif

namespace galley::epub::detail {

// ---------------------------------------------------------------- XML output

namespace {

bool same(const char* a, const char* b) { return std::strcmp(a, b) == 0; }

// Elements set inline, whose parent is written on one line. Decided by the
// first letter, then whole names: this runs for every child of every element.
bool is_inline(const char* name) {
  const bool one_letter = name[0] != '\0' && name[1] == '\0';
  switch (name[0]) {
    case 'a': return one_letter || same(name, "abbr");
    case 'b': return one_letter || same(name, "br");
    case 'c': return same(name, "cite") || same(name, "code");
    case 'e': return same(name, "em");
    case 'i': return one_letter || same(name, "img");
    case 'q': return one_letter;
    case 's':
      return one_letter || same(name, "small") || same(name, "span") || same(name, "strong") || same(name, "sub") ||
             same(name, "sup");
    case 't': return same(name, "tspan") || same(name, "time");
    case 'w': return same(name, "wbr");
    default: return false;
  }
}

bool is_void(const char* name) {
  return same(name, "br") || same(name, "hr") || same(name, "img") || same(name, "meta") || same(name, "link") ||
         same(name, "wbr");
}

// Bytes escape() must look at, for text and for attribute values: the C0
// controls (newline and tab among them, kept in text), & < >, and 0xEF,
// which may start U+FFFE or U+FFFF. Attribute values add the double quote.
// Every other byte is copied as it is.
struct special_bytes {
  bool text[256] = {};
  bool attribute[256] = {};
  constexpr special_bytes() {
    for (int b = 0; b < 0x20; ++b) text[b] = attribute[b] = true;
    text['&'] = text['<'] = text['>'] = text[0xEF] = true;
    attribute['&'] = attribute['<'] = attribute['>'] = attribute[0xEF] = true;
    attribute['"'] = true;
  }
};
constexpr special_bytes special;

#ifdef __SSE2__
// Bit i set when at[i] may be special for escape() (any C0 control, & < >
// 0xEF or the double quote), for the sixteen bytes from `at`.
unsigned special_mask(const char* at) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  const __m128i c1f = _mm_set1_epi8(0x1F);
  __m128i hit = _mm_cmpeq_epi8(_mm_max_epu8(v, c1f), c1f);  // bytes <= 0x1F
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('&')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('<')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('>')));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xEF))));
  hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

// The first byte of [p, end) that is special for escape(), or end; `begin`
// starts the text p is in. Where SSE2 is available (every x86-64) sixteen
// bytes are tested at a time, as most text has nothing to escape for long
// stretches, and a text's last few bytes with a load that overlaps bytes
// already tested. That test flags every C0 control and, in text, the double
// quote: escape() keeps what it need not change.
const char* next_special(const char* p, const char* begin, const char* end, bool attribute) {
#ifdef __SSE2__
  for (; end - p >= 16; p += 16)
    if (const unsigned mask = special_mask(p)) return p + std::countr_zero(mask);
  if (p < end && end - begin >= 16) {
    const auto tested = static_cast<int>(16 - (end - p));  // of the last sixteen
    const unsigned mask = special_mask(end - 16) >> tested;
    return mask != 0 ? p + std::countr_zero(mask) : end;
  }
#endif
  const bool* look = attribute ? special.attribute : special.text;
  while (p < end && !look[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

// Appends text escaped for XML: runs that need nothing are copied whole.
// Characters XML 1.0 does not allow are dropped (C0 controls other than tab
// and newline, U+FFFE, U+FFFF). The text is valid UTF-8 (the readers made it
// so), so no multi-byte sequence holds a byte below 0x80.
void escape(std::string& out, std::string_view text, bool attribute) {
  const char* s = text.data();
  const char* const end = s + text.size();
  const char* run = s;  // [run, s) goes out as it is
  for (;;) {
    s = next_special(s, text.data(), end, attribute);
    if (s == end) break;
    std::string_view with;
    std::size_t skip = 1;
    switch (static_cast<unsigned char>(*s)) {
      case '&': with = "&amp;"; break;
      case '<': with = "&lt;"; break;
      case '>': with = "&gt;"; break;
      case '"':
      case '\n':
      case '\t':
        if (!attribute) skip = 0;  // kept in text
        else with = *s == '"' ? "&quot;" : *s == '\n' ? "&#10;" : "&#9;";
        break;
      case 0xEF:  // U+FFFE and U+FFFF are EF BF BE and EF BF BF: dropped
        skip = end - s >= 3 && static_cast<unsigned char>(s[1]) == 0xBF &&
                       (static_cast<unsigned char>(s[2]) & 0xFE) == 0xBE
                   ? 3
                   : 0;
        break;
      default: break;  // another C0 control: dropped
    }
    if (skip == 0) {  // a byte kept as it is, part of the run
      ++s;
      continue;
    }
    out.append(run, static_cast<std::size_t>(s - run));
    out.append(with);
    s += skip;
    run = s;
  }
  out.append(run, static_cast<std::size_t>(end - run));
}

struct writer {
  std::string out;
  bool xhtml;

  static bool has_inline_content(pugi::xml_node n) {
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
      const auto type = c.type();
      if (type == pugi::node_pcdata || type == pugi::node_cdata) return true;
      if (type == pugi::node_element && is_inline(c.name())) return true;
    }
    return false;
  }

  void close(const char* name, std::size_t len) {
    out.append("</", 2);
    out.append(name, len);
    out += '>';
  }

  void element(pugi::xml_node n, int depth, bool pretty) {
    const std::size_t indent = pretty ? static_cast<std::size_t>(depth) * 2 : 0;
    const char* name = n.name();
    const std::size_t name_len = std::strlen(name);
    out.append(indent, ' ');
    out += '<';
    out.append(name, name_len);
    for (auto a = n.first_attribute(); a; a = a.next_attribute()) {
      out += ' ';
      out.append(a.name());
      out.append("=\"", 2);
      escape(out, a.value(), true);
      out += '"';
    }
    const pugi::xml_node first = n.first_child();
    if (!first) {
      if (xhtml && !is_void(name)) {
        out += '>';
        close(name, name_len);
      } else {
        out.append("/>", 2);
      }
      if (pretty) out += '\n';
      return;
    }
    out += '>';
    const bool block = pretty && !has_inline_content(n);
    if (block) out += '\n';
    for (auto c = first; c; c = c.next_sibling()) child(c, depth + 1, block);
    if (block) out.append(indent, ' ');
    close(name, name_len);
    if (pretty) out += '\n';
  }

  void child(pugi::xml_node c, int depth, bool pretty) {
    switch (c.type()) {
      case pugi::node_element: element(c, depth, pretty); break;
      case pugi::node_pcdata:
      case pugi::node_cdata: escape(out, c.value(), false); break;
      case pugi::node_comment:
        if (pretty) out.append(static_cast<std::size_t>(depth) * 2, ' ');
        out.append("<!--", 4);
        out.append(c.value());
        out.append("-->", 3);
        if (pretty) out += '\n';
        break;
      default: break;
    }
  }
};

}  // namespace

std::string to_xml(const pugi::xml_document& doc, bool xhtml) {
  writer w{{}, xhtml};
  w.out.reserve(16 * 1024);  // an interview's file is larger: fewer regrowths
  w.out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  for (auto c = doc.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_doctype) {
      w.out.append("<!DOCTYPE ", 10);
      w.out.append(c.value());
      w.out.append(">\n", 2);
    } else if (c.type() == pugi::node_element) {
      w.element(c, 0, true);
    }
  }
  return std::move(w.out);
}

// ---------------------------------------------------------------- UUID

namespace {

constexpr std::string_view uuid_namespace = "galley/epub/identifier\n";

}  // namespace

uuid_source::uuid_source() { hash_.update(uuid_namespace); }

std::string uuid_source::uuid() {
  // RFC 4122 version 5 layout over SHA-1 of a galley namespace and the data.
  auto d = hash_.digest();
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0F) | 0x50);
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3F) | 0x80);
  const std::string h = to_hex(d.data(), 16);
  return "urn:uuid:" + h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' +
         h.substr(20, 12);
}

std::string uuid_from(std::string_view data) {
  uuid_source u;
  u.add(data);
  return u.uuid();
}

// ---------------------------------------------------------------- images

namespace {

[[noreturn]] void bad_image(const std::filesystem::path& path, const std::string& file, source_pos pos,
                            const std::string& why) {
  diagnostic d{severity::error, file.empty() ? path.string() : file, pos,
               "bad image '" + path.string() + "': " + why, "bad-image", {}};
  throw error(exit_code::input_failed, std::move(d));
}

#ifndef GALLEY_HAVE_IMAGE_PROBE
// The fallback check, used until galley::image is part of the build.
std::uint32_t be32(const std::string& s, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(s[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) | static_cast<unsigned char>(s[at + 3]);
}

// Structure only: every chunk within the file, IHDR first, IEND last.
bool png_ok(const std::string& s) {
  if (s.size() < 8 + 25 + 12 || s.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return false;
  if (be32(s, 8) != 13 || s.compare(12, 4, "IHDR") != 0) return false;
  if (be32(s, 16) == 0 || be32(s, 20) == 0) return false;
  std::size_t at = 8;
  bool idat = false;
  while (at + 12 <= s.size()) {
    const std::uint32_t len = be32(s, at);
    if (len > s.size() - at - 12) return false;
    const std::string type = s.substr(at + 4, 4);
    if (type == "IDAT") idat = true;
    at += 12 + len;
    if (type == "IEND") return idat;
  }
  return false;
}

// Markers up to the scan, a frame header, and the end-of-image marker.
bool jpeg_ok(const std::string& s) {
  if (s.size() < 4 || static_cast<unsigned char>(s[0]) != 0xFF || static_cast<unsigned char>(s[1]) != 0xD8)
    return false;
  std::size_t end = s.size();
  while (end > 2 && s[end - 1] == '\0') --end;  // some writers pad
  if (static_cast<unsigned char>(s[end - 2]) != 0xFF || static_cast<unsigned char>(s[end - 1]) != 0xD9) return false;
  std::size_t at = 2;
  bool frame = false;
  while (at + 4 <= end) {
    if (static_cast<unsigned char>(s[at]) != 0xFF) return false;
    const unsigned m = static_cast<unsigned char>(s[at + 1]);
    if (m == 0xFF) {
      ++at;
      continue;
    }
    const std::size_t len = (std::size_t{static_cast<unsigned char>(s[at + 2])} << 8) | static_cast<unsigned char>(s[at + 3]);
    if (len < 2 || at + 2 + len > end) return false;
    if ((m >= 0xC0 && m <= 0xCF) && m != 0xC4 && m != 0xC8 && m != 0xCC) frame = true;
    if (m == 0xDA) return frame;
    at += 2 + len;
  }
  return false;
}
#endif

}  // namespace

image_format check_image(const std::filesystem::path& path, const std::string& file, source_pos pos) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) bad_image(path, file, pos, "no such file");
#ifdef GALLEY_HAVE_IMAGE_PROBE
  const auto info = image::probe(path);
  return info.format == image::format::png ? image_format::png : image_format::jpeg;
#else
  std::string bytes;
  try {
    bytes = read_file(path);
  } catch (const error& e) {
    bad_image(path, file, pos, "cannot read it");
  }
  if (bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0) {
    if (!png_ok(bytes)) bad_image(path, file, pos, "truncated or corrupt png");
    return image_format::png;
  }
  if (bytes.size() >= 3 && bytes.compare(0, 3, "\xFF\xD8\xFF") == 0) {
    if (!jpeg_ok(bytes)) bad_image(path, file, pos, "truncated or corrupt jpeg");
    return image_format::jpeg;
  }
  bad_image(path, file, pos, "not a png or jpeg file");
#endif
}

}  // namespace galley::epub::detail
