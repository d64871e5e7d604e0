#include "decode/pdf.hpp"

#include <string>

#include "core/module_loader.hpp"

namespace sfmc {

PdfContent read_pdf(std::string_view bytes, uint64_t max_decoded) {
  PdfContent out;
#ifdef SFMC_MODULES_LINKED
  const bool done = sfmc_pdf_read(bytes, max_decoded, &out);
#else
  static const ModuleFunction<decltype(&sfmc_pdf_read)> read("pdf", "sfmc_pdf_read");
  if (!read) {
    out.unavailable = "the PDF decoder is not available (" + read.why() + "): its bytes were matched, its compressed pages not decoded";
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
