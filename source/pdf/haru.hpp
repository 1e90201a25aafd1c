// The one adapter around libharu 2.3.0. Every call into libharu and every
// workaround for its gaps lives in haru.cpp; nothing else includes hpdf.h.
//
// Errors: libharu's error model is sticky (after one error the document is
// dead). The adapter installs an error handler that only records the error;
// every call is checked after it returns and a galley::error is thrown from
// C++ code, never through libharu frames. The document is freed by RAII.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "image/image.hpp"

namespace galley::pdf::haru {

enum class label_style { decimal, upper_roman, lower_roman, upper_letters, lower_letters, none };

struct colour {
  float r = 0, g = 0, b = 0;
  friend bool operator==(const colour&, const colour&) = default;
};

class document {
 public:
  // threads: for deflating page contents, 0 for as many as there are cores
  // (at most two are used: see page_done()).
  explicit document(bool compress, unsigned threads = 0);
  ~document();
  document(const document&) = delete;
  document& operator=(const document&) = delete;

  // Loads a TrueType font (already subset) from `file` and embeds it.
  // `tag` (six uppercase letters) becomes the subset prefix of the font
  // name; `used` are the code points drawn with it, for the ToUnicode CMap.
  // Returns the font's index.
  int load_font(const std::string& file, const std::string& tag, const std::set<char32_t>& used);

  // Pages are created up front so links and outlines can point forward.
  int add_page(double width, double height);
  void set_page_box(int page, const char* key, double x1, double y1, double x2, double y2);

  int load_pixels(const image::pixels& p);  // RGB/gray; alpha becomes an SMask
  int load_jpeg(std::string_view bytes);    // a JPEG already checked by galley::image
  void draw_image(int page, int image, double x, double y, double w, double h);
  void draw_line(int page, double x1, double y1, double x2, double y2, double width, colour c);

  // Text: one text object per page; one TJ array per run.
  void begin_text(int page);
  void show_run(int page, int font, double size, double x, double y, double horizontal_scale,
                colour c, std::string_view utf8,
                const std::vector<std::pair<std::uint32_t, double>>& adjust,
                std::string_view actual_text);
  void end_text(int page);

  // Nothing more will be drawn on the page: its content can be deflated
  // now, on another thread, while the next pages are painted (drawing on it
  // afterwards is an internal error). Pages never declared done are
  // deflated in save().
  void page_done(int page);

  void link_to_page(int page, double x1, double y1, double x2, double y2, int target,
                    double top);
  void link_to_uri(int page, double x1, double y1, double x2, double y2, const std::string& uri);
  // parent: -1 for a top-level entry. Returns the entry's index.
  int add_outline(int parent, std::string_view title, int page, double top);
  void add_page_label(int page, label_style style, int first, std::string_view prefix);

  void set_info(const char* key, std::string_view value);  // "Title", "Author", ...
  void set_date(std::string_view pdf_date);               // "D:20240102030405Z"
  void set_lang(std::string_view lang);

  // Writes the file and returns its bytes, with a deterministic /ID (MD5 of
  // the file written with a fixed placeholder ID).
  std::string save();

  // Characters above U+FFFF met in text (libharu's 2-byte codes cannot
  // carry them; they are drawn as spaces).
  std::size_t astral_replaced() const { return astral_; }

 private:
  struct impl;
  std::unique_ptr<impl> d_;
  std::size_t astral_ = 0;
};

// Percent-encodes bytes that may not appear raw in a URI (non-ASCII, space,
// controls, quotes).
std::string percent_encode_uri(std::string_view uri);

// A PDF text string: literal for printable ASCII, otherwise UTF-16BE with a
// byte order mark, as raw bytes.
std::string utf16be_with_bom(std::string_view utf8);

}  // namespace galley::pdf::haru
