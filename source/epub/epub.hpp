// The EPUB back end: a document tree to an EPUB 3 package (with an EPUB 2 NCX
// for old readers) that passes epubcheck and Ace by DAISY.
//
// The output is a function of (tree, options) only: no clock, no current
// directory, fixed zip entry order and timestamps, so two runs give the same
// bytes. The tree should have been through doc::smarten() first; the back end
// does not change any text.
#pragma once

#include <string>

#include "base/output.hpp"
#include "doc/tree.hpp"

namespace galley::epub {

struct epub_options {
  std::string css;          // stylesheet text (styles/<name>/epub.css); empty: no stylesheet
  std::string style_name;   // "classic", "magazine": picks the typographic cover's look
  std::string cover_image;  // JPEG or PNG (relative paths are relative to base_dir); empty: the
                            // front matter's cover, else a typographic cover (XHTML + SVG)
  std::string label_mode;   // "", "qa", "names", "initials" ("" = each article's label_style)
  std::string modified;     // dcterms:modified, "YYYY-MM-DDThh:mm:ssZ" (from SOURCE_DATE_EPOCH)
  std::string identifier;   // empty: the front matter's, else a urn:uuid derived from the content
  std::string base_dir;     // the folder image paths are relative to; images outside it are refused.
                            // An article whose source_name has a folder uses that folder instead.
};

// Writes the EPUB. Throws galley::error (exit_code::input_failed) for a
// missing or corrupt cover or image ("bad-image"), an image outside base_dir
// ("image-outside-base"), a document without articles ("empty-document"),
// and (exit_code::usage) for bad options ("bad-epub-option").
void write_epub(const doc::document& d, const epub_options& o, sink& out);

// The package as text, for golden tests: the entry list (name, stored or
// deflated, size), then every XML entry in full and a SHA-1 for the others.
// Never compare zip bytes across versions; compare this.
std::string dump_epub(const doc::document& d, const epub_options& o);

}  // namespace galley::epub
