// Pieces of the EPUB back end shared by its source files. Not installed.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "base/hash.hpp"
#include "doc/tree.hpp"
#include "epub/epub.hpp"

namespace galley::epub::detail {

// One file of the package, in the order it goes into the zip.
struct entry {
  std::string name;
  std::string data;
  bool compress = true;  // deflate; mimetype and images are stored
  bool xml = false;
};

std::vector<entry> build_package(const doc::document& d, const epub_options& o);

// The zip container: entries in order, fixed times and attributes, no extra
// fields. Throws galley::error (internal, "module-missing") when the zip
// module cannot be loaded.
std::string zip_package(const std::vector<entry>& entries, std::string_view modified);

// Serialises a pugixml document in galley's fixed format: two-space indents
// for block structure, inline content on one line, XML control characters
// dropped. xhtml: empty non-void elements are written <x></x>.
std::string to_xml(const pugi::xml_document& doc, bool xhtml);

// A name-based UUID (version 5 layout) from SHA-1 of the data.
using galley::sha1_hex;
std::string uuid_from(std::string_view data);

// The same UUID from data given in pieces: add() them in order, then uuid().
// uuid_source u; u.add(a); u.add(b); gives uuid_from(a + b).
class uuid_source {
 public:
  uuid_source();
  void add(std::string_view data) { hash_.update(data); }
  std::string uuid();  // ends it

 private:
  galley::sha1_hasher hash_;
};

enum class image_format { png, jpeg };

// Checks a cover or figure image (complete PNG or JPEG). Throws galley::error
// (input_failed, "bad-image"). `file`/`pos` say where the image was named.
image_format check_image(const std::filesystem::path& path, const std::string& file, source_pos pos);

}  // namespace galley::epub::detail
