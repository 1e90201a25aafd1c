// Images are decoded and checked by galley before any back end sees them:
// a corrupt PNG must never reach libpng's abort path inside libharu.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace galley::image {

enum class format { png, jpeg };

struct info {
  galley::image::format format = format::png;
  int width = 0, height = 0;  // pixels
  int components = 0;         // as stored: 1 gray, 2 gray+alpha, 3 RGB/YCbCr, 4 RGBA or CMYK
  bool progressive = false;   // JPEG only
};

// Checks that the file is a complete, decodable PNG or JPEG and returns its
// size. Throws galley::error (exit_code::input_failed, code "bad-image") with
// the reason: missing, unreadable, unknown format, truncated or corrupt.
info probe(const std::filesystem::path& path);

// Fully decoded pixels, 8 bits per channel: 1 (gray), 3 (RGB) or 4 (RGBA).
struct pixels {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> data;  // row-major, width * channels bytes per row
};

// Decodes a PNG or JPEG completely (same errors as probe). Palette and
// low-bit-depth PNGs are expanded, 16-bit samples reduced to 8, gray+alpha
// becomes RGBA, CMYK JPEGs become RGB.
pixels decode(const std::filesystem::path& path);

// The same from bytes already in memory; `name` is used in messages.
info probe_bytes(std::string_view bytes, const std::string& name);
pixels decode_bytes(std::string_view bytes, const std::string& name, info* about = nullptr);

}  // namespace galley::image
