// Fonts for layout: found through fontconfig, measured the way the PDF
// writer (libharu 2.3.0) will draw them.
//
// libharu maps code points to glyphs one to one through the cmap and writes
// each glyph's width as an integer in 1/1000 em, truncated
// (advance * 1000 / unitsPerEm). We measure every code point exactly so and
// add HarfBuzz kerning (ligatures off) as explicit adjustments, so what is
// measured is what is drawn.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/diagnostics.hpp"
#include "layout/pages.hpp"

namespace galley::layout {

// A shaped piece of text in one face: one entry per code point.
struct shaped_text {
  std::vector<char32_t> cps;
  std::vector<int> advance;   // 1/1000 em, truncated as libharu writes /W
  std::vector<double> kern;   // 1/1000 em, after the code point (HarfBuzz GPOS kerning)
  double width() const;       // sum of both, 1/1000 em
};

// The Debian package that provides a family, or "" when unknown.
std::string_view debian_package_for(std::string_view family);

class font_set {
 public:
  font_set();
  ~font_set();
  font_set(const font_set&) = delete;
  font_set& operator=(const font_set&) = delete;

  // The index of a face of family (bold/italic as asked, or the closest the
  // family has). Throws galley::error (exit_code::usage, code
  // "font-missing") when fontconfig does not know the family, naming the
  // Debian package to install; code "font-not-truetype" for CFF/OpenType
  // outlines, which libharu cannot embed.
  int find(const std::string& family, bool bold, bool italic);

  // Whether the face maps the code point.
  bool has(int font, char32_t cp) const;
  // A face that has cp, trying the face itself, then DejaVu Serif/Sans and
  // any TrueType face fontconfig offers for it; -1 when none.
  int resolve(int font, char32_t cp) {
    if (cp < 0x10000) {  // answered before: the common case, inline
      const std::vector<int>& known = per_face_[static_cast<std::size_t>(font)]->resolved;
      if (!known.empty() && known[cp] != unknown_font) return known[cp];
    }
    return resolve_slow(font, cp);
  }

  // Shaped once per (face, text), then cached.
  const shaped_text& shape(int font, std::string_view text);
  int advance(int font, char32_t cp) const {  // 1/1000 em, truncated
    if (cp < 0x10000) {  // answered before: the common case, inline
      const per_face& f = *per_face_[static_cast<std::size_t>(font)];
      if (!f.has_advance.empty() && f.has_advance[cp]) return f.advance[cp];
    }
    return advance_slow(font, cp);
  }

  double ascender(int font) const;   // 1/1000 em
  double descender(int font) const;  // 1/1000 em, negative
  bool is_bold(int font) const;
  bool is_italic(int font) const;

  const std::vector<font_file>& files() const { return files_; }

  // The same face as `font` of `other`, in this set: its index here (the
  // face is added when this set does not have it yet, as find() would).
  int adopt(const font_set& other, int font);

  // Faces find() or a load returned since the last call, each once, in the
  // order first returned. A layout worker keeps such a list per interview;
  // adopting every interview's list in the book's order into the
  // document's font_set numbers the faces exactly as one font_set doing
  // all the work would have (a face gets its number the first time find()
  // or a load returns it, and a worker returns it at that same moment of
  // the interview that first needs it).
  std::vector<int> take_touched();

 private:
  struct face;
  int load(const std::string& path, int index, const std::string& family,
           const std::string& style, bool bold, bool italic);
  int resolve_slow(int font, char32_t cp);
  int resolve_uncached(int font, char32_t cp);
  int advance_slow(int font, char32_t cp) const;
  void touch(int font);
  // Faces and fontconfig answers are shared by every font_set in the process
  // (loading is the slow part); shaping results are per font_set.
  std::vector<std::shared_ptr<const face>> faces_;
  std::vector<font_file> files_;
  std::unordered_map<std::string, int> by_request_;
  std::unordered_map<std::string, int> by_path_;
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Per face: shaped texts, looked up without building a key, and the
  // answers of resolve() and advance() for the BMP, filled as asked (the
  // typesetter asks for every code point of the book).
  struct per_face {
    std::unordered_map<std::string, shaped_text, text_hash, std::equal_to<>> shaped;
    std::vector<int> resolved;       // 0x10000 entries once used; unknown_font where not asked yet
    std::vector<int> advance;        // 0x10000 entries once used
    std::vector<bool> has_advance;   // which of them are known
  };
  static constexpr int unknown_font = -2;
  // Each on the heap: shape() hands out references into them, and faces
  // are added.
  std::vector<std::unique_ptr<per_face>> per_face_;
  std::unordered_map<std::uint64_t, int> resolved_;
  std::vector<int> touched_;
  std::vector<char> touched_flag_;
};

}  // namespace galley::layout
