// The interface of the zip writer module, galley-zip.so (base/module.hpp):
// libzip lays out the archive there, so that an EPUB run loads libzip and
// libcrypto on another core while it parses. Plain C types only: no C++
// object and no exception crosses between galley and the module.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// One archive entry, in order.
struct galley_zip_item {
  const char* name;           // UTF-8
  const char* data;           // the bytes as they go into the archive
  std::size_t size;
  int deflated;               // 1: `data` is raw deflate of `original_size` bytes whose CRC-32 is `crc`;
                              // 0: stored as they are
  std::uint64_t original_size;
  std::uint32_t crc;
  int level;                  // the compression level the entry's flags report
};

// Receives the archive's bytes.
typedef void (*galley_zip_sink)(void* context, const char* data, std::size_t size);

// Writes the items as one zip archive: one DOS time for all, Unix mode 0644,
// no extra fields. Returns 0, or -1 with a message in `error` (NUL-ended,
// cut to error_size).
typedef int (*galley_zip_write_fn)(const galley_zip_item* items, std::size_t count, std::uint16_t dos_time,
                                   std::uint16_t dos_date, galley_zip_sink sink, void* context, char* error,
                                   std::size_t error_size);

}  // extern "C"

// The name the module exports its galley_zip_write_fn under.
#define GALLEY_ZIP_WRITE "galley_zip_write"
