// The qpdf side of decode/pdf: built as the module "pdf" (core/module_loader.hpp), so
// that qpdf is mapped only once a scan meets a PDF.
#include "decode/pdf.hpp"

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <stdexcept>

#include "core/module_loader.hpp"

namespace sfmc {

namespace {

struct OverLimit : std::runtime_error {
  OverLimit() : std::runtime_error("decoded content past the limit") {}
};

// Collects decoded bytes up to a budget shared by the whole file.
class LimitedString final : public Pipeline {
 public:
  LimitedString(std::string& into, uint64_t& budget) : Pipeline("sfmc-limit", nullptr), into_(into), budget_(budget) {}
  bool over = false;  // qpdf may catch what a pipeline throws: the flag is what counts
  void write(unsigned char const* data, size_t len) override {
    if (over) return;
    if (len > budget_) {
      over = true;
      throw OverLimit();
    }
    budget_ -= len;
    into_.append(reinterpret_cast<const char*>(data), len);
  }
  void finish() override {}

 private:
  std::string& into_;
  uint64_t& budget_;
};

// The strings a content stream shows, one line per text position: pieces shown one
// after the other (a TJ array's kerned pieces, Tj after Tj) are joined, as a reader sees them.
class ShownText final : public QPDFObjectHandle::ParserCallbacks {
 public:
  std::string text;
  void handleObject(QPDFObjectHandle obj) override {
    if (obj.isString()) {
      text += obj.getStringValue();
    } else if (obj.isArray()) {
      for (int i = 0; i < obj.getArrayNItems(); ++i) {
        QPDFObjectHandle item = obj.getArrayItem(i);
        if (item.isString()) text += item.getStringValue();
      }
    } else if (obj.isOperator()) {
      // A new text position starts a new line; Tj after Tj (and a TJ's pieces) stay on one.
      const std::string op = obj.getOperatorValue();
      if (op == "Td" || op == "TD" || op == "Tm" || op == "T*" || op == "BT" || op == "ET" || op == "'" || op == "\"")
        if (!text.empty() && text.back() != '\n') text += '\n';
    }
  }
  void handleEOF() override {
    if (!text.empty() && text.back() != '\n') text += '\n';
  }
};

bool filtered(QPDFObjectHandle stream) {
  if (!stream.isStream()) return false;
  QPDFObjectHandle f = stream.getDict().getKey("/Filter");
  return !f.isNull() && !(f.isArray() && f.getArrayNItems() == 0);
}

PdfContent parse_pdf(std::string_view bytes, uint64_t max_decoded) {
  PdfContent out;
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.setAttemptRecovery(true);
    pdf.processMemoryFile("pdf", bytes.data(), bytes.size());
    out.opened = true;
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
    int number = 0;
    for (QPDFPageObjectHelper& page : pages) {
      ++number;
      try {
        bool any_filtered = false;
        for (QPDFObjectHandle s : page.getPageContents()) any_filtered |= filtered(s);
        if (!any_filtered) continue;
        std::string decoded;
        LimitedString sink(decoded, max_decoded);
        page.pipeContents(&sink);
        if (sink.over) throw OverLimit();
        ShownText shown;
        try {
          QPDFObjectHandle::parseContentStream(QPDFObjectHandle::newStream(&pdf, decoded), &shown);
        } catch (const std::exception&) {
          // Not parsable as content: matched as the decoded bytes, which still hold any plain string.
          shown.text = std::move(decoded);
        }
        out.pages.push_back(PdfPage{number, std::move(shown.text)});
      } catch (const OverLimit&) {
        out.problems.push_back("page " + std::to_string(number) + ": decoded content past the limit; the rest of the file was not decoded");
        break;
      } catch (const std::exception& e) {
        out.problems.push_back("page " + std::to_string(number) + ": " + e.what());
      }
    }
  } catch (const std::exception& e) {
    out.problems.push_back(e.what());
  }
  return out;
}

}  // namespace

}  // namespace sfmc

extern "C" bool sfmc_pdf_read(std::string_view bytes, uint64_t max_decoded, sfmc::PdfContent* out) noexcept {
  return sfmc::completes([&] { *out = sfmc::parse_pdf(bytes, max_decoded); });
}
