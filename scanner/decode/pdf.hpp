#pragma once
// PDF files, read with qpdf: each page's content streams decoded (Flate and every other
// standard filter, as qpdf implements them) and the text they show pulled out, so a
// token in a Flate-compressed runbook is matched and the finding names its page.
//
// qpdf rather than poppler: the job is decoding streams and reading content operators,
// not laying out text, and qpdf does exactly that, is hardened against damaged files
// (recovery, fuzzed upstream) and lets every decoded byte go through our own size limit.
// What it cannot do is map glyph ids of CID fonts back to characters (poppler's text
// extraction can); such text is matched as the bytes it is written with.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfmc {

struct PdfPage {
  int number = 0;    // 1-based
  std::string text;  // the strings the page shows: one line per text position, pieces of one line joined
};

struct PdfContent {
  std::vector<PdfPage> pages;        // pages with compressed (filtered) content only: unfiltered
                                     // content is matched in the file's own bytes already
  std::vector<std::string> problems; // pages or files that could not be read, and why
  std::vector<std::string> limits;   // pages cut or left undecoded by a limit, and which
  bool opened = false;               // false: not readable as a PDF at all
  bool page_tree_read = false;       // every page was found (no loop, no damage in the page tree)
  std::string unavailable;           // the qpdf module could not be loaded, and why
};

struct PdfLimits {
  uint64_t max_decoded = 0;  // decoded bytes of all pages together (a Flate bomb stops there)
  uint64_t max_page = 0;     // decoded bytes of one page held for its text: past that, its start is matched as bytes
  uint64_t max_pages = 0;    // pages decoded (each counts as an archive member)
};

// qpdf is loaded on first use (core/module_loader.hpp).
PdfContent read_pdf(std::string_view bytes, const PdfLimits& limits);

}  // namespace sfmc

// The entry point of the module "pdf" (decode/pdf_qpdf.cpp): read_pdf's work.
// false when it failed (out of memory), with `out` left for the caller to reset.
extern "C" bool sfmc_pdf_read(std::string_view bytes, const sfmc::PdfLimits* limits, sfmc::PdfContent* out) noexcept;
