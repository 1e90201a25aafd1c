// Images are decoded and checked by galley before any back end sees them:
// a corrupt PNG must never reach libpng's abort path inside libharu.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace galley::image {

enum class format { png, jpeg };

struct info {
  galley::image::format format = format::png;
  int width = 0, height = 0;  // pixels
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

// Decodes a PNG or JPEG completely (same errors as probe).
pixels decode(const std::filesystem::path& path);

}  // namespace galley::image
