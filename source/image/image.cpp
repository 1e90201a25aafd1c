// PNG and JPEG decoding with libpng and libjpeg(-turbo).
//
// Both libraries report fatal errors through a callback that must not
// return. The decoders below are C-style functions: they longjmp out of the
// library back to their own setjmp, with no C++ object alive between the
// setjmp and the library calls, then report the failure in a plain struct.
// The C++ wrappers turn that into galley::error after the C code returned.
#include "image/image.hpp"

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "base/diagnostics.hpp"

namespace galley::image {
namespace {

// Larger images are refused: a hostile header must not make us allocate
// gigabytes. 20,000 x 20,000 px is far beyond any print image.
constexpr std::uint32_t max_side = 20000;
constexpr std::size_t max_bytes = std::size_t{512} << 20;

// ---------------------------------------------------------------------------
// Plain C state shared by the decoders. malloc'd buffers only.

struct c_result {
  int width = 0, height = 0;
  int components = 0;  // as stored in the file
  int channels = 0;    // of the decoded pixels: 1, 3 or 4
  int progressive = 0;
  unsigned char* data = nullptr;  // malloc'd, width * channels * height
  char message[200] = {};
};

void set_message(c_result* r, const char* text) {
  std::snprintf(r->message, sizeof r->message, "%s", text);
}

// --- PNG -------------------------------------------------------------------

struct png_source {
  const unsigned char* data;
  std::size_t size;
  std::size_t pos;
  c_result* result;
};

void png_read_cb(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<png_source*>(png_get_io_ptr(png));
  if (src->size - src->pos < n) {
    set_message(src->result, "truncated file");
    png_longjmp(png, 1);
  }
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
}

void png_error_cb(png_structp png, png_const_charp msg) {
  auto* src = static_cast<png_source*>(png_get_error_ptr(png));
  if (src->result->message[0] == 0) set_message(src->result, msg);
  png_longjmp(png, 1);
}

// Warnings (unknown chunks, bad sRGB profiles, ...) do not stop the decode.
void png_warning_cb(png_structp, png_const_charp) {}

// Returns 0 on success. With header_only, stops after the header.
int decode_png_c(const unsigned char* data, std::size_t size, c_result* r) {
  png_source src{data, size, 0, r};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_error_cb,
                                           png_warning_cb);
  if (!png) {
    set_message(r, "out of memory");
    return 1;
  }
  png_infop info = png_create_info_struct(png);
  // Volatile: modified after setjmp and read after a longjmp.
  png_bytepp volatile rows = nullptr;
  unsigned char* volatile pixels = nullptr;
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    set_message(r, "out of memory");
    return 1;
  }
  if (setjmp(png_jmpbuf(png))) {
    std::free(rows);
    std::free(pixels);
    png_destroy_read_struct(&png, &info, nullptr);
    if (r->message[0] == 0) set_message(r, "corrupt file");
    return 1;
  }
  png_set_read_fn(png, &src, png_read_cb);
  png_set_user_limits(png, max_side, max_side);
  png_set_benign_errors(png, 1);
  png_read_info(png, info);

  png_uint_32 w = 0, h = 0;
  int depth = 0, colour = 0, interlace = 0;
  png_get_IHDR(png, info, &w, &h, &depth, &colour, &interlace, nullptr, nullptr);
  r->width = static_cast<int>(w);
  r->height = static_cast<int>(h);
  r->components = png_get_channels(png, info);
  bool trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;

  png_set_expand(png);  // palette -> RGB, gray < 8 bit -> 8 bit, tRNS -> alpha
  png_set_strip_16(png);
  if ((colour & PNG_COLOR_MASK_ALPHA) || trns) {
    if (!(colour & PNG_COLOR_MASK_COLOR) && colour != PNG_COLOR_TYPE_PALETTE)
      png_set_gray_to_rgb(png);  // gray+alpha -> RGBA
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);

  int channels = png_get_channels(png, info);
  std::size_t rowbytes = png_get_rowbytes(png, info);
  if (channels != 1 && channels != 3 && channels != 4) {
    set_message(r, "unsupported pixel layout");
    png_longjmp(png, 1);
  }
  if (rowbytes != static_cast<std::size_t>(w) * channels ||
      static_cast<double>(rowbytes) * h > static_cast<double>(max_bytes)) {
    set_message(r, "image too large");
    png_longjmp(png, 1);
  }
  pixels = static_cast<unsigned char*>(std::malloc(rowbytes * h + 1));
  rows = static_cast<png_bytepp>(std::malloc(sizeof(png_bytep) * (h + 1)));
  if (!pixels || !rows) {
    set_message(r, "out of memory");
    png_longjmp(png, 1);
  }
  for (png_uint_32 y = 0; y < h; ++y) rows[y] = pixels + y * rowbytes;
  png_read_image(png, rows);
  png_read_end(png, nullptr);  // checks the rest of the file up to IEND

  std::free(rows);
  png_destroy_read_struct(&png, &info, nullptr);
  r->channels = channels;
  r->data = pixels;
  return 0;
}

// --- JPEG ------------------------------------------------------------------

struct jpeg_error {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  c_result* result;
};

void jpeg_error_exit_cb(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<jpeg_error*>(cinfo->err);
  char buffer[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, buffer);
  if (err->result->message[0] == 0) set_message(err->result, buffer);
  std::longjmp(err->jump, 1);
}

// Warnings that mean the data is damaged (a truncated file is only a
// warning in libjpeg, which pads the image with gray) fail the decode;
// the rest (unknown JFIF revision, extraneous bytes) are ignored.
void jpeg_emit_message_cb(j_common_ptr cinfo, int level) {
  if (level != -1) return;  // trace messages
  int code = cinfo->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_HUFF_BAD_CODE ||
      code == JWRN_ARITH_BAD_CODE || code == JWRN_MUST_RESYNC ||
      code == JWRN_BOGUS_PROGRESSION || code == JWRN_NOT_SEQUENTIAL) {
    jpeg_error_exit_cb(cinfo);
  }
  cinfo->err->num_warnings++;
}

void jpeg_output_message_cb(j_common_ptr) {}

int decode_jpeg_c(const unsigned char* data, std::size_t size, c_result* r) {
  jpeg_decompress_struct cinfo;
  jpeg_error err;
  unsigned char* volatile pixels = nullptr;
  std::memset(&cinfo, 0, sizeof cinfo);
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = jpeg_error_exit_cb;
  err.pub.emit_message = jpeg_emit_message_cb;
  err.pub.output_message = jpeg_output_message_cb;
  err.result = r;
  if (setjmp(err.jump)) {
    std::free(pixels);
    jpeg_destroy_decompress(&cinfo);
    if (r->message[0] == 0) set_message(r, "corrupt file");
    return 1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(&cinfo, TRUE);
  r->width = static_cast<int>(cinfo.image_width);
  r->height = static_cast<int>(cinfo.image_height);
  r->components = cinfo.num_components;
  r->progressive = cinfo.progressive_mode ? 1 : 0;
  if (cinfo.image_width > max_side || cinfo.image_height > max_side) {
    set_message(r, "image too large");
    std::longjmp(err.jump, 1);
  }
  bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  if (cmyk) {
    cinfo.out_color_space = JCS_CMYK;
  } else if (cinfo.num_components == 1) {
    cinfo.out_color_space = JCS_GRAYSCALE;
  } else {
    cinfo.out_color_space = JCS_RGB;
  }
  jpeg_start_decompress(&cinfo);
  int in_channels = cinfo.output_components;
  int out_channels = cmyk ? 3 : in_channels;
  std::size_t in_row = static_cast<std::size_t>(cinfo.output_width) * in_channels;
  std::size_t out_row = static_cast<std::size_t>(cinfo.output_width) * out_channels;
  pixels = static_cast<unsigned char*>(std::malloc(out_row * cinfo.output_height + in_row));
  if (!pixels) {
    set_message(r, "out of memory");
    std::longjmp(err.jump, 1);
  }
  // Adobe writes CMYK JPEGs inverted; the marker tells.
  bool inverted = cmyk && cinfo.saw_Adobe_marker;
  unsigned char* scratch = pixels + out_row * cinfo.output_height;
  while (cinfo.output_scanline < cinfo.output_height) {
    unsigned char* row = pixels + out_row * cinfo.output_scanline;
    JSAMPROW target = cmyk ? scratch : row;
    jpeg_read_scanlines(&cinfo, &target, 1);
    if (cmyk) {
      for (JDIMENSION x = 0; x < cinfo.output_width; ++x) {
        int c = scratch[x * 4], m = scratch[x * 4 + 1], y = scratch[x * 4 + 2],
            k = scratch[x * 4 + 3];
        if (!inverted) c = 255 - c, m = 255 - m, y = 255 - y, k = 255 - k;
        row[x * 3] = static_cast<unsigned char>(c * k / 255);
        row[x * 3 + 1] = static_cast<unsigned char>(m * k / 255);
        row[x * 3 + 2] = static_cast<unsigned char>(y * k / 255);
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  r->width = static_cast<int>(cinfo.output_width);
  r->height = static_cast<int>(cinfo.output_height);
  r->channels = out_channels;
  r->data = pixels;
  jpeg_destroy_decompress(&cinfo);
  return 0;
}

// ---------------------------------------------------------------------------

[[noreturn]] void bad_image(const std::string& name, const std::string& why) {
  fail(exit_code::input_failed, name, "bad-image", "cannot use image '" + name + "': " + why);
}

std::string read_all(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) bad_image(path.string(), "file not found");
  if (std::filesystem::is_directory(path, ec)) bad_image(path.string(), "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) bad_image(path.string(), "cannot open file: " + std::string(std::strerror(errno)));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) bad_image(path.string(), "read error");
  return bytes;
}

format sniff(std::string_view bytes, const std::string& name) {
  static constexpr unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.empty()) bad_image(name, "empty file");
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), png_sig, 8) == 0) return format::png;
  if (bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
      static_cast<unsigned char>(bytes[1]) == 0xD8 && static_cast<unsigned char>(bytes[2]) == 0xFF)
    return format::jpeg;
  bad_image(name, "unknown format (not PNG or JPEG)");
}

}  // namespace

pixels decode_bytes(std::string_view bytes, const std::string& name, info* about) {
  format f = sniff(bytes, name);
  c_result r;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  int status = f == format::png ? decode_png_c(data, bytes.size(), &r)
                                : decode_jpeg_c(data, bytes.size(), &r);
  if (status != 0) {
    std::string why = r.message;
    bad_image(name, std::string(f == format::png ? "corrupt PNG: " : "corrupt JPEG: ") + why);
  }
  pixels p;
  p.width = r.width;
  p.height = r.height;
  p.channels = r.channels;
  std::size_t n = static_cast<std::size_t>(r.width) * r.height * r.channels;
  p.data.assign(r.data, r.data + n);
  std::free(r.data);
  if (p.width <= 0 || p.height <= 0) bad_image(name, "empty image");
  if (about) {
    about->format = f;
    about->width = r.width;
    about->height = r.height;
    about->components = r.components;
    about->progressive = r.progressive != 0;
  }
  return p;
}

info probe_bytes(std::string_view bytes, const std::string& name) {
  info i;
  decode_bytes(bytes, name, &i);
  return i;
}

info probe(const std::filesystem::path& path) {
  return probe_bytes(read_all(path), path.string());
}

pixels decode(const std::filesystem::path& path) {
  return decode_bytes(read_all(path), path.string());
}

}  // namespace galley::image
