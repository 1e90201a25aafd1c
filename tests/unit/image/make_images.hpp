// Test helpers: small PNG and JPEG files made with libpng and libjpeg.
#pragma once

#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <jpeglib.h>
#include <png.h>

namespace galley::test {

struct png_spec {
  int width = 4, height = 3;
  int colour_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  bool interlaced = false;
  bool trns = false;  // palette only: first entry transparent
  bool text = false;  // add a tEXt chunk before the image data
};

inline void png_write_cb(png_structp png, png_bytep data, png_size_t n) {
  auto* out = static_cast<std::string*>(png_get_io_ptr(png));
  out->append(reinterpret_cast<const char*>(data), n);
}
inline void png_flush_cb(png_structp) {}

// Pixel value at (x, y), channel c: a deterministic gradient.
inline int sample(int x, int y, int c) { return (x * 40 + y * 70 + c * 50) % 256; }

inline std::string make_png(const png_spec& s) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, png_write_cb, png_flush_cb);
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, s.colour_type,
               s.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (s.colour_type == PNG_COLOR_TYPE_PALETTE) {
    png_color palette[4] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    png_set_PLTE(png, info, palette, 4);
    if (s.trns) {
      png_byte alpha[1] = {0};
      png_set_tRNS(png, info, alpha, 1, nullptr);
    }
  }
  if (s.text) {
    png_text t{};
    t.compression = PNG_TEXT_COMPRESSION_NONE;
    t.key = const_cast<char*>("Comment");
    t.text = const_cast<char*>("made by a galley test");
    png_set_text(png, info, &t, 1);
  }
  png_write_info(png, info);
  int channels = png_get_channels(png, info);
  int bytes_per_sample = s.bit_depth == 16 ? 2 : 1;
  std::vector<png_byte> row(static_cast<std::size_t>(s.width * channels * bytes_per_sample) + 8);
  int passes = s.interlaced ? png_set_interlace_handling(png) : 1;
  for (int pass = 0; pass < passes; ++pass) {
    for (int y = 0; y < s.height; ++y) {
      std::fill(row.begin(), row.end(), 0);
      for (int x = 0; x < s.width; ++x) {
        for (int c = 0; c < channels; ++c) {
          int v = s.colour_type == PNG_COLOR_TYPE_PALETTE ? (x + y) % 4 : sample(x, y, c);
          if (s.colour_type == PNG_COLOR_TYPE_PALETTE && s.bit_depth < 8) {
            // packed: 2 bits per pixel
            int bit = x * s.bit_depth;
            row[static_cast<std::size_t>(bit / 8)] |=
                static_cast<png_byte>(v << (8 - s.bit_depth - bit % 8));
          } else if (bytes_per_sample == 2) {
            row[static_cast<std::size_t>((x * channels + c) * 2)] = static_cast<png_byte>(v);
            row[static_cast<std::size_t>((x * channels + c) * 2 + 1)] = 0;
          } else {
            row[static_cast<std::size_t>(x * channels + c)] = static_cast<png_byte>(v);
          }
        }
      }
      png_write_row(png, row.data());
    }
  }
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

inline std::string make_jpeg(int width, int height, int components, bool progressive = false,
                             int quality = 90) {
  jpeg_compress_struct cinfo;
  jpeg_error_mgr jerr;
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  if (progressive) jpeg_simple_progression(&cinfo);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<unsigned char> row(static_cast<std::size_t>(width * components));
  while (cinfo.next_scanline < cinfo.image_height) {
    int y = static_cast<int>(cinfo.next_scanline);
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < components; ++c)
        row[static_cast<std::size_t>(x * components + c)] = static_cast<unsigned char>(sample(x, y, c));
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  std::string out(reinterpret_cast<char*>(buffer), size);
  jpeg_destroy_compress(&cinfo);
  std::free(buffer);
  return out;
}

}  // namespace galley::test
