// The interface of the print module, galley-print.so (base/module.hpp): the
// layout engine and the PDF writer with the libraries only they use
// (HarfBuzz, libharu, fontconfig, FreeType, ICU's break iterators, libhyphen).
// An EPUB run never loads it.
//
// The module is linked against galley's own functions in the executable
// (base, doc, style, image: one temporary-file registry, one thread policy),
// and carries a private C++ runtime. No exception crosses the boundary: a
// failure comes back in the result and the caller throws it again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/diagnostics.hpp"
#include "doc/tree.hpp"
#include "style/print_style.hpp"

namespace galley::print {

struct request {
  const doc::document* document = nullptr;  // smartened
  const style::print_style* style = nullptr;
  std::string date;                         // pdf::pdf_options::date
  diagnostics* diags = nullptr;             // layout and PDF warnings
  // When not null, the font files and placed images are appended (depfiles).
  std::vector<std::string>* files_used = nullptr;
};

struct result {
  std::string pdf;  // the file's bytes
  enum class outcome { ok, error, out_of_memory, other } status = outcome::ok;
  std::optional<galley::error> failure;  // outcome::error
  std::string what;                      // outcome::other: the exception's message
};

// void render(const request&, result&) noexcept: lays the document out and
// paints it.
using render_fn = void (*)(const request&, result&) noexcept;

}  // namespace galley::print

// The name the module exports its render_fn under.
#define GALLEY_PRINT_RENDER "galley_print_render"
