#include "pdf/pdf.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <unistd.h>

#include "base/hash.hpp"
#include "base/utf8.hpp"
#include "image/image.hpp"
#include "pdf/haru.hpp"
#include "pdf/subset.hpp"

namespace galley::pdf {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void inconsistent(const std::string& what) {
  fail(exit_code::internal, "", "pdf-failed", "inconsistent pages: " + what);
}

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// Six uppercase letters from the subset's bytes: the same subset gets the
// same tag in every run, different subsets (almost surely) different tags.
std::string subset_tag(std::string_view font_bytes) {
  std::uint64_t h = fnv1a(font_bytes);
  std::string tag;
  for (int i = 0; i < 6; ++i) {
    tag += static_cast<char>('A' + h % 26);
    h /= 26;
  }
  return tag;
}

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

void warn(const pdf_options& o, const std::string& code, const std::string& message) {
  if (o.diagnostics) o.diagnostics->warning({}, code, message);
}

std::string describe_font(const layout::font_file& f) {
  if (!f.family.empty()) return f.family + (f.style.empty() ? "" : " " + f.style);
  return f.path;
}

// --- page labels -----------------------------------------------------------

struct label {
  haru::label_style style = haru::label_style::none;
  int value = 0;
  std::string prefix;
};

int roman_value(char c) {
  switch (c) {
    case 'i': case 'I': return 1;
    case 'v': case 'V': return 5;
    case 'x': case 'X': return 10;
    case 'l': case 'L': return 50;
    case 'c': case 'C': return 100;
    case 'd': case 'D': return 500;
    case 'm': case 'M': return 1000;
    default: return 0;
  }
}

std::string to_roman(int n) {
  static const std::pair<int, const char*> table[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string s;
  for (auto [v, r] : table)
    while (n >= v) s += r, n -= v;
  return s;
}

// Parses a roman numeral in one case; 0 when it is not one (or not canonical).
int parse_roman(const std::string& s, bool upper) {
  if (s.empty() || s.size() > 15) return 0;
  int total = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (upper != (c >= 'A' && c <= 'Z')) return 0;
    int v = roman_value(c);
    if (v == 0) return 0;
    int next = i + 1 < s.size() ? roman_value(s[i + 1]) : 0;
    total += v < next ? -v : v;
  }
  if (total <= 0) return 0;
  std::string canonical = to_roman(total);
  if (upper)
    for (char& c : canonical) c = static_cast<char>(c - 'a' + 'A');
  return canonical == s ? total : 0;
}

label parse_label(const std::string& text, int index) {
  label l;
  if (text.empty()) {
    l.style = haru::label_style::decimal;
    l.value = index + 1;
    return l;
  }
  std::size_t digits = text.size();
  while (digits > 0 && text[digits - 1] >= '0' && text[digits - 1] <= '9') --digits;
  if (digits < text.size() && text.size() - digits <= 9) {
    l.style = haru::label_style::decimal;
    l.value = std::atoi(text.c_str() + digits);
    l.prefix = text.substr(0, digits);
    if (l.value >= 1) return l;
  }
  if (int v = parse_roman(text, false)) return {haru::label_style::lower_roman, v, ""};
  if (int v = parse_roman(text, true)) return {haru::label_style::upper_roman, v, ""};
  return {haru::label_style::none, 0, text};
}

void write_page_labels(const layout::pages& p, haru::document& doc) {
  bool any = false;
  for (const auto& pg : p.list) any = any || !pg.label.empty();
  if (!any) return;
  label previous;
  for (std::size_t i = 0; i < p.list.size(); ++i) {
    label l = parse_label(p.list[i].label, static_cast<int>(i));
    bool continues = i > 0 && l.style == previous.style && l.prefix == previous.prefix &&
                     (l.style == haru::label_style::none || l.value == previous.value + 1);
    if (!continues) doc.add_page_label(static_cast<int>(i), l.style, l.value, l.prefix);
    previous = l;
  }
}

// --- images ----------------------------------------------------------------

std::string read_image_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) image::probe(path);  // throws bad-image with the reason
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return bytes;
}

int load_image(const std::string& path, const std::string& bytes, haru::document& doc) {
  image::info about;
  image::pixels px = image::decode_bytes(bytes, path, &about);  // checks the whole file
  // A baseline gray or RGB JPEG goes in as it is (DCTDecode, no re-encoding).
  if (about.format == image::format::jpeg && !about.progressive &&
      (about.components == 1 || about.components == 3))
    return doc.load_jpeg(bytes);
  return doc.load_pixels(px);
}

bool empty_rect(const layout::rect& r) { return r.x1 == r.x2 || r.y1 == r.y2; }

}  // namespace

std::string pdf_date(const std::string& iso) {
  auto bad = [&]() -> std::string {
    fail(exit_code::usage, "", "bad-date", "not an ISO 8601 date: '" + iso + "'");
  };
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > iso.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (iso[i] < '0' || iso[i] > '9') return false;
    return true;
  };
  // YYYY-MM-DD
  if (!digits(0, 4) || iso.size() < 10 || iso[4] != '-' || !digits(5, 2) || iso[7] != '-' ||
      !digits(8, 2))
    return bad();
  std::string out = "D:" + iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
  int month = std::atoi(iso.substr(5, 2).c_str()), day = std::atoi(iso.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1 || day > 31) return bad();
  std::size_t i = 10;
  if (i == iso.size()) return out;
  if (iso[i] != 'T' && iso[i] != ' ') return bad();
  ++i;
  if (!digits(i, 2) || i + 2 >= iso.size() || iso[i + 2] != ':' || !digits(i + 3, 2)) return bad();
  out += iso.substr(i, 2) + iso.substr(i + 3, 2);
  i += 5;
  if (i < iso.size() && iso[i] == ':') {
    if (!digits(i + 1, 2)) return bad();
    out += iso.substr(i + 1, 2);
    i += 3;
    if (i < iso.size() && (iso[i] == '.' || iso[i] == ',')) {  // fractions: dropped
      ++i;
      while (i < iso.size() && iso[i] >= '0' && iso[i] <= '9') ++i;
    }
  } else {
    out += "00";
  }
  if (i == iso.size()) return out;
  if (iso[i] == 'Z' && i + 1 == iso.size()) return out + "Z";
  if ((iso[i] == '+' || iso[i] == '-') && digits(i + 1, 2)) {
    std::string hh = iso.substr(i + 1, 2), mm = "00";
    std::size_t j = i + 3;
    if (j < iso.size() && iso[j] == ':') ++j;
    if (digits(j, 2)) {
      mm = iso.substr(j, 2);
      j += 2;
    }
    if (j != iso.size()) return bad();
    return out + iso[i] + hh + "'" + mm + "'";
  }
  return bad();
}

void write_pdf(const layout::pages& p, const pdf_options& o, sink& out) {
  if (p.list.empty()) inconsistent("no pages");
  std::string date = o.date.empty() ? std::string() : pdf_date(o.date);

  // 1. Every code point each font draws. All are in the BMP (libharu
  // draws the others as spaces): a bit per code point while scanning, a set
  // afterwards.
  std::vector<std::vector<bool>> drawn(p.fonts.size());
  std::size_t astral = 0;
  for (std::size_t pi = 0; pi < p.list.size(); ++pi) {
    for (const auto& run : p.list[pi].runs) {
      if (run.font < 0 || static_cast<std::size_t>(run.font) >= p.fonts.size())
        inconsistent("text run on page " + std::to_string(pi + 1) + " uses font " +
                     std::to_string(run.font) + " of " + std::to_string(p.fonts.size()));
      if (!(run.size > 0)) inconsistent("text run with font size " + std::to_string(run.size));
      std::vector<bool>& bits = drawn[static_cast<std::size_t>(run.font)];
      if (bits.empty()) bits.resize(0x10000);
      for (std::size_t i = 0; i < run.text.size();) {
        char32_t c = utf8::next(run.text, i);
        if (c > 0xFFFF) {
          ++astral;
          c = 0x20;
        }
        bits[c] = true;
      }
    }
  }
  std::vector<std::set<char32_t>> used(p.fonts.size());
  for (std::size_t f = 0; f < drawn.size(); ++f)
    for (std::size_t c = 0; c < drawn[f].size(); ++c)
      if (drawn[f][c]) used[f].insert(used[f].end(), static_cast<char32_t>(c));
  if (astral > 0)
    warn(o, "pdf-astral-char",
         std::to_string(astral) +
             " characters above U+FFFF (emoji, rare scripts) are printed as spaces: libharu cannot "
             "encode them");

  // 2. Subset each font with HarfBuzz, then load the subset into libharu.
  haru::document doc(o.compress, o.threads);
  std::vector<int> font_id(p.fonts.size(), -1);
  std::map<std::pair<std::string, int>, std::size_t> first_of;  // same file twice: one font
  for (std::size_t i = 0; i < p.fonts.size(); ++i) {
    const auto& f = p.fonts[i];
    auto [it, fresh] = first_of.emplace(std::make_pair(f.path, f.face_index), i);
    if (!fresh) {
      used[it->second].insert(used[i].begin(), used[i].end());
      used[i].clear();
    }
  }
  for (std::size_t i = 0; i < p.fonts.size(); ++i) {
    if (used[i].empty()) continue;
    const auto& f = p.fonts[i];
    std::set<char32_t> covered = covered_code_points(f.path, f.face_index, used[i]);
    if (covered.size() != used[i].size()) {
      std::string list;
      int n = 0;
      for (char32_t c : used[i]) {
        if (covered.count(c)) continue;
        if (n++ < 8) list += (list.empty() ? "" : ", ") + code_point_name(c);
      }
      if (n > 8) list += ", ...";
      warn(o, "missing-glyph", "font '" + describe_font(f) + "' has no glyph for " + list);
    }
    std::string bytes = subset_font(f.path, f.face_index, used[i]);
    // libharu reads fonts only from a named file, and keeps it open until it
    // writes the document: the name can go as soon as the font is loaded,
    // so even a killed galley leaves no font files behind.
    temp_file file(bytes, ".ttf");
    font_id[i] = doc.load_font(file.path().string(), subset_tag(bytes), used[i]);
  }
  for (std::size_t i = 0; i < p.fonts.size(); ++i) {
    auto it = first_of.find({p.fonts[i].path, p.fonts[i].face_index});
    font_id[i] = font_id[it->second];
  }

  // 3. Pages first, so links and bookmarks can point forward.
  for (const auto& pg : p.list) {
    if (!(pg.width > 0) || !(pg.height > 0))
      inconsistent("page size " + std::to_string(pg.width) + " x " + std::to_string(pg.height));
    int id = doc.add_page(pg.width, pg.height);
    if (!empty_rect(pg.trim_box))
      doc.set_page_box(id, "TrimBox", pg.trim_box.x1, pg.trim_box.y1, pg.trim_box.x2,
                       pg.trim_box.y2);
    if (!empty_rect(pg.bleed_box))
      doc.set_page_box(id, "BleedBox", pg.bleed_box.x1, pg.bleed_box.y1, pg.bleed_box.x2,
                       pg.bleed_box.y2);
  }

  // 4. Content.
  // Images by path, and by content: the same picture under two spellings
  // of its path ("img/a.jpg", "./img/a.jpg") or copied under another name
  // is embedded once and drawn where each figure wants it.
  std::map<std::string, int> images;
  std::map<std::array<std::uint8_t, 20>, int> image_by_content;
  auto page_index = [&](int target, const char* what) {
    if (target < 0 || static_cast<std::size_t>(target) >= p.list.size())
      inconsistent(std::string(what) + " to page " + std::to_string(target) + " of " +
                   std::to_string(p.list.size()));
    return target;
  };
  for (std::size_t pi = 0; pi < p.list.size(); ++pi) {
    const auto& pg = p.list[pi];
    int page = static_cast<int>(pi);
    for (const auto& im : pg.images) {
      auto it = images.find(im.path);
      if (it == images.end()) {
        const std::string bytes = read_image_file(im.path);
        const auto key = sha1(bytes);
        auto same = image_by_content.find(key);
        if (same == image_by_content.end()) same = image_by_content.emplace(key, load_image(im.path, bytes, doc)).first;
        it = images.emplace(im.path, same->second).first;
      }
      doc.draw_image(page, it->second, im.x, im.y, im.width, im.height);
    }
    for (const auto& r : pg.rules)
      doc.draw_line(page, r.x1, r.y1, r.x2, r.y2, r.width, {r.colour.r, r.colour.g, r.colour.b});
    if (!pg.runs.empty()) {
      doc.begin_text(page);
      for (const auto& run : pg.runs) {
        doc.show_run(page, font_id[static_cast<std::size_t>(run.font)], run.size, run.x, run.y,
                     run.horizontal_scale, {run.colour.r, run.colour.g, run.colour.b}, run.text,
                     run.adjust, run.actual_text);
      }
      doc.end_text(page);
    }
    doc.page_done(page);  // its content is deflated while the next pages are painted
    for (const auto& l : pg.links) {
      if (!l.uri.empty())
        doc.link_to_uri(page, l.area.x1, l.area.y1, l.area.x2, l.area.y2, l.uri);
      else
        doc.link_to_page(page, l.area.x1, l.area.y1, l.area.x2, l.area.y2,
                         page_index(l.dest_page, "link"), l.dest_y);
    }
  }

  // 5. Bookmarks: an entry hangs below the last entry one level up.
  std::vector<int> last_at_level;
  for (const auto& e : p.outline) {
    int level = std::max(0, e.level);
    if (static_cast<std::size_t>(level) > last_at_level.size())
      level = static_cast<int>(last_at_level.size());  // no skipping levels
    int parent = level == 0 ? -1 : last_at_level[static_cast<std::size_t>(level) - 1];
    int id = doc.add_outline(parent, e.title, page_index(e.page, "bookmark"), e.y);
    last_at_level.resize(static_cast<std::size_t>(level));
    last_at_level.push_back(id);
  }

  write_page_labels(p, doc);

  // 6. Document info.
  const auto& info = p.info;
  if (!info.title.empty()) doc.set_info("Title", info.title);
  if (!info.author.empty()) doc.set_info("Author", info.author);
  if (!info.subject.empty()) doc.set_info("Subject", info.subject);
  if (!info.keywords.empty()) doc.set_info("Keywords", info.keywords);
  if (!info.creator.empty()) doc.set_info("Creator", info.creator);
  if (!info.lang.empty()) doc.set_lang(info.lang);
  if (!date.empty()) doc.set_date(date);

  out.write(doc.save());
}

}  // namespace galley::pdf
