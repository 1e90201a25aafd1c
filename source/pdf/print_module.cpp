// galley-print.so: layout and PDF painting behind one entry point
// (print_module.hpp).
#include <new>

#include "base/module.hpp"
#include "layout/layout.hpp"
#include "pdf/pdf.hpp"
#include "pdf/print_module.hpp"

extern "C" {

// What galley checks before calling anything here.
__attribute__((visibility("default"))) extern const char* const galley_module_abi;
const char* const galley_module_abi = galley::module_abi;

// A galley::print::render_fn.
__attribute__((visibility("default"))) void galley_print_render(const galley::print::request& rq,
                                                                galley::print::result& r) noexcept {
  using outcome = galley::print::result::outcome;
  try {
    const galley::layout::pages pages = galley::layout::layout_document(*rq.document, *rq.style, *rq.diags);
    if (rq.files_used) {
      for (const auto& font : pages.fonts) rq.files_used->push_back(font.path);
      for (const auto& pg : pages.list)
        for (const auto& im : pg.images) rq.files_used->push_back(im.path);
    }
    galley::pdf::pdf_options po;
    po.date = rq.date;
    po.diagnostics = rq.diags;
    galley::string_sink out;
    galley::pdf::write_pdf(pages, po, out);
    r.pdf = out.take();
    r.status = outcome::ok;
  } catch (const galley::error& e) {
    r.status = outcome::error;
    r.failure.emplace(e);
  } catch (const std::bad_alloc&) {
    r.status = outcome::out_of_memory;
  } catch (const std::exception& e) {
    r.status = outcome::other;
    r.what = e.what();
  } catch (...) {
    r.status = outcome::other;
    r.what = "unknown exception";
  }
}

}  // extern "C"
