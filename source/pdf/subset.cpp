#include "pdf/subset.hpp"

#include <memory>

#include <hb-subset.h>
#include <hb.h>

#include "base/diagnostics.hpp"

namespace galley::pdf {
namespace {

struct blob_deleter {
  void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
};
struct face_deleter {
  void operator()(hb_face_t* f) const { hb_face_destroy(f); }
};
struct input_deleter {
  void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
};
using blob_ptr = std::unique_ptr<hb_blob_t, blob_deleter>;
using face_ptr = std::unique_ptr<hb_face_t, face_deleter>;
using input_ptr = std::unique_ptr<hb_subset_input_t, input_deleter>;

[[noreturn]] void bad_font(const std::string& path, const std::string& why) {
  fail(exit_code::input_failed, path, "bad-font", "cannot embed font '" + path + "': " + why);
}

face_ptr open_face(const std::string& path, int face_index) {
  blob_ptr blob(hb_blob_create_from_file_or_fail(path.c_str()));
  if (!blob) bad_font(path, "cannot read file");
  unsigned count = hb_face_count(blob.get());
  if (count == 0) bad_font(path, "not a TrueType or OpenType font");
  if (face_index < 0 || static_cast<unsigned>(face_index) >= count)
    bad_font(path, "no face " + std::to_string(face_index) + " in the file");
  face_ptr face(hb_face_create(blob.get(), static_cast<unsigned>(face_index)));
  // libharu embeds TrueType outlines only.
  hb_blob_t* glyf = hb_face_reference_table(face.get(), HB_TAG('g', 'l', 'y', 'f'));
  bool has_glyf = hb_blob_get_length(glyf) > 0;
  hb_blob_destroy(glyf);
  if (!has_glyf) bad_font(path, "no TrueType outlines (CFF fonts cannot be embedded)");
  return face;
}

}  // namespace

std::string subset_font(const std::string& path, int face_index,
                        const std::set<char32_t>& code_points, const subset_options& o) {
  face_ptr face = open_face(path, face_index);
  input_ptr input(hb_subset_input_create_or_fail());
  if (!input) bad_font(path, "out of memory");
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (char32_t c : code_points) hb_set_add(unicodes, c);
  unsigned flags = HB_SUBSET_FLAGS_DEFAULT;
  if (o.retain_gids) flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
  if (!o.keep_hinting) flags |= HB_SUBSET_FLAGS_NO_HINTING;
  hb_subset_input_set_flags(input.get(), flags);
  face_ptr result(hb_subset_or_fail(face.get(), input.get()));
  if (!result) bad_font(path, "subsetting failed");
  blob_ptr out(hb_face_reference_blob(result.get()));
  unsigned length = 0;
  const char* data = hb_blob_get_data(out.get(), &length);
  if (!data || length == 0) bad_font(path, "subsetting gave an empty font");
  return std::string(data, length);
}

std::set<char32_t> covered_code_points(const std::string& path, int face_index,
                                       const std::set<char32_t>& code_points) {
  face_ptr face = open_face(path, face_index);
  hb_font_t* font = hb_font_create(face.get());
  std::set<char32_t> out;
  for (char32_t c : code_points) {
    hb_codepoint_t glyph = 0;
    if (hb_font_get_nominal_glyph(font, c, &glyph)) out.insert(c);
  }
  hb_font_destroy(font);
  return out;
}

}  // namespace galley::pdf
