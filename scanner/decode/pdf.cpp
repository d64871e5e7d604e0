#include "decode/pdf.hpp"

#include <string>

#include "core/module_loader.hpp"

namespace sfmc {

PdfContent read_pdf(std::string_view bytes, uint64_t max_decoded) {
  PdfContent out;
#ifdef SFMC_MODULES_LINKED
  sfmc_pdf_read(bytes, max_decoded, &out);
#else
  using ReadFn = void (*)(std::string_view, uint64_t, PdfContent*) noexcept;
  static std::string unavailable;
  static ReadFn read = [] { return reinterpret_cast<ReadFn>(module_symbol("pdf", "sfmc_pdf_read", unavailable)); }();
  if (read)
    read(bytes, max_decoded, &out);
  else
    out.unavailable = "the PDF decoder is not available (" + unavailable + "): its bytes were matched, its compressed pages not decoded";
#endif
  return out;
}

}  // namespace sfmc
