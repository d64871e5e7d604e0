#include "decode/pdf.hpp"

#include <string>

#include "core/module_loader.hpp"

namespace sfmc {

PdfContent read_pdf(std::string_view bytes, const PdfLimits& limits) {
  static const auto read = SFMC_MODULE_ENTRY("pdf", sfmc_pdf_read);
  PdfContent out;
  if (!read) {
    out.unavailable = "the PDF decoder is not available (" + read.why() + "): its bytes were matched, its compressed pages not decoded";
  } else if (!read(bytes, &limits, &out)) {
    out = PdfContent{};
    out.problems.push_back("out of memory while reading the PDF");
  }
  return out;
}

}  // namespace sfmc
