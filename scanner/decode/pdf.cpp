#include "decode/pdf.hpp"

#include <string>

#include "core/module_loader.hpp"

namespace sfmc {

PdfContent read_pdf(std::string_view bytes, uint64_t max_decoded) {
  PdfContent out;
#ifdef SFMC_MODULES_LINKED
  const bool done = sfmc_pdf_read(bytes, max_decoded, &out);
#else
  using ReadFn = decltype(&sfmc_pdf_read);  // the module's declaration: a changed signature fails to compile
  static std::string unavailable;
  static ReadFn read = [] { return reinterpret_cast<ReadFn>(module_symbol("pdf", "sfmc_pdf_read", unavailable)); }();
  if (!read) {
    out.unavailable = "the PDF decoder is not available (" + unavailable + "): its bytes were matched, its compressed pages not decoded";
    return out;
  }
  const bool done = read(bytes, max_decoded, &out);
#endif
  if (!done) {
    out = PdfContent{};
    out.problems.push_back("out of memory while reading the PDF");
  }
  return out;
}

}  // namespace sfmc
