// libharu 2.3.0 adapter. What libharu does and what this file adds (all
// measured with Debian's libhpdf 2.3.0+dfsg):
//
// - Fonts: HPDF_UseUTFEncodings + HPDF_LoadTTFontFromFile(embed) +
//   HPDF_GetFont(name, "UTF-8") makes a Type0 font with /Identity-H: the code
//   of a character is its UTF-16 code unit (2 bytes), the CID equals the
//   code, and a /CIDToGIDMap maps it to the glyph. Characters above U+FFFF
//   become spaces.
// - libharu tags the font name HPDFAA+, HPDFAB+, ... in load order. We
//   re-tag it with a tag derived from the subset's bytes, so two different
//   subsets never share a name.
// - libharu embeds only glyphs it saw through its own text functions. We
//   write TJ ourselves, so every glyph of the (already subset) font is marked
//   used.
// - Its /ToUnicode uses `begincidrange`, which is invalid in a ToUnicode
//   CMap (poppler warns on every file). We rewrite that stream with
//   bfchar entries for the codes actually used. The CIDSystemInfo
//   /Ordering (Identity-H) is corrected to (Identity).
// - No TJ API: the page's content stream is reached through the page attr
//   and TJ arrays are written with HPDF_Stream_WriteStr, using the same
//   2-byte codes libharu's encoder would write.
// - Destinations: HPDF_Destination_SetXYZ rejects zoom 0 (and the error kills
//   the document); we build [page /XYZ left top null] ourselves.
// - Text strings (info, outline titles, page label prefixes) are written as
//   UTF-16BE with a BOM, bypassing libharu's encoders.
// - Errors: besides calling the handler, libharu sets a sticky error without
//   calling it (HPDF_Dict_GetItem on a missing key or a key of another type
//   does that, and every later call is then skipped with 0x105C). check()
//   looks at both; has_key() avoids HPDF_Dict_GetItem on optional keys.
// - /ID: libharu writes none without encryption. We add one, computed from
//   the file's bytes, so two runs give identical files.
#include "pdf/haru.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <map>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "base/diagnostics.hpp"
#include "base/utf8.hpp"

namespace galley::pdf::haru {
namespace {

struct error_state {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

// Called by libharu with C frames on the stack: record, never throw.
void on_error(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<error_state*>(user);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

const char* describe(HPDF_STATUS code) {
  switch (code) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_IO_ERROR: return "file i/o error";
    case HPDF_FILE_OPEN_ERROR: return "cannot open file";
    case HPDF_FONT_EXISTS: return "two fonts with the same name";
    case HPDF_FONT_INVALID_WIDTHS_TABLE: return "invalid widths table";
    case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
    case HPDF_TTF_INVALID_CMAP: return "unsupported cmap in font";
    case HPDF_TTF_INVALID_FOMAT: return "invalid TrueType file";
    case HPDF_TTF_MISSING_TABLE: return "missing table in TrueType file";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "font licence forbids embedding";
    case HPDF_INVALID_JPEG_DATA: return "invalid JPEG data";
    case HPDF_INVALID_IMAGE: return "invalid image";
    case HPDF_PAGE_INVALID_SIZE: return "invalid page size";
    case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
    case HPDF_PAGE_INVALID_FONT_SIZE: return "invalid font size";
    case HPDF_INVALID_PARAMETER: return "invalid parameter";
    case HPDF_INVALID_DESTINATION: return "invalid destination";
    case HPDF_STRING_OUT_OF_RANGE: return "string too long";
    case HPDF_NAME_OUT_OF_RANGE: return "name too long";
    default: return nullptr;
  }
}

// Numbers for content streams: fixed point, at most `digits` decimals,
// no exponent, no locale.
std::string num(double v, int digits = 3) {
  if (v > -1e-9 && v < 1e-9) return "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

void hex4(std::string& out, unsigned v) {
  static const char digits[] = "0123456789ABCDEF";
  out += digits[(v >> 12) & 15];
  out += digits[(v >> 8) & 15];
  out += digits[(v >> 4) & 15];
  out += digits[v & 15];
}

void append_utf16be(std::string& out, char32_t c) {
  auto unit = [&](unsigned u) {
    out += static_cast<char>((u >> 8) & 0xFF);
    out += static_cast<char>(u & 0xFF);
  };
  if (c >= 0x10000) {
    c -= 0x10000;
    unit(0xD800 + (c >> 10));
    unit(0xDC00 + (c & 0x3FF));
  } else {
    unit(c);
  }
}

std::string to_hex(std::string_view bytes) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

HPDF_Rect rect(double x1, double y1, double x2, double y2) {
  return {static_cast<HPDF_REAL>(std::min(x1, x2)), static_cast<HPDF_REAL>(std::min(y1, y2)),
          static_cast<HPDF_REAL>(std::max(x1, x2)), static_cast<HPDF_REAL>(std::max(y1, y2))};
}

// Whether a dictionary has the key, without HPDF_Dict_GetItem (which sets
// the sticky error when the key is missing or of another type).
bool has_key(HPDF_Dict dict, const char* key) {
  HPDF_List list = dict->list;
  for (HPDF_UINT i = 0; list && i < list->count; ++i) {
    auto* e = static_cast<HPDF_DictElement>(HPDF_List_ItemAt(list, i));
    if (e && std::strcmp(e->key, key) == 0) return true;
  }
  return false;
}

bool printable_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

// The ToUnicode CMap for an Identity-H font whose codes are UTF-16 code
// units of BMP characters: code -> the same character. Only bfchar entries:
// Ghostscript (10.0) misreads bfrange entries with 2-byte destinations
// (Cyrillic came out as Latin garbage in txtwrite), bfchar works everywhere.
std::string to_unicode_cmap(const std::set<char32_t>& used) {
  std::vector<unsigned> codes;
  for (char32_t c : used)
    if (c <= 0xFFFF && !(c >= 0xD800 && c <= 0xDFFF)) codes.push_back(static_cast<unsigned>(c));
  std::string s =
      "/CIDInit /ProcSet findresource begin\n"
      "12 dict begin\n"
      "begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n"
      "/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (std::size_t i = 0; i < codes.size(); i += 100) {
    std::size_t n = std::min<std::size_t>(100, codes.size() - i);
    s += std::to_string(n) + " beginbfchar\n";
    for (std::size_t j = i; j < i + n; ++j) {
      s += '<';
      hex4(s, codes[j]);
      s += "> <";
      hex4(s, codes[j]);
      s += ">\n";
    }
    s += "endbfchar\n";
  }
  s += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  return s;
}

// Placeholder for the /ID strings: hex digits only, so the case libharu uses
// does not matter when we look for it.
constexpr unsigned char id_placeholder[16] = {0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97, 0x93,
                                              0x23, 0x84, 0x62, 0x64, 0x33, 0x83, 0x27, 0x95};

}  // namespace

std::string percent_encode_uri(std::string_view uri) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : uri) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
        c == '`' || c == '{' || c == '|' || c == '}') {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string utf16be_with_bom(std::string_view utf8) {
  std::string out = "\xFE\xFF";
  for (std::size_t i = 0; i < utf8.size();) append_utf16be(out, galley::utf8::next(utf8, i));
  return out;
}

struct document::impl {
  error_state err;
  HPDF_Doc doc = nullptr;
  std::vector<HPDF_Font> fonts;
  std::vector<HPDF_Page> pages;
  std::vector<HPDF_Image> images;
  std::vector<HPDF_Outline> outlines;

  // Text state inside the current text object, to skip redundant operators.
  struct text_state {
    int font = -1;
    double size = 0;
    double scale = 100;
    colour fill;
    bool fill_set = false;
  } text;

  ~impl() {
    if (doc) HPDF_Free(doc);
  }

  [[noreturn]] void raise(const char* what) {
    std::string msg = std::string("libharu failed in ") + what;
    if (err.code != HPDF_OK) {
      char code[16];
      std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(err.code));
      msg += ": error ";
      msg += code;
      if (const char* d = describe(err.code)) msg += std::string(" (") + d + ")";
      if (err.detail) msg += ", detail " + std::to_string(err.detail);
    }
    fail(exit_code::internal, "", "pdf-failed", msg);
  }
  // libharu reports some errors only through the document's sticky error
  // state (HPDF_SetError does not call the handler): look at both.
  void check(const char* what) {
    if (err.code == HPDF_OK && doc) {
      HPDF_STATUS sticky = HPDF_GetError(doc);
      if (sticky != HPDF_OK) {
        err.code = sticky;
        err.detail = HPDF_GetErrorDetail(doc);
      }
    }
    if (err.code != HPDF_OK) raise(what);
  }
  void check(HPDF_STATUS status, const char* what) {
    if (status != HPDF_OK && err.code == HPDF_OK) err.code = status;
    check(what);
  }
  template <class T>
  T check_ptr(T p, const char* what) {
    if (!p && err.code == HPDF_OK) err.code = HPDF_INVALID_OBJECT;
    check(what);
    return p;
  }

  HPDF_MMgr mmgr() const { return doc->mmgr; }

  HPDF_Page page(int i) {
    if (i < 0 || static_cast<std::size_t>(i) >= pages.size())
      fail(exit_code::internal, "", "pdf-failed", "page index out of range: " + std::to_string(i));
    return pages[static_cast<std::size_t>(i)];
  }
  HPDF_Stream stream(HPDF_Page p) { return static_cast<HPDF_PageAttr>(p->attr)->stream; }
  void write(HPDF_Page p, const std::string& s) {
    check(HPDF_Stream_WriteStr(stream(p), s.c_str()), "writing the page content");
  }

  // A PDF text string object (literal for printable ASCII, else UTF-16BE).
  void* text_string(std::string_view utf8) {
    if (printable_ascii(utf8)) {
      std::string s(utf8);
      return check_ptr(static_cast<void*>(HPDF_String_New(mmgr(), s.c_str(), nullptr)),
                       "creating a string");
    }
    std::string b = utf16be_with_bom(utf8);
    return check_ptr(static_cast<void*>(HPDF_Binary_New(
                         mmgr(), reinterpret_cast<HPDF_BYTE*>(b.data()),
                         static_cast<HPDF_UINT>(b.size()))),
                     "creating a string");
  }

  // [page /XYZ left top null]: keeps the reader's zoom.
  HPDF_Destination xyz(int target, double top) {
    HPDF_Page p = page(target);
    HPDF_Destination dst = check_ptr(HPDF_Page_CreateDestination(p), "creating a destination");
    HPDF_Array_Clear(dst);
    check(HPDF_Array_Add(dst, p), "creating a destination");
    check(HPDF_Array_AddName(dst, "XYZ"), "creating a destination");
    check(HPDF_Array_AddReal(dst, 0), "creating a destination");
    check(HPDF_Array_AddReal(dst, static_cast<HPDF_REAL>(top)), "creating a destination");
    check(HPDF_Array_Add(dst, check_ptr(HPDF_Null_New(mmgr()), "creating a destination")),
          "creating a destination");
    return dst;
  }
};

document::document(bool compress) : d_(std::make_unique<impl>()) {
  d_->doc = HPDF_New(on_error, &d_->err);
  if (!d_->doc) fail(exit_code::internal, "", "pdf-failed", "libharu could not create a document");
  d_->check(HPDF_SetCompressionMode(d_->doc, compress ? HPDF_COMP_ALL : HPDF_COMP_NONE),
            "setting compression");
  d_->check(HPDF_UseUTFEncodings(d_->doc), "enabling UTF-8");
  d_->check(HPDF_SetCurrentEncoder(d_->doc, "UTF-8"), "enabling UTF-8");
  // SMask needs 1.4, ActualText 1.5.
  d_->doc->pdf_version = HPDF_VER_15;
}

document::~document() = default;

int document::load_font(const std::string& file, const std::string& tag,
                        const std::set<char32_t>& used) {
  impl& d = *d_;
  const char* name = d.check_ptr(HPDF_LoadTTFontFromFile(d.doc, file.c_str(), HPDF_TRUE),
                                 "loading a font");
  HPDF_FontDef def = d.check_ptr(HPDF_Doc_FindFontDef(d.doc, name), "loading a font");
  auto* attr = static_cast<HPDF_TTFontDefAttr>(def->attr);
  if (tag.size() == HPDF_TTF_FONT_TAG_LEN) {
    std::string t = tag;
    HPDF_TTFontDef_SetTagName(def, t.data());
  }
  // The font is a subset already: embed every glyph in it.
  for (HPDF_UINT16 g = 0; g < attr->num_glyphs; ++g) attr->glyph_tbl.flgs[g] = 1;

  HPDF_Font font = d.check_ptr(HPDF_GetFont(d.doc, name, "UTF-8"), "loading a font");
  auto* fattr = static_cast<HPDF_FontAttr>(font->attr);

  // Replace the invalid ToUnicode CMap.
  HPDF_Dict tu = has_key(font, "ToUnicode") ? static_cast<HPDF_Dict>(HPDF_Dict_GetItem(
                                                  font, "ToUnicode", HPDF_OCLASS_DICT))
                                            : nullptr;
  if (tu && tu->stream) {
    HPDF_MemStream_FreeData(tu->stream);
    for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"})
      if (has_key(tu, key)) d.check(HPDF_Dict_RemoveElement(tu, key), "writing ToUnicode");
  } else {
    tu = d.check_ptr(HPDF_DictStream_New(d.mmgr(), fattr->xref), "writing ToUnicode");
    d.check(HPDF_Dict_Add(font, "ToUnicode", tu), "writing ToUnicode");
  }
  d.check(HPDF_Stream_WriteStr(tu->stream, to_unicode_cmap(used).c_str()), "writing ToUnicode");

  // CIDSystemInfo of the descendant font: /Ordering (Identity).
  if (HPDF_Font cid = fattr->descendant_font) {
    auto* info = has_key(cid, "CIDSystemInfo")
                     ? static_cast<HPDF_Dict>(HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT))
                     : nullptr;
    if (info)
      d.check(HPDF_Dict_Add(info, "Ordering", HPDF_String_New(d.mmgr(), "Identity", nullptr)),
              "loading a font");
  }
  d.check("loading a font");
  d.fonts.push_back(font);
  return static_cast<int>(d.fonts.size()) - 1;
}

int document::add_page(double width, double height) {
  impl& d = *d_;
  HPDF_Page p = d.check_ptr(HPDF_AddPage(d.doc), "adding a page");
  d.check(HPDF_Page_SetWidth(p, static_cast<HPDF_REAL>(width)), "setting the page size");
  d.check(HPDF_Page_SetHeight(p, static_cast<HPDF_REAL>(height)), "setting the page size");
  d.pages.push_back(p);
  return static_cast<int>(d.pages.size()) - 1;
}

void document::set_page_box(int page, const char* key, double x1, double y1, double x2,
                            double y2) {
  impl& d = *d_;
  HPDF_Box box{static_cast<HPDF_REAL>(std::min(x1, x2)), static_cast<HPDF_REAL>(std::min(y1, y2)),
               static_cast<HPDF_REAL>(std::max(x1, x2)), static_cast<HPDF_REAL>(std::max(y1, y2))};
  HPDF_Array a = d.check_ptr(HPDF_Box_Array_New(d.mmgr(), box), "setting a page box");
  d.check(HPDF_Dict_Add(d.page(page), key, a), "setting a page box");
}

int document::load_pixels(const image::pixels& p) {
  impl& d = *d_;
  auto w = static_cast<HPDF_UINT>(p.width), h = static_cast<HPDF_UINT>(p.height);
  HPDF_Image img = nullptr;
  if (p.channels == 1 || p.channels == 3) {
    img = d.check_ptr(HPDF_LoadRawImageFromMem(d.doc, p.data.data(), w, h,
                                               p.channels == 1 ? HPDF_CS_DEVICE_GRAY
                                                               : HPDF_CS_DEVICE_RGB,
                                               8),
                      "loading an image");
  } else if (p.channels == 4) {
    std::size_t n = static_cast<std::size_t>(w) * h;
    std::vector<HPDF_BYTE> rgb(n * 3), alpha(n);
    bool opaque = true;
    for (std::size_t i = 0; i < n; ++i) {
      rgb[i * 3] = p.data[i * 4];
      rgb[i * 3 + 1] = p.data[i * 4 + 1];
      rgb[i * 3 + 2] = p.data[i * 4 + 2];
      alpha[i] = p.data[i * 4 + 3];
      if (alpha[i] != 255) opaque = false;
    }
    img = d.check_ptr(HPDF_LoadRawImageFromMem(d.doc, rgb.data(), w, h, HPDF_CS_DEVICE_RGB, 8),
                      "loading an image");
    if (!opaque) {
      HPDF_Image mask = d.check_ptr(
          HPDF_LoadRawImageFromMem(d.doc, alpha.data(), w, h, HPDF_CS_DEVICE_GRAY, 8),
          "loading an image mask");
      d.check(HPDF_Image_AddSMask(img, mask), "loading an image mask");
    }
  } else {
    fail(exit_code::internal, "", "pdf-failed",
         "unsupported pixel layout: " + std::to_string(p.channels) + " channels");
  }
  d.images.push_back(img);
  return static_cast<int>(d.images.size()) - 1;
}

int document::load_jpeg(std::string_view bytes) {
  impl& d = *d_;
  HPDF_Image img = d.check_ptr(
      HPDF_LoadJpegImageFromMem(d.doc, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                                static_cast<HPDF_UINT>(bytes.size())),
      "loading a JPEG image");
  d.images.push_back(img);
  return static_cast<int>(d.images.size()) - 1;
}

void document::draw_image(int page, int image, double x, double y, double w, double h) {
  impl& d = *d_;
  d.check(HPDF_Page_DrawImage(d.page(page), d.images.at(static_cast<std::size_t>(image)),
                              static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                              static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h)),
          "drawing an image");
}

void document::draw_line(int page, double x1, double y1, double x2, double y2, double width,
                         colour c) {
  impl& d = *d_;
  HPDF_Page p = d.page(page);
  d.check(HPDF_Page_SetLineWidth(p, static_cast<HPDF_REAL>(width)), "drawing a rule");
  d.check(HPDF_Page_SetRGBStroke(p, c.r, c.g, c.b), "drawing a rule");
  d.check(HPDF_Page_MoveTo(p, static_cast<HPDF_REAL>(x1), static_cast<HPDF_REAL>(y1)),
          "drawing a rule");
  d.check(HPDF_Page_LineTo(p, static_cast<HPDF_REAL>(x2), static_cast<HPDF_REAL>(y2)),
          "drawing a rule");
  d.check(HPDF_Page_Stroke(p), "drawing a rule");
}

void document::begin_text(int page) {
  impl& d = *d_;
  d.check(HPDF_Page_BeginText(d.page(page)), "beginning text");
  d.text = impl::text_state{};
}

void document::end_text(int page) {
  impl& d = *d_;
  d.check(HPDF_Page_EndText(d.page(page)), "ending text");
}

void document::show_run(int page, int font, double size, double x, double y,
                        double horizontal_scale, colour c, std::string_view utf8,
                        const std::vector<std::pair<std::uint32_t, double>>& adjust,
                        std::string_view actual_text) {
  impl& d = *d_;
  HPDF_Page p = d.page(page);
  if (font < 0 || static_cast<std::size_t>(font) >= d.fonts.size())
    fail(exit_code::internal, "", "pdf-failed", "font index out of range: " + std::to_string(font));
  if (d.text.font != font || d.text.size != size) {
    d.check(HPDF_Page_SetFontAndSize(p, d.fonts[static_cast<std::size_t>(font)],
                                     static_cast<HPDF_REAL>(size)),
            "setting the font");
    d.text.font = font;
    d.text.size = size;
  }
  if (d.text.scale != horizontal_scale) {
    d.check(HPDF_Page_SetHorizontalScalling(p, static_cast<HPDF_REAL>(horizontal_scale)),
            "setting the horizontal scale");
    d.text.scale = horizontal_scale;
  }
  if (!d.text.fill_set || !(d.text.fill == c)) {
    d.check(HPDF_Page_SetRGBFill(p, c.r, c.g, c.b), "setting the text colour");
    d.text.fill = c;
    d.text.fill_set = true;
  }
  d.check(HPDF_Page_SetTextMatrix(p, 1, 0, 0, 1, static_cast<HPDF_REAL>(x),
                                  static_cast<HPDF_REAL>(y)),
          "positioning text");

  // Adjustments by code point index, summed.
  std::map<std::uint32_t, double> after;
  for (const auto& [index, value] : adjust) after[index] += value;

  std::string s;
  if (!actual_text.empty()) {
    s += "/Span <</ActualText <";
    s += to_hex(utf16be_with_bom(actual_text));
    s += ">>> BDC\n";
  }
  s += "[<";
  std::uint32_t index = 0;
  bool open = true;
  for (std::size_t i = 0; i < utf8.size(); ++index) {
    char32_t ch = galley::utf8::next(utf8, i);
    if (ch > 0xFFFF) {  // libharu's codes are 2 bytes: the same space it would draw
      ch = 0x20;
      ++astral_;
    }
    if (!open) {
      s += '<';
      open = true;
    }
    hex4(s, static_cast<unsigned>(ch));
    auto it = after.find(index);
    if (it != after.end() && it->second != 0 && i < utf8.size()) {
      s += "> ";
      s += num(-it->second, 2);
      s += ' ';
      open = false;
    }
  }
  if (open) s += '>';
  s += "] TJ\n";
  if (!actual_text.empty()) s += "EMC\n";
  d.write(p, s);
}

void document::link_to_page(int page, double x1, double y1, double x2, double y2, int target,
                            double top) {
  impl& d = *d_;
  HPDF_Rect r = rect(x1, y1, x2, y2);
  HPDF_Destination dst = d.xyz(target, top);
  HPDF_Annotation a = d.check_ptr(HPDF_Page_CreateLinkAnnot(d.page(page), r, dst), "adding a link");
  d.check(HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0), "adding a link");
}

void document::link_to_uri(int page, double x1, double y1, double x2, double y2,
                           const std::string& uri) {
  impl& d = *d_;
  HPDF_Rect r = rect(x1, y1, x2, y2);
  std::string encoded = percent_encode_uri(uri);
  HPDF_Annotation a = d.check_ptr(HPDF_Page_CreateURILinkAnnot(d.page(page), r, encoded.c_str()),
                                  "adding a link");
  d.check(HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0), "adding a link");
}

int document::add_outline(int parent, std::string_view title, int page, double top) {
  impl& d = *d_;
  HPDF_Outline up = nullptr;
  if (parent >= 0) up = d.outlines.at(static_cast<std::size_t>(parent));
  HPDF_Outline o = d.check_ptr(HPDF_CreateOutline(d.doc, up, "-", nullptr), "adding a bookmark");
  d.check(HPDF_Dict_Add(o, "Title", d.text_string(title)), "adding a bookmark");
  d.check(HPDF_Outline_SetDestination(o, d.xyz(page, top)), "adding a bookmark");
  if (up) d.check(HPDF_Outline_SetOpened(up, HPDF_TRUE), "adding a bookmark");
  d.outlines.push_back(o);
  return static_cast<int>(d.outlines.size()) - 1;
}

void document::add_page_label(int page, label_style style, int first, std::string_view prefix) {
  impl& d = *d_;
  HPDF_PageNumStyle s = HPDF_PAGE_NUM_STYLE_DECIMAL;
  switch (style) {
    case label_style::decimal:
    case label_style::none: s = HPDF_PAGE_NUM_STYLE_DECIMAL; break;
    case label_style::upper_roman: s = HPDF_PAGE_NUM_STYLE_UPPER_ROMAN; break;
    case label_style::lower_roman: s = HPDF_PAGE_NUM_STYLE_LOWER_ROMAN; break;
    case label_style::upper_letters: s = HPDF_PAGE_NUM_STYLE_UPPER_LETTERS; break;
    case label_style::lower_letters: s = HPDF_PAGE_NUM_STYLE_LOWER_LETTERS; break;
  }
  d.check(HPDF_AddPageLabel(d.doc, static_cast<HPDF_UINT>(page), s,
                            static_cast<HPDF_UINT>(first < 1 ? 1 : first), nullptr),
          "adding a page label");
  // Fix up the label dictionary libharu just appended: no style for
  // prefix-only labels, and a proper text string for the prefix.
  HPDF_Dict labels = has_key(d.doc->catalog, "PageLabels")
                         ? static_cast<HPDF_Dict>(
                               HPDF_Dict_GetItem(d.doc->catalog, "PageLabels", HPDF_OCLASS_DICT))
                         : nullptr;
  HPDF_Array nums = labels && has_key(labels, "Nums") ? static_cast<HPDF_Array>(HPDF_Dict_GetItem(
                                                            labels, "Nums", HPDF_OCLASS_ARRAY))
                                                      : nullptr;
  HPDF_Dict label = nums && HPDF_Array_Items(nums) > 0
                        ? static_cast<HPDF_Dict>(
                              HPDF_Array_GetItem(nums, HPDF_Array_Items(nums) - 1, HPDF_OCLASS_DICT))
                        : nullptr;
  if (!label) fail(exit_code::internal, "", "pdf-failed", "page label dictionary not found");
  if (style == label_style::none) {
    for (const char* key : {"S", "St"})
      if (has_key(label, key)) d.check(HPDF_Dict_RemoveElement(label, key), "adding a page label");
  }
  if (!prefix.empty()) d.check(HPDF_Dict_Add(label, "P", d.text_string(prefix)), "adding a page label");
  d.check("adding a page label");
}

void document::set_info(const char* key, std::string_view value) {
  impl& d = *d_;
  if (!d.doc->info) fail(exit_code::internal, "", "pdf-failed", "no info dictionary");
  d.check(HPDF_Dict_Add(d.doc->info, key, d.text_string(value)), "setting document info");
}

void document::set_date(std::string_view pdf_date) {
  impl& d = *d_;
  if (!d.doc->info) fail(exit_code::internal, "", "pdf-failed", "no info dictionary");
  d.check(HPDF_Dict_Add(d.doc->info, "CreationDate", d.text_string(pdf_date)), "setting the date");
  d.check(HPDF_Dict_Add(d.doc->info, "ModDate", d.text_string(pdf_date)), "setting the date");
}

void document::set_lang(std::string_view lang) {
  impl& d = *d_;
  d.check(HPDF_Dict_Add(d.doc->catalog, "Lang", d.text_string(lang)), "setting the language");
}

std::string document::save() {
  impl& d = *d_;
  if (d.pages.empty()) fail(exit_code::internal, "", "pdf-failed", "document has no pages");
  // /ID [<placeholder> <placeholder>], patched below.
  HPDF_Array id = d.check_ptr(HPDF_Array_New(d.mmgr()), "writing the file identifier");
  for (int i = 0; i < 2; ++i) {
    HPDF_BYTE bytes[16];
    std::memcpy(bytes, id_placeholder, 16);
    d.check(HPDF_Array_Add(id, HPDF_Binary_New(d.mmgr(), bytes, 16)), "writing the file identifier");
  }
  d.check(HPDF_Dict_Add(d.doc->trailer, "ID", id), "writing the file identifier");

  d.check(HPDF_SaveToStream(d.doc), "writing the file");
  HPDF_UINT32 size = HPDF_GetStreamSize(d.doc);
  d.check("writing the file");
  std::string out(size, '\0');
  HPDF_UINT32 got = size;
  HPDF_STATUS st = HPDF_ReadFromStream(d.doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &got);
  if (st != HPDF_OK && st != HPDF_STREAM_EOF) d.check(st, "reading the file back");
  if (got != size) fail(exit_code::internal, "", "pdf-failed", "short read from libharu's stream");
  if (d.err.code == HPDF_STREAM_EOF) d.err = error_state{};

  // Deterministic /ID: MD5 of the file as written with the placeholder.
  std::string ph = to_hex(std::string_view(reinterpret_cast<const char*>(id_placeholder), 16));
  std::size_t second = out.rfind(ph);
  std::size_t first = second == std::string::npos ? second : out.rfind(ph, second - 1);
  if (first == std::string::npos || second - first > 40)
    fail(exit_code::internal, "", "pdf-failed", "file identifier placeholder not found");
  HPDF_MD5_CTX ctx;
  HPDF_MD5Init(&ctx);
  HPDF_MD5Update(&ctx, reinterpret_cast<const HPDF_BYTE*>(out.data()),
                 static_cast<HPDF_UINT32>(out.size()));
  HPDF_BYTE digest[16];
  HPDF_MD5Final(digest, &ctx);
  std::string hex = to_hex(std::string_view(reinterpret_cast<const char*>(digest), 16));
  out.replace(first, hex.size(), hex);
  out.replace(second, hex.size(), hex);
  return out;
}

}  // namespace galley::pdf::haru
