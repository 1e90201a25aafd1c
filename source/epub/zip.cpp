// The zip container, written in memory with libzip.
//
// Deterministic: entries in the given order, one fixed DOS timestamp taken
// from dcterms:modified, fixed Unix attributes (0644), no extra fields (libzip
// adds none for buffer sources; any found are deleted), `mimetype` first and
// stored, everything else deflated except images.
//
// libzip lays out the archive; the deflating is done before, by libdeflate:
// whole buffers at once, several times faster than zlib's streams at the same
// size, and on every core for a big book. libzip copies data whose source
// says it is deflated already (its stat gives the method, size and CRC).
#include <libdeflate.h>
#include <zip.h>

#include <cstring>
#include <memory>

#include "base/diagnostics.hpp"
#include "base/parallel.hpp"
#include "epub/internal.hpp"

namespace galley::epub::detail {

namespace {

[[noreturn]] void zip_fail(const std::string& what, const char* why) {
  fail(exit_code::internal, "", "zip-failed", "cannot build the epub container: " + what + ": " + (why ? why : "unknown"));
}

struct dos_time {
  zip_uint16_t time = 0;
  zip_uint16_t date = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
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
  t.date = static_cast<zip_uint16_t>(((y - 1980) << 9) | (mo << 5) | d);
  t.time = static_cast<zip_uint16_t>((h << 11) | (mi << 5) | (se / 2));
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
  zip_error_t error{};
  std::size_t read_at = 0;
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

// A libzip source serving deflated data it does not own, and saying so in its
// stat, so that libzip stores the bytes as they are.
zip_int64_t deflated_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto& d = *static_cast<deflated*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      d.read_at = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len), d.bytes.size() - d.read_at);
      std::memcpy(data, d.bytes.data() + d.read_at, n);
      d.read_at += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = d.size;
      st->comp_size = d.bytes.size();
      st->comp_method = ZIP_CM_DEFLATE;
      st->crc = d.crc;
      st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&d.error, data, len);
    case ZIP_SOURCE_FREE:
      return 0;  // the data belongs to zip_package
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SUPPORTS, -1);
    default:
      zip_error_set(&d.error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

}  // namespace

std::string zip_package(const std::vector<entry>& entries, std::string_view modified) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* mem = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!mem) zip_fail("buffer", zip_error_strerror(&err));
  zip_t* za = zip_open_from_source(mem, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(mem);
    zip_fail("open", zip_error_strerror(&err));
  }
  zip_source_keep(mem);  // we read the archive back after zip_close
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> keep(mem, zip_source_free);

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
  for (auto& d : packed) zip_error_init(&d.error);

  const dos_time when = to_dos(modified);
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const auto& e = entries[k];
    zip_source_t* s = e.compress ? zip_source_function(za, deflated_source, &packed[k])
                                 : zip_source_buffer(za, e.data.data(), e.data.size(), 0);
    if (!s) {
      zip_discard(za);
      zip_fail(e.name, zip_strerror(za));
    }
    const zip_int64_t idx = zip_file_add(za, e.name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(s);
      const std::string why = zip_strerror(za);
      zip_discard(za);
      zip_fail(e.name, why.c_str());
    }
    const auto i = static_cast<zip_uint64_t>(idx);
    bool ok = zip_set_file_compression(za, i, e.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                       e.compress ? deflate_level : 0) == 0;
    ok = ok && zip_file_set_dostime(za, i, when.time, when.date, 0) == 0;
    ok = ok && zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, zip_uint32_t{0100644} << 16) == 0;
    // No extra fields (epubcheck wants none on mimetype; they would carry times).
    ok = ok && zip_file_extra_field_delete(za, i, ZIP_EXTRA_FIELD_ALL, ZIP_FL_CENTRAL | ZIP_FL_LOCAL) == 0;
    if (!ok) {
      const std::string why = zip_strerror(za);
      zip_discard(za);
      zip_fail(e.name, why.c_str());
    }
  }
  if (zip_close(za) != 0) {
    const std::string why = zip_strerror(za);
    zip_discard(za);
    zip_fail("close", why.c_str());
  }

  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(mem, &st) != 0 || zip_source_open(mem) != 0)
    zip_fail("read back", zip_error_strerror(zip_source_error(mem)));
  std::string bytes(static_cast<std::size_t>(st.size), '\0');
  const zip_int64_t got = zip_source_read(mem, bytes.data(), st.size);
  zip_source_close(mem);
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) zip_fail("read back", "short read");
  return bytes;
}

}  // namespace galley::epub::detail
