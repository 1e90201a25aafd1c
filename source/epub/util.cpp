// XML output format, hashing, and image checks for the EPUB back end.
#include <array>
#include <cstdint>
#include <cstring>
#include <system_error>

#include "base/diagnostics.hpp"
#include "base/output.hpp"
#include "epub/internal.hpp"

#ifdef GALLEY_HAVE_IMAGE_PROBE
#include "image/image.hpp"
#endif

namespace galley::epub::detail {

// ---------------------------------------------------------------- XML output

namespace {

bool is_inline(std::string_view name) {
  static constexpr std::string_view names[] = {"a",    "abbr", "b",     "br",  "cite", "code", "em",
                                               "i",    "img",  "q",     "s",   "small", "span", "strong",
                                               "sub",  "sup",  "tspan", "wbr", "time"};
  for (auto n : names)
    if (n == name) return true;
  return false;
}

bool is_void(std::string_view name) {
  return name == "br" || name == "hr" || name == "img" || name == "meta" || name == "link" || name == "wbr";
}

// Appends s escaped for XML, byte by byte: runs that need nothing are
// copied whole. Characters XML 1.0 does not allow are dropped (C0 controls
// other than tab and newline, U+FFFE, U+FFFF). The text is valid UTF-8 (the
// readers made it so), so no multi-byte sequence holds a byte below 0x80.
void escape(std::string& out, std::string_view s, bool attribute) {
  std::size_t copied = 0;  // s[copied, i) goes out as it is
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b != '&' && b != '<' && b != '>' && b != '"' && b != 0xEF) continue;
    std::string_view with;
    std::size_t skip = 1;
    switch (b) {
      case '&': with = "&amp;"; break;
      case '<': with = "&lt;"; break;
      case '>': with = "&gt;"; break;
      case '"':
        if (!attribute) continue;
        with = "&quot;";
        break;
      case '\n':
        if (!attribute) continue;
        with = "&#10;";
        break;
      case '\t':
        if (!attribute) continue;
        with = "&#9;";
        break;
      case 0xEF:  // U+FFFE and U+FFFF are EF BF BE and EF BF BF
        if (!(i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
              (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xBE))
          continue;
        skip = 3;
        break;
      default:  // another C0 control
        break;
    }
    out.append(s.substr(copied, i - copied));
    out.append(with);
    copied = i + skip;
    i = copied - 1;
  }
  out.append(s.substr(copied));
}

struct writer {
  std::string out;
  bool xhtml;

  static bool has_inline_content(pugi::xml_node n) {
    for (auto c : n.children()) {
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) return true;
      if (c.type() == pugi::node_element && is_inline(c.name())) return true;
    }
    return false;
  }

  void element(pugi::xml_node n, int depth, bool pretty) {
    const std::size_t indent = pretty ? static_cast<std::size_t>(depth) * 2 : 0;
    out.append(indent, ' ');
    out += '<';
    out += n.name();
    for (auto a : n.attributes()) {
      out += ' ';
      out += a.name();
      out += "=\"";
      escape(out, a.value(), true);
      out += '"';
    }
    if (!n.first_child()) {
      if (xhtml && !is_void(n.name())) {
        out += "></";
        out += n.name();
        out += '>';
      } else {
        out += "/>";
      }
      if (pretty) out += '\n';
      return;
    }
    out += '>';
    const bool block = pretty && !has_inline_content(n);
    if (block) out += '\n';
    for (auto c : n.children()) child(c, depth + 1, block);
    if (block) out.append(indent, ' ');
    out += "</";
    out += n.name();
    out += '>';
    if (pretty) out += '\n';
  }

  void child(pugi::xml_node c, int depth, bool pretty) {
    switch (c.type()) {
      case pugi::node_element: element(c, depth, pretty); break;
      case pugi::node_pcdata:
      case pugi::node_cdata: escape(out, c.value(), false); break;
      case pugi::node_comment:
        if (pretty) out += std::string(static_cast<std::size_t>(depth) * 2, ' ');
        out += "<!--";
        out += c.value();
        out += "-->";
        if (pretty) out += '\n';
        break;
      default: break;
    }
  }
};

}  // namespace

std::string to_xml(const pugi::xml_document& doc, bool xhtml) {
  writer w{{}, xhtml};
  w.out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  for (auto c : doc.children()) {
    if (c.type() == pugi::node_doctype) {
      w.out += "<!DOCTYPE ";
      w.out += c.value();
      w.out += ">\n";
    } else if (c.type() == pugi::node_element) {
      w.element(c, 0, true);
    }
  }
  return w.out;
}

// ---------------------------------------------------------------- UUID

std::string uuid_from(std::string_view data) {
  // RFC 4122 version 5 layout over SHA-1 of a galley namespace and the data.
  auto d = sha1(std::string("galley/epub/identifier\n") + std::string(data));
  d[6] = static_cast<std::uint8_t>((d[6] & 0x0F) | 0x50);
  d[8] = static_cast<std::uint8_t>((d[8] & 0x3F) | 0x80);
  const std::string h = to_hex(d.data(), 16);
  return "urn:uuid:" + h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' +
         h.substr(20, 12);
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
