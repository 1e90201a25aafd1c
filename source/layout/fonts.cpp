#include "layout/fonts.hpp"

#include <fontconfig/fontconfig.h>
#include <hb.h>
#include <hb-ot.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "base/utf8.hpp"

namespace galley::layout {

double shaped_text::width() const {
  double w = 0;
  for (int a : advance) w += a;
  for (double k : kern) w += k;
  return w;
}

std::string_view debian_package_for(std::string_view family) {
  struct entry {
    std::string_view prefix, package;
  };
  static constexpr entry table[] = {
      {"charis", "fonts-sil-charis"},     {"gentium", "fonts-sil-gentiumplus"},
      {"dejavu", "fonts-dejavu-core"},    {"noto serif", "fonts-noto-core"},
      {"noto sans", "fonts-noto-core"},   {"liberation", "fonts-liberation2"},
      {"libertinus", "fonts-libertinus"}, {"linux libertine", "fonts-linuxlibertine"},
      {"eb garamond", "fonts-ebgaramond"}, {"crimson", "fonts-crimson"},
      {"andika", "fonts-sil-andika"},     {"doulos", "fonts-sil-doulos"},
  };
  std::string f = utf8::to_lower(family);
  for (const auto& e : table)
    if (f.rfind(e.prefix, 0) == 0) return e.package;
  return {};
}

struct font_set::face {
  hb_blob_t* blob = nullptr;
  hb_face_t* hbface = nullptr;
  hb_font_t* font = nullptr;
  unsigned upem = 1000;
  bool bold = false, italic = false;
  bool kerning = false;  // a GPOS 'kern' feature or a legacy 'kern' table
  double ascender = 800, descender = -200;
  ~face() {
    if (font) hb_font_destroy(font);
    if (hbface) hb_face_destroy(hbface);
    if (blob) hb_blob_destroy(blob);
  }
};

font_set::font_set() {
  static std::once_flag once;
  std::call_once(once, [] { FcInit(); });
}
font_set::~font_set() = default;

namespace {

std::string fc_string(FcPattern* p, const char* object, int n = 0) {
  FcChar8* s = nullptr;
  if (FcPatternGetString(p, object, n, &s) == FcResultMatch && s)
    return reinterpret_cast<const char*>(s);
  return {};
}

bool same_family(FcPattern* p, const std::string& family) {
  std::string want = utf8::to_lower(family);
  for (int i = 0;; ++i) {
    std::string f = fc_string(p, FC_FAMILY, i);
    if (f.empty()) return false;
    if (utf8::to_lower(f) == want) return true;
  }
}

[[noreturn]] void missing(const std::string& family) {
  diagnostic d{severity::error, {}, {}, "font family '" + family + "' is not installed",
               "font-missing", {}};
  auto pkg = debian_package_for(family);
  if (!pkg.empty()) d.notes.push_back("install it with: apt-get install " + std::string(pkg));
  d.notes.push_back("fc-list : family lists the installed families");
  throw error(exit_code::usage, std::move(d));
}

}  // namespace

namespace {
std::mutex registry_mutex;
}

int font_set::load(const std::string& path, int index, const std::string& family,
                   const std::string& style, bool bold, bool italic) {
  std::string key = path + '#' + std::to_string(index);
  if (auto it = by_path_.find(key); it != by_path_.end()) {
    touch(it->second);
    return it->second;
  }
  static std::map<std::string, std::shared_ptr<const face>> registry;
  std::shared_ptr<const face> shared;
  {
    std::lock_guard<std::mutex> lock(registry_mutex);
    if (auto it = registry.find(key); it != registry.end()) shared = it->second;
  }
  if (!shared) {
    auto f = std::make_shared<face>();
    f->blob = hb_blob_create_from_file_or_fail(path.c_str());
    if (!f->blob) fail(exit_code::io, path, "font-unreadable", "cannot read font file");
    f->hbface = hb_face_create(f->blob, static_cast<unsigned>(index));
    hb_blob_t* glyf = hb_face_reference_table(f->hbface, HB_TAG('g', 'l', 'y', 'f'));
    bool truetype = hb_blob_get_length(glyf) > 0;
    hb_blob_destroy(glyf);
    if (!truetype) {
      diagnostic d{severity::error, path, {},
                   "font '" + family + " " + style +
                       "' has CFF (OpenType) outlines; only TrueType fonts can be embedded",
                   "font-not-truetype", {}};
      d.notes.push_back("choose a TrueType family such as Charis SIL, DejaVu Serif or Noto Serif");
      throw error(exit_code::usage, std::move(d));
    }
    f->upem = hb_face_get_upem(f->hbface);
    f->font = hb_font_create(f->hbface);
    hb_font_set_scale(f->font, static_cast<int>(f->upem), static_cast<int>(f->upem));
    hb_font_make_immutable(f->font);
    hb_font_extents_t ext{};
    if (hb_font_get_h_extents(f->font, &ext)) {
      f->ascender = ext.ascender * 1000.0 / f->upem;
      f->descender = ext.descender * 1000.0 / f->upem;
    }
    f->bold = bold;
    f->italic = italic;
    {
      hb_tag_t tags[64];
      unsigned count = 64;
      unsigned total = hb_ot_layout_table_get_feature_tags(f->hbface, HB_OT_TAG_GPOS, 0, &count, tags);
      for (unsigned start = 0; start < total && !f->kerning; start += 64) {
        count = 64;
        hb_ot_layout_table_get_feature_tags(f->hbface, HB_OT_TAG_GPOS, start, &count, tags);
        for (unsigned i = 0; i < count; ++i)
          if (tags[i] == HB_TAG('k', 'e', 'r', 'n')) f->kerning = true;
      }
      hb_blob_t* kern = hb_face_reference_table(f->hbface, HB_TAG('k', 'e', 'r', 'n'));
      if (hb_blob_get_length(kern) > 0) f->kerning = true;
      hb_blob_destroy(kern);
    }
    std::lock_guard<std::mutex> lock(registry_mutex);
    shared = registry.emplace(key, std::move(f)).first->second;
  }
  faces_.push_back(std::move(shared));
  files_.push_back(font_file{path, index, family, style});
  per_face_.push_back(std::make_unique<per_face>());
  int id = static_cast<int>(faces_.size()) - 1;
  by_path_[key] = id;
  touch(id);
  return id;
}

void font_set::touch(int font) {
  auto i = static_cast<std::size_t>(font);
  if (i >= touched_flag_.size()) touched_flag_.resize(i + 1, 0);
  if (touched_flag_[i]) return;
  touched_flag_[i] = 1;
  touched_.push_back(font);
}

std::vector<int> font_set::take_touched() {
  for (int f : touched_) touched_flag_[static_cast<std::size_t>(f)] = 0;
  return std::exchange(touched_, {});
}

int font_set::adopt(const font_set& other, int font) {
  const auto i = static_cast<std::size_t>(font);
  const font_file& f = other.files_[i];
  const face& fc = *other.faces_[i];
  return load(f.path, f.face_index, f.family, f.style, fc.bold, fc.italic);
}

int font_set::find(const std::string& family, bool bold, bool italic) {
  std::string req = family + (bold ? "|b" : "|") + (italic ? "i" : "");
  if (auto it = by_request_.find(req); it != by_request_.end()) {
    touch(it->second);
    return it->second;
  }
  struct answer {
    bool found = false;
    std::string path, style;
    int index = 0, weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
  };
  static std::map<std::string, answer> answers;  // fontconfig is slow: ask once per process
  answer ans;
  bool known = false;
  {
    std::lock_guard<std::mutex> lock(registry_mutex);
    if (auto it = answers.find(req); it != answers.end()) {
      ans = it->second;
      known = true;
    }
  }
  if (!known) {
    FcPattern* pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
    FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern* m = FcFontMatch(nullptr, pat, &res);
    FcPatternDestroy(pat);
    if (m && same_family(m, family)) {
      ans.found = true;
      ans.path = fc_string(m, FC_FILE);
      ans.style = fc_string(m, FC_STYLE);
      FcPatternGetInteger(m, FC_INDEX, 0, &ans.index);
      FcPatternGetInteger(m, FC_WEIGHT, 0, &ans.weight);
      FcPatternGetInteger(m, FC_SLANT, 0, &ans.slant);
    }
    if (m) FcPatternDestroy(m);
    std::lock_guard<std::mutex> lock(registry_mutex);
    answers[req] = ans;
  }
  if (!ans.found) missing(family);
  const std::string& path = ans.path;
  const std::string& style = ans.style;
  int index = ans.index, weight = ans.weight, slant = ans.slant;
  int id = load(path, index, family, style, weight >= FC_WEIGHT_DEMIBOLD, slant != FC_SLANT_ROMAN);
  by_request_[req] = id;
  return id;  // touched by load()
}

bool font_set::has(int font, char32_t cp) const {
  hb_codepoint_t g = 0;
  return hb_font_get_nominal_glyph(faces_[static_cast<std::size_t>(font)]->font, cp, &g) && g != 0;
}

int font_set::resolve_slow(int font, char32_t cp) {
  if (cp >= 0x10000) return resolve_uncached(font, cp);
  int found = resolve_uncached(font, cp);
  // Looked up again: resolve_uncached() may load faces, which grows per_face_.
  std::vector<int>& known = per_face_[static_cast<std::size_t>(font)]->resolved;
  if (known.empty()) known.assign(0x10000, unknown_font);
  known[cp] = found;
  return found;
}

int font_set::resolve_uncached(int font, char32_t cp) {
  if (has(font, cp)) return font;
  std::uint64_t key = (static_cast<std::uint64_t>(font) << 32) | cp;
  if (auto it = resolved_.find(key); it != resolved_.end()) return it->second;
  const face& base = *faces_[static_cast<std::size_t>(font)];
  int found = -1;
  for (const char* fam : {"DejaVu Serif", "DejaVu Sans", "Noto Serif", "Noto Sans"}) {
    try {
      int f = find(fam, base.bold, base.italic);
      if (has(f, cp)) {
        found = f;
        break;
      }
    } catch (const error&) {
    }
  }
  if (found < 0) {
    FcPattern* pat = FcPatternCreate();
    FcCharSet* cs = FcCharSetCreate();
    FcCharSetAddChar(cs, cp);
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
    FcPatternAddString(pat, FC_FONTFORMAT, reinterpret_cast<const FcChar8*>("TrueType"));
    FcConfigSubstitute(nullptr, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern* m = FcFontMatch(nullptr, pat, &res);
    if (m) {
      FcCharSet* mcs = nullptr;
      if (FcPatternGetCharSet(m, FC_CHARSET, 0, &mcs) == FcResultMatch && FcCharSetHasChar(mcs, cp)) {
        std::string path = fc_string(m, FC_FILE);
        int index = 0;
        FcPatternGetInteger(m, FC_INDEX, 0, &index);
        try {
          int f = load(path, index, fc_string(m, FC_FAMILY), fc_string(m, FC_STYLE), false, false);
          if (has(f, cp)) found = f;
        } catch (const error&) {
        }
      }
      FcPatternDestroy(m);
    }
    FcCharSetDestroy(cs);
    FcPatternDestroy(pat);
  }
  resolved_[key] = found;
  return found;
}

int font_set::advance_slow(int font, char32_t cp) const {
  per_face& cache = *per_face_[static_cast<std::size_t>(font)];
  if (cp < 0x10000 && cache.advance.empty()) {
    cache.advance.assign(0x10000, 0);
    cache.has_advance.assign(0x10000, false);
  }
  const face& f = *faces_[static_cast<std::size_t>(font)];
  hb_codepoint_t g = 0;
  hb_font_get_nominal_glyph(f.font, cp, &g);
  auto adv = static_cast<std::uint32_t>(hb_font_get_glyph_h_advance(f.font, g));
  int value = static_cast<int>(adv * 1000u / f.upem);
  if (cp < 0x10000) {
    cache.advance[cp] = value;
    cache.has_advance[cp] = true;
  }
  return value;
}

const shaped_text& font_set::shape(int font, std::string_view text) {
  auto& cache = per_face_[static_cast<std::size_t>(font)]->shaped;
  if (auto it = cache.find(text); it != cache.end()) return it->second;
  const face& f = *faces_[static_cast<std::size_t>(font)];
  // A process-wide cache keyed by the face itself (font indexes differ
  // between font_sets): batch runs shape each word once.
  static std::mutex shared_mutex;
  static std::unordered_map<std::string, shaped_text> shared;
  std::string skey = std::to_string(reinterpret_cast<std::uintptr_t>(&f));
  skey += '\0';
  skey += text;
  {
    std::lock_guard<std::mutex> lock(shared_mutex);
    if (auto it = shared.find(skey); it != shared.end())
      return cache.emplace(std::string(text), it->second).first->second;
  }
  shaped_text out;
  std::vector<std::size_t> byte_to_cp(text.size() + 1, 0);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    char32_t c = utf8::next(text, i);
    for (std::size_t b = start; b < i; ++b) byte_to_cp[b] = out.cps.size();
    out.cps.push_back(c);
    out.advance.push_back(advance(font, c));
    out.kern.push_back(0);
  }
  if (out.cps.size() > 1 && f.kerning) {
    hb_buffer_t* buf = hb_buffer_create();
    hb_buffer_add_utf8(buf, text.data(), static_cast<int>(text.size()), 0,
                       static_cast<int>(text.size()));
    hb_buffer_guess_segment_properties(buf);
    hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
    static const hb_feature_t features[] = {
        {HB_TAG('l', 'i', 'g', 'a'), 0, 0, ~0u}, {HB_TAG('c', 'l', 'i', 'g'), 0, 0, ~0u},
        {HB_TAG('d', 'l', 'i', 'g'), 0, 0, ~0u}, {HB_TAG('c', 'a', 'l', 't'), 0, 0, ~0u},
        {HB_TAG('k', 'e', 'r', 'n'), 1, 0, ~0u}};
    hb_shape(f.font, buf, features, 5);
    unsigned n = 0;
    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
    hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, &n);
    if (n == out.cps.size()) {  // one glyph per code point: kerning maps cleanly
      for (unsigned i = 0; i < n; ++i) {
        hb_position_t nominal = hb_font_get_glyph_h_advance(f.font, info[i].codepoint);
        int d = pos[i].x_advance - nominal;
        if (d != 0 && i + 1 < n) {
          std::size_t cp = byte_to_cp[info[i].cluster];
          out.kern[cp] += d * 1000.0 / f.upem;
        }
      }
    }
    hb_buffer_destroy(buf);
  }
  {
    std::lock_guard<std::mutex> lock(shared_mutex);
    if (shared.size() > 500000) shared.clear();
    shared.emplace(std::move(skey), out);
  }
  return cache.emplace(std::string(text), std::move(out)).first->second;
}

double font_set::ascender(int font) const { return faces_[static_cast<std::size_t>(font)]->ascender; }
double font_set::descender(int font) const { return faces_[static_cast<std::size_t>(font)]->descender; }
bool font_set::is_bold(int font) const { return faces_[static_cast<std::size_t>(font)]->bold; }
bool font_set::is_italic(int font) const { return faces_[static_cast<std::size_t>(font)]->italic; }

}  // namespace galley::layout
