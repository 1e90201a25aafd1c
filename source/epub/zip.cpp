// The zip container, written in memory.
//
// Deterministic: entries in the given order, one fixed DOS timestamp taken
// from dcterms:modified, fixed Unix attributes (0644), no extra fields,
// `mimetype` first and stored, everything else deflated except images.
//
// The deflating is done here, by libdeflate: whole buffers at once, several
// times faster than zlib's streams at the same size, and on every core for a
// big book. libzip then lays out the archive, in the module galley-zip.so
// (zip_module.cpp).
#include <libdeflate.h>

#include <cstring>
#include <memory>

#include "base/diagnostics.hpp"
#include "base/module.hpp"
#include "base/parallel.hpp"
#include "epub/internal.hpp"
#include "epub/zip_module.hpp"

namespace galley::epub::detail {

namespace {

[[noreturn]] void zip_fail(const std::string& what, const char* why) {
  fail(exit_code::internal, "", "zip-failed", "cannot build the epub container: " + what + ": " + (why ? why : "unknown"));
}

struct dos_time {
  std::uint16_t time = 0;
  std::uint16_t date = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
};

// "YYYY-MM-DDThh:mm:ssZ" to a DOS date and time; anything else is 1980-01-01 00:00.
dos_time to_dos(std::string_view s) {
  dos_time t;
  auto num = [&](std::size_t at, std::size_t n, int& v) {
    if (at + n > s.size()) return false;
    v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, se;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) || !num(17, 2, se))
    return t;
  if (y < 1980 || y > 2107 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return t;
  t.date = static_cast<std::uint16_t>(((y - 1980) << 9) | (mo << 5) | d);
  t.time = static_cast<std::uint16_t>((h << 11) | (mi << 5) | (se / 2));
  return t;
}

// libdeflate's level 1 (of 1-12), its fastest: on a book's XHTML it is
// about six times faster than zlib's level 9 was, for files 6% larger (level
// 6 would be 1% smaller than zlib's 9, at twice level 1's time). What a zip
// reader is told of the level (two bits of the entry's flags, informational
// only) is libzip's scale, where 1 is "super fast" too.
constexpr int deflate_level = 1;

// One entry, deflated.
struct deflated {
  std::string bytes;
  std::uint32_t crc = 0;
  std::uint64_t size = 0;  // uncompressed
};

struct compressor_deleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

deflated deflate_entry(std::string_view data) {
  thread_local std::unique_ptr<libdeflate_compressor, compressor_deleter> c(
      libdeflate_alloc_compressor(deflate_level));
  if (!c) zip_fail("deflate", "out of memory");
  deflated d;
  d.size = data.size();
  d.crc = libdeflate_crc32(0, data.data(), data.size());
  d.bytes.resize(libdeflate_deflate_compress_bound(c.get(), data.size()));
  const std::size_t n = libdeflate_deflate_compress(c.get(), data.data(), data.size(), d.bytes.data(), d.bytes.size());
  if (n == 0) zip_fail("deflate", "the compressed data does not fit its bound");
  d.bytes.resize(n);
  return d;
}

}  // namespace

// The module holding libzip (zip_module.cpp).
module& zip_module() {
  static module m("galley-zip.so", "galley-nocrypto.so");  // crypto_stub.cpp
  return m;
}

std::string zip_package(const std::vector<entry>& entries, std::string_view modified) {
  const auto write = reinterpret_cast<galley_zip_write_fn>(zip_module().symbol(GALLEY_ZIP_WRITE));

  // Deflate first, in parallel when there is enough to share (a chapter is
  // a few tens of kilobytes; below about 256 KB in all a thread costs more
  // than it saves).
  std::vector<deflated> packed(entries.size());
  std::size_t to_pack = 0;
  for (const auto& e : entries)
    if (e.compress) to_pack += e.data.size();
  parallel_for(
      entries.size(),
      [&](std::size_t i) {
        if (entries[i].compress) packed[i] = deflate_entry(entries[i].data);
      },
      to_pack >= (256u << 10) ? 1 : entries.size() + 1);

  std::vector<galley_zip_item> items(entries.size());
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const auto& e = entries[k];
    auto& it = items[k];
    it.name = e.name.c_str();
    it.deflated = e.compress ? 1 : 0;
    it.data = e.compress ? packed[k].bytes.data() : e.data.data();
    it.size = e.compress ? packed[k].bytes.size() : e.data.size();
    it.original_size = e.compress ? packed[k].size : e.data.size();
    it.crc = packed[k].crc;
    it.level = e.compress ? deflate_level : 0;  // informational (see deflate_level)
  }
  const dos_time when = to_dos(modified);
  std::string bytes;
  char why[256] = "";
  auto sink = [](void* context, const char* data, std::size_t size) {
    static_cast<std::string*>(context)->assign(data, size);
  };
  if (write(items.data(), items.size(), when.time, when.date, sink, &bytes, why, sizeof why) != 0)
    fail(exit_code::internal, "", "zip-failed", std::string("cannot build the epub container: ") + why);
  return bytes;
}

}  // namespace galley::epub::detail
