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
// - Compression: libharu deflates every stream with zlib's default level
//   (there is no API for the level) when it writes the file, one after
//   another; for a book that was a fifth of galley's time. Text operators
//   are written here into a buffer per page, byte for byte what libharu's
//   operators would write (its own HPDF_FToA formats the numbers). A page's
//   content is deflated by libdeflate as soon as the page is done, on a
//   second thread while the next pages are painted, the fonts' ToUnicode
//   and CIDToGIDMap streams when the font is loaded; libharu gets the
//   deflated bytes with the stream's filter off, and two dictionary write
//   hooks keep it off (a font turns its streams' filters on just before
//   they are written) and write the /Filter entry (libharu drops one it
//   did not compute).
#include "pdf/haru.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

#include <libdeflate.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_utils.h>

#include "base/diagnostics.hpp"
#include "base/utf8.hpp"
#include "base/parallel.hpp"

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
// no exponent, no locale, trailing zeros dropped; appended to `out`.
void append_num(std::string& out, double v, int digits) {
  if (v > -1e-9 && v < 1e-9) {
    out += '0';
    return;
  }
  char buf[64];
  char* end = buf;
  // The common case (kerning and spacing, two decimals) without
  // std::to_chars, which is slow: scaled, rounded to an integer, printed.
  // Where v * 10^digits lies too close to a half for its rounding error to
  // be ruled out, or is too large, to_chars decides, so the digits are
  // always the correctly rounded ones.
  static constexpr double scales[] = {1, 10, 100, 1000};
  double scaled = digits >= 0 && digits <= 3 ? v * scales[digits] : 0;
  double frac = scaled - std::floor(scaled);
  if (digits >= 0 && digits <= 3 && std::fabs(scaled) < 1e12 && std::fabs(frac - 0.5) > 1e-6) {
    long long n = std::llround(scaled);
    if (n == 0) {
      out += '0';  // "-0.00" and "0.00" both print as 0
      return;
    }
    if (n < 0) *end++ = '-';
    auto u = static_cast<unsigned long long>(n);
    if (n < 0) u = 0ull - u;
    char digit_buf[24];
    int count = 0;
    while (u > 0 || count <= digits) {
      digit_buf[count++] = static_cast<char>('0' + u % 10);
      u /= 10;
    }
    // digit_buf holds the digits least significant first, at least digits + 1 of them.
    int skip = 0;  // trailing fraction zeros dropped
    while (skip < digits && digit_buf[skip] == '0') ++skip;
    for (int k = count - 1; k >= digits; --k) *end++ = digit_buf[k];
    if (skip < digits) {
      *end++ = '.';
      for (int k = digits - 1; k >= skip; --k) *end++ = digit_buf[k];
    }
    out.append(buf, end);
    return;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, digits);
  end = r.ptr;
  if (std::find(buf, end, '.') != end) {
    while (end > buf && end[-1] == '0') --end;
    if (end > buf && end[-1] == '.') --end;
  }
  if (end - buf == 2 && buf[0] == '-' && buf[1] == '0') {
    out += '0';
    return;
  }
  out.append(buf, end);
}

// A number as libharu's operators write it (HPDF_Stream_WriteReal: a float,
// through libharu's own HPDF_FToA), so content written here is the same as
// libharu's to the byte.
void append_real(std::string& out, HPDF_REAL v) {
  char buf[HPDF_REAL_LEN + 1];
  char* end = HPDF_FToA(buf, v, buf + HPDF_REAL_LEN);
  out.append(buf, end);
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

// The dictionary under a key (through an indirect reference), or null when
// the key is missing or holds something else; without HPDF_Dict_GetItem,
// which sets the sticky error in both cases.
HPDF_Dict dict_item(HPDF_Dict dict, const char* key) {
  HPDF_List list = dict->list;
  for (HPDF_UINT i = 0; list && i < list->count; ++i) {
    auto* e = static_cast<HPDF_DictElement>(HPDF_List_ItemAt(list, i));
    if (!e || std::strcmp(e->key, key) != 0 || !e->value) continue;
    void* obj = e->value;
    auto* header = static_cast<HPDF_Obj_Header*>(obj);
    if (header->obj_class == HPDF_OCLASS_PROXY) {
      obj = static_cast<HPDF_Proxy>(obj)->obj;
      header = static_cast<HPDF_Obj_Header*>(obj);
    }
    return (header->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT ? static_cast<HPDF_Dict>(obj) : nullptr;
  }
  return nullptr;
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

// Page contents are deflated by libdeflate at this level (of 1-12). On the
// 50-interview book, level 6 gives what zlib's default level gave (libharu's
// only setting) in about half of zlib's time; 5 costs a quarter less again
// for 1.3 % more bytes (2.09 MB instead of 2.06; the sample 65.9 KB instead
// of 65.5), 4 half as much for 5 % more.
constexpr int content_level = 5;

struct compressor_deleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// A zlib stream (what /FlateDecode reads) of `data`.
std::string deflate_content(std::string_view data) {
  thread_local std::unique_ptr<libdeflate_compressor, compressor_deleter> c(
      libdeflate_alloc_compressor(content_level));
  if (!c) throw std::bad_alloc();
  std::string out;
  out.resize(libdeflate_zlib_compress_bound(c.get(), data.size()));
  std::size_t n = libdeflate_zlib_compress(c.get(), data.data(), data.size(), out.data(), out.size());
  if (n == 0) fail(exit_code::internal, "", "pdf-failed", "deflating a stream failed");
  out.resize(n);
  return out;
}

// Deflates finished pages on a thread of its own while the next ones are
// painted; finish() then shares what is left between that thread and the
// caller. Without a second core (or when asked for one thread) everything
// is deflated in finish(), on the caller's thread.
class content_compressor {
 public:
  explicit content_compressor(bool background) : background_(background) {}
  ~content_compressor() { stop(); }
  content_compressor(const content_compressor&) = delete;
  content_compressor& operator=(const content_compressor&) = delete;

  void submit(std::size_t page, std::string body) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      waiting_.push_back(job{page, std::move(body)});
    }
    if (background_ && !thread_.joinable()) {
      try {
        const stop_signals_blocked thread_takes_no_stop_signals;  // inherited by the thread
        thread_ = std::thread([this] { work(); });
      } catch (const std::system_error&) {
        background_ = false;  // finish() does it all
      }
    }
    wake_.notify_one();
  }

  // Every submitted page's deflated content, with its page; rethrows what
  // failed on the other thread.
  std::vector<std::pair<std::size_t, std::string>> finish() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing_ = true;
    }
    wake_.notify_all();
    work();
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
    std::vector<std::pair<std::size_t, std::string>> out;
    out.reserve(done_.size());
    for (auto& j : done_) out.emplace_back(j.page, std::move(j.data));
    done_.clear();
    return out;
  }

 private:
  struct job {
    std::size_t page = 0;
    std::string data;
  };

  // Takes jobs until none are left; the background thread waits for more
  // until finish() closes the queue.
  void work() noexcept {
    for (;;) {
      job j;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return closing_ || !waiting_.empty(); });
        if (waiting_.empty() || error_) return;
        j = std::move(waiting_.front());
        waiting_.pop_front();
      }
      try {
        j.data = deflate_content(j.data);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      done_.push_back(std::move(j));
    }
  }

  // For a document given up half way (an error): no more work, and no
  // thread left running.
  void stop() noexcept {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing_ = true;
      waiting_.clear();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  bool background_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> waiting_;
  std::vector<job> done_;
  bool closing_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

// libharu's dictionary write hooks for a stream deflated here. Before it
// writes the dictionary, libharu would deflate the stream if its filter
// said so (and a font sets the filter of its ToUnicode and CIDToGIDMap
// streams just before that): the first hook says "as it is". The second
// runs after the other entries, where libharu writes the /Filter it
// computes itself, and writes it the same way.
HPDF_STATUS keep_bytes(HPDF_Dict dict) {
  dict->filter = HPDF_STREAM_FILTER_NONE;
  return HPDF_OK;
}

HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream out) {
  return HPDF_Stream_WriteStr(out, "/Filter [ /FlateDecode ]\012");
}

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
  int text_page = -1;  // the page whose text object is open, or -1

  bool compress = true;
  // Per page, operators written here and not yet in libharu's stream for
  // the page (all of a text-only page's content until it is finished).
  std::vector<std::string> content;
  // Per page, whether page_done() said so; its content is then being
  // deflated, and nothing more may be drawn on it.
  std::vector<char> finished;
  std::unique_ptr<content_compressor> compressor;

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

  // A check libharu's operator would have made, failing the same way.
  void require(bool ok, HPDF_STATUS code, const char* what) {
    if (ok) return;
    if (err.code == HPDF_OK) err.code = code;
    raise(what);
  }

  HPDF_Page open_page(int i) {
    HPDF_Page p = page(i);
    if (finished[static_cast<std::size_t>(i)])
      fail(exit_code::internal, "", "pdf-failed", "page " + std::to_string(i + 1) + " is finished already");
    return p;
  }

  // Before libharu itself writes to a page (images, rules), what was written
  // here goes first, so the operators keep their order.
  void flush_content(int i) {
    HPDF_Page p = open_page(i);
    if (text_page >= 0)
      fail(exit_code::internal, "", "pdf-failed", "drawing inside a text object");
    std::string& c = content[static_cast<std::size_t>(i)];
    if (c.empty()) return;
    check(HPDF_Stream_Write(stream(p), reinterpret_cast<const HPDF_BYTE*>(c.data()),
                            static_cast<HPDF_UINT>(c.size())),
          "writing the page content");
    c.clear();
  }

  // The bytes written to one of libharu's memory streams so far.
  std::string stream_bytes(HPDF_Stream st) {
    std::string bytes;
    HPDF_UINT chunks = HPDF_MemStream_GetBufCount(st);
    for (HPDF_UINT k = 0; k < chunks; ++k) {
      HPDF_UINT len = 0;
      HPDF_BYTE* chunk = check_ptr(HPDF_MemStream_GetBufPtr(st, k, &len), "reading a stream");
      bytes.append(reinterpret_cast<const char*>(chunk), len);
    }
    if (bytes.size() != st->size) fail(exit_code::internal, "", "pdf-failed", "stream of unexpected size");
    return bytes;
  }

  // Replaces a stream's bytes with `bytes`, which libharu writes as they
  // are; when they are deflated, the stream says so (see the write hooks).
  void set_stream(HPDF_Dict dict, const std::string& bytes, bool deflated) {
    HPDF_MemStream_FreeData(dict->stream);
    check(HPDF_Stream_Write(dict->stream, reinterpret_cast<const HPDF_BYTE*>(bytes.data()),
                            static_cast<HPDF_UINT>(bytes.size())),
          "writing a stream");
    dict->filter = HPDF_STREAM_FILTER_NONE;
    if (deflated) {
      if (dict->before_write_fn || dict->write_fn)
        fail(exit_code::internal, "", "pdf-failed", "stream has write hooks already");
      dict->before_write_fn = keep_bytes;
      dict->write_fn = write_flate_filter;
    }
  }

  // A font's stream that libharu would deflate in save() (with zlib),
  // deflated now by libdeflate instead, as the page contents are.
  void deflate_now(HPDF_Dict dict) {
    if (!dict || !dict->stream || dict->stream->type != HPDF_STREAM_MEMORY || dict->before_write_fn ||
        dict->write_fn)
      return;
    set_stream(dict, deflate_content(stream_bytes(dict->stream)), true);
  }

  // A page's whole content: what libharu's operators wrote, then ours.
  std::string take_content(std::size_t i) {
    HPDF_Stream st = stream(pages[i]);
    std::string body;
    if (st->size > 0) {
      body = stream_bytes(st);
      body += content[i];
    } else {
      body = std::move(content[i]);
    }
    content[i] = std::string();
    return body;
  }

  void finish_contents();

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

document::document(bool compress, unsigned threads) : d_(std::make_unique<impl>()) {
  d_->doc = HPDF_New(on_error, &d_->err);
  if (!d_->doc) fail(exit_code::internal, "", "pdf-failed", "libharu could not create a document");
  d_->compress = compress;
  d_->compressor = std::make_unique<content_compressor>(compress && worker_count(2, threads) > 1);
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
  if (d.compress) d.deflate_now(tu);

  // CIDSystemInfo of the descendant font: /Ordering (Identity).
  if (HPDF_Font cid = fattr->descendant_font) {
    auto* info = has_key(cid, "CIDSystemInfo")
                     ? static_cast<HPDF_Dict>(HPDF_Dict_GetItem(cid, "CIDSystemInfo", HPDF_OCLASS_DICT))
                     : nullptr;
    if (info)
      d.check(HPDF_Dict_Add(info, "Ordering", HPDF_String_New(d.mmgr(), "Identity", nullptr)),
              "loading a font");
    // The CIDToGIDMap libharu wrote (128 KB, mostly zeros) is deflated here
    // too, much faster than by zlib in save().
    if (d.compress) d.deflate_now(dict_item(cid, "CIDToGIDMap"));
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
  d.content.emplace_back();
  d.finished.push_back(0);
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
  d.flush_content(page);
  d.check(HPDF_Page_DrawImage(d.page(page), d.images.at(static_cast<std::size_t>(image)),
                              static_cast<HPDF_REAL>(x), static_cast<HPDF_REAL>(y),
                              static_cast<HPDF_REAL>(w), static_cast<HPDF_REAL>(h)),
          "drawing an image");
}

void document::draw_line(int page, double x1, double y1, double x2, double y2, double width,
                         colour c) {
  impl& d = *d_;
  d.flush_content(page);
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
  d.open_page(page);
  // libharu's HPDF_Page_BeginText refuses a second text object.
  if (d.text_page >= 0) fail(exit_code::internal, "", "pdf-failed", "a text object is open already");
  d.content[static_cast<std::size_t>(page)] += "BT\n";
  d.text_page = page;
  d.text = impl::text_state{};
}

void document::end_text(int page) {
  impl& d = *d_;
  d.page(page);
  if (d.text_page != page) fail(exit_code::internal, "", "pdf-failed", "no text object is open on the page");
  d.content[static_cast<std::size_t>(page)] += "ET\n";
  d.text_page = -1;
}

void document::page_done(int page) {
  impl& d = *d_;
  d.page(page);
  if (d.text_page >= 0) fail(exit_code::internal, "", "pdf-failed", "a text object is open");
  const auto i = static_cast<std::size_t>(page);
  if (d.finished[i]) return;
  d.finished[i] = 1;
  if (d.compress) d.compressor->submit(i, d.take_content(i));
}

void document::show_run(int page, int font, double size, double x, double y,
                        double horizontal_scale, colour c, std::string_view utf8,
                        const std::vector<std::pair<std::uint32_t, double>>& adjust,
                        std::string_view actual_text) {
  impl& d = *d_;
  HPDF_Page p = d.page(page);
  if (font < 0 || static_cast<std::size_t>(font) >= d.fonts.size())
    fail(exit_code::internal, "", "pdf-failed", "font index out of range: " + std::to_string(font));
  if (d.text_page != page) fail(exit_code::internal, "", "pdf-failed", "text outside a text object");
  std::string& s = d.content[static_cast<std::size_t>(page)];

  // The operators as HPDF_Page_SetFontAndSize, _SetHorizontalScalling,
  // _SetRGBFill and _SetTextMatrix write them, with their checks.
  if (d.text.font != font || d.text.size != size) {
    const auto hsize = static_cast<HPDF_REAL>(size);
    d.require(hsize > 0 && hsize <= HPDF_MAX_FONTSIZE, HPDF_PAGE_INVALID_FONT_SIZE, "setting the font");
    // Registers the font in the page's resources; the name is "F<n>".
    const char* name = d.check_ptr(HPDF_Page_GetLocalFontName(p, d.fonts[static_cast<std::size_t>(font)]),
                                   "setting the font");
    s += '/';
    s += name;
    s += ' ';
    append_real(s, hsize);
    s += " Tf\n";
    d.text.font = font;
    d.text.size = size;
  }
  if (d.text.scale != horizontal_scale) {
    const auto h = static_cast<HPDF_REAL>(horizontal_scale);
    d.require(h >= HPDF_MIN_HORIZONTALSCALING && h <= HPDF_MAX_HORIZONTALSCALING, HPDF_PAGE_OUT_OF_RANGE,
              "setting the horizontal scale");
    append_real(s, h);
    s += " Tz\n";
    d.text.scale = horizontal_scale;
  }
  if (!d.text.fill_set || !(d.text.fill == c)) {
    auto unit = [](float v) { return v >= 0 && v <= 1; };
    d.require(unit(c.r) && unit(c.g) && unit(c.b), HPDF_PAGE_OUT_OF_RANGE, "setting the text colour");
    append_real(s, c.r);
    s += ' ';
    append_real(s, c.g);
    s += ' ';
    append_real(s, c.b);
    s += " rg\n";
    d.text.fill = c;
    d.text.fill_set = true;
  }
  s += "1 0 0 1 ";
  append_real(s, static_cast<HPDF_REAL>(x));
  s += ' ';
  append_real(s, static_cast<HPDF_REAL>(y));
  s += " Tm\n";

  // Adjustments by code point index, summed. Layout gives them in
  // increasing order, one per index; anything else is sorted and summed
  // here first.
  const std::pair<std::uint32_t, double>* adj = adjust.data();
  std::size_t adj_count = adjust.size();
  std::vector<std::pair<std::uint32_t, double>> merged;
  for (std::size_t k = 1; k < adjust.size(); ++k) {
    if (adjust[k].first > adjust[k - 1].first) continue;
    std::map<std::uint32_t, double> after;
    for (const auto& [index, value] : adjust) after[index] += value;
    merged.assign(after.begin(), after.end());
    adj = merged.data();
    adj_count = merged.size();
    break;
  }

  if (!actual_text.empty()) {
    s += "/Span <</ActualText <";
    s += to_hex(utf16be_with_bom(actual_text));
    s += ">>> BDC\n";
  }
  s += "[<";
  // The codes are gathered in a small buffer and appended a piece at a
  // time: this loop is the bulk of a book's content.
  static const char hex_digits[] = "0123456789ABCDEF";
  char buf[256];
  std::size_t n = 0;
  std::uint32_t index = 0;
  std::size_t next_adj = 0;
  bool open = true;
  for (std::size_t i = 0; i < utf8.size(); ++index) {
    char32_t ch = static_cast<unsigned char>(utf8[i]);
    if (ch < 0x80) ++i;  // ASCII: decoded inline
    else ch = galley::utf8::next(utf8, i);
    if (ch > 0xFFFF) {  // libharu's codes are 2 bytes: the same space it would draw
      ch = 0x20;
      ++astral_;
    }
    if (n + 8 > sizeof buf) {
      s.append(buf, n);
      n = 0;
    }
    if (!open) {
      buf[n++] = '<';
      open = true;
    }
    buf[n++] = hex_digits[(ch >> 12) & 15];
    buf[n++] = hex_digits[(ch >> 8) & 15];
    buf[n++] = hex_digits[(ch >> 4) & 15];
    buf[n++] = hex_digits[ch & 15];
    while (next_adj < adj_count && adj[next_adj].first < index) ++next_adj;
    if (next_adj < adj_count && adj[next_adj].first == index && adj[next_adj].second != 0 &&
        i < utf8.size()) {
      buf[n++] = '>';
      buf[n++] = ' ';
      s.append(buf, n);
      n = 0;
      append_num(s, -adj[next_adj].second, 2);
      s += ' ';
      open = false;
    }
  }
  s.append(buf, n);
  if (open) s += '>';
  s += "] TJ\n";
  if (!actual_text.empty()) s += "EMC\n";
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

void document::impl::finish_contents() {
  if (text_page >= 0) fail(exit_code::internal, "", "pdf-failed", "a text object was left open");
  std::vector<std::string> body(pages.size());
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (finished[i]) continue;  // with the compressor, or still in content[i] when not compressing
    finished[i] = 1;
    if (compress) compressor->submit(i, take_content(i));
  }
  if (compress) {
    for (auto& [i, data] : compressor->finish()) body[i] = std::move(data);
  } else {
    for (std::size_t i = 0; i < pages.size(); ++i) body[i] = take_content(i);
  }
  for (std::size_t i = 0; i < pages.size(); ++i)
    set_stream(static_cast<HPDF_PageAttr>(pages[i]->attr)->contents, body[i], compress);
}

std::string document::save() {
  impl& d = *d_;
  if (d.pages.empty()) fail(exit_code::internal, "", "pdf-failed", "document has no pages");
  d.finish_contents();
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
