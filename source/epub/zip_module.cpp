// galley-zip.so: the archive layout of an EPUB, by libzip (zip_module.hpp).
// Entries come deflated already (zip.cpp, libdeflate); libzip copies data
// whose source says so in its stat (method, sizes, CRC).
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "base/module.hpp"
#include "epub/zip_module.hpp"

namespace {

// A libzip source serving one deflated item it does not own, and saying so
// in its stat, so that libzip stores the bytes as they are.
struct deflated_source_state {
  const galley_zip_item* item = nullptr;
  std::size_t read_at = 0;
  zip_error_t error{};
};

zip_int64_t deflated_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto& d = *static_cast<deflated_source_state*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      d.read_at = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(len), d.item->size - d.read_at);
      std::memcpy(data, d.item->data + d.read_at, n);
      d.read_at += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = d.item->original_size;
      st->comp_size = d.item->size;
      st->comp_method = ZIP_CM_DEFLATE;
      st->crc = d.item->crc;
      st->valid |= ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return zip_error_to_data(&d.error, data, len);
    case ZIP_SOURCE_FREE:
      return 0;  // the state belongs to write_zip
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, ZIP_SOURCE_SUPPORTS, -1);
    default:
      zip_error_set(&d.error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
  }
}

// What went wrong, for the caller: "what: why".
struct failure {
  std::string message;
};

[[noreturn]] void zip_fail(const std::string& what, const char* why) {
  throw failure{what + ": " + (why ? why : "unknown")};
}

void write_zip(const galley_zip_item* items, std::size_t count, std::uint16_t dos_time, std::uint16_t dos_date,
               galley_zip_sink sink, void* context) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* mem = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (!mem) zip_fail("buffer", zip_error_strerror(&err));
  zip_t* za = zip_open_from_source(mem, ZIP_TRUNCATE, &err);
  if (!za) {
    zip_source_free(mem);
    zip_fail("open", zip_error_strerror(&err));
  }
  zip_source_keep(mem);  // read back after zip_close
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> keep(mem, zip_source_free);
  // zip_discard on every way out until zip_close has succeeded.
  auto discard = [](zip_t* z) { zip_discard(z); };
  std::unique_ptr<zip_t, decltype(discard)> open_archive(za, discard);

  std::vector<deflated_source_state> states(count);
  for (std::size_t k = 0; k < count; ++k) {
    const galley_zip_item& e = items[k];
    zip_source_t* s = nullptr;
    if (e.deflated) {
      states[k].item = &e;
      zip_error_init(&states[k].error);
      s = zip_source_function(za, deflated_source, &states[k]);
    } else {
      s = zip_source_buffer(za, e.data, e.size, 0);
    }
    if (!s) zip_fail(e.name, zip_strerror(za));
    const zip_int64_t idx = zip_file_add(za, e.name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(s);
      zip_fail(e.name, zip_strerror(za));
    }
    const auto i = static_cast<zip_uint64_t>(idx);
    bool ok = zip_set_file_compression(za, i, e.deflated ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                       static_cast<zip_uint32_t>(e.deflated ? e.level : 0)) == 0;
    ok = ok && zip_file_set_dostime(za, i, dos_time, dos_date, 0) == 0;
    ok = ok && zip_file_set_external_attributes(za, i, 0, ZIP_OPSYS_UNIX, zip_uint32_t{0100644} << 16) == 0;
    // No extra fields (epubcheck wants none on mimetype; they would carry times).
    ok = ok && zip_file_extra_field_delete(za, i, ZIP_EXTRA_FIELD_ALL, ZIP_FL_CENTRAL | ZIP_FL_LOCAL) == 0;
    if (!ok) zip_fail(e.name, zip_strerror(za));
  }
  if (zip_close(za) != 0) zip_fail("close", zip_strerror(za));
  open_archive.release();  // zip_close freed it

  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_source_stat(mem, &st) != 0 || zip_source_open(mem) != 0)
    zip_fail("read back", zip_error_strerror(zip_source_error(mem)));
  std::vector<char> bytes(static_cast<std::size_t>(st.size));
  const zip_int64_t got = zip_source_read(mem, bytes.data(), st.size);
  zip_source_close(mem);
  if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) zip_fail("read back", "short read");
  sink(context, bytes.data(), bytes.size());
}

}  // namespace

extern "C" {

// What galley checks before calling anything here.
__attribute__((visibility("default"))) extern const char* const galley_module_abi;
const char* const galley_module_abi = galley::module_abi;

// A galley_zip_write_fn.
__attribute__((visibility("default"))) int galley_zip_write(const galley_zip_item* items, std::size_t count,
                                                            std::uint16_t dos_time, std::uint16_t dos_date,
                                                            galley_zip_sink sink, void* context, char* error,
                                                            std::size_t error_size) noexcept {
  std::string message;
  try {
    write_zip(items, count, dos_time, dos_date, sink, context);
    return 0;
  } catch (const failure& f) {
    message = f.message;
  } catch (const std::bad_alloc&) {
    message = "out of memory";
  } catch (...) {
    message = "unexpected failure";
  }
  if (error && error_size > 0) std::snprintf(error, error_size, "%s", message.c_str());
  return -1;
}

}  // extern "C"
