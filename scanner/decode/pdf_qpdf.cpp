// The qpdf side of decode/pdf: built as the module "pdf" (core/module_loader.hpp), so
// that qpdf is mapped only once a scan meets a PDF.
#include "decode/pdf.hpp"

#include <qpdf/Pipeline.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>

#include <algorithm>
#include <stdexcept>

#include "core/module_loader.hpp"

namespace sfmc {

namespace {

struct OverLimit : std::runtime_error {
  OverLimit() : std::runtime_error("decoded content past the limit") {}
};

// Collects one page's decoded bytes: at most `hold` of them, and no more than the
// budget shared by the whole file. Past the hold, the page's start is kept and the rest
// of it skipped; past the budget, decoding stops.
class LimitedString final : public Pipeline {
 public:
  LimitedString(std::string& into, uint64_t hold, uint64_t& budget)
      : Pipeline("sfmc-limit", nullptr), into_(into), hold_(hold), budget_(budget) {}
  bool over_budget = false;  // qpdf may catch what a pipeline throws: the flags are what count
  bool over_hold = false;
  void write(unsigned char const* data, size_t len) override {
    if (over_budget || over_hold) throw OverLimit();
    const uint64_t room = std::min<uint64_t>(budget_, hold_ - into_.size());
    const std::size_t k = static_cast<std::size_t>(std::min<uint64_t>(len, room));
    into_.append(reinterpret_cast<const char*>(data), k);
    budget_ -= k;
    if (k < len) {
      (budget_ == 0 ? over_budget : over_hold) = true;
      throw OverLimit();
    }
  }
  void finish() override {}

 private:
  std::string& into_;
  uint64_t hold_;
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

PdfContent parse_pdf(std::string_view bytes, const PdfLimits& limits) {
  PdfContent out;
  uint64_t budget = limits.max_decoded;
  try {
    QPDF pdf;
    pdf.setSuppressWarnings(true);
    pdf.setAttemptRecovery(true);
    pdf.processMemoryFile("pdf", bytes.data(), bytes.size());
    out.opened = true;
    std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(pdf).getAllPages();
    out.page_tree_read = true;
    int number = 0;
    uint64_t decoded_pages = 0;
    for (QPDFPageObjectHelper& page : pages) {
      ++number;
      const std::string name = "page " + std::to_string(number);
      try {
        bool any_filtered = false;
        for (QPDFObjectHandle s : page.getPageContents()) any_filtered |= filtered(s);
        if (!any_filtered) continue;
        if (++decoded_pages > limits.max_pages) {
          out.limits.push_back("more than " + std::to_string(limits.max_pages) + " pages with compressed content (limit); from " +
                               name + " on, pages were not decoded");
          break;
        }
        std::string decoded;
        LimitedString sink(decoded, limits.max_page, budget);
        // Stream by stream into the sink, as Flate decodes them: qpdf's pipeContents
        // buffers each stream whole first, and a 2 MB page can inflate to gigabytes.
        for (QPDFObjectHandle s : page.getPageContents()) {
          try {
            s.pipeStreamData(&sink, 0, qpdf_dl_specialized);
            sink.write(reinterpret_cast<const unsigned char*>("\n"), 1);
          } catch (const OverLimit&) {
          }
          if (sink.over_budget || sink.over_hold) break;
        }
        if (sink.over_budget) {
          out.limits.push_back(name + ": decoded content past the file's expansion limit; the rest of the file was not decoded");
          if (!decoded.empty()) out.pages.push_back(PdfPage{number, std::move(decoded)});
          break;
        }
        if (sink.over_hold) {
          // Too large to parse for its text: what was held is matched as decoded bytes
          // (a string shown whole is there as written), and the next page goes on.
          out.limits.push_back(name + ": decoded content larger than " + std::to_string(limits.max_page >> 20) +
                               " MiB; its first " + std::to_string(limits.max_page >> 20) +
                               " MiB were matched as bytes, the rest of the page was not decoded");
          out.pages.push_back(PdfPage{number, std::move(decoded)});
          continue;
        }
        ShownText shown;
        try {
          QPDFObjectHandle::parseContentStream(QPDFObjectHandle::newStream(&pdf, decoded), &shown);
        } catch (const std::exception&) {
          // Not parsable as content: matched as the decoded bytes, which still hold any plain string.
          shown.text = std::move(decoded);
        }
        out.pages.push_back(PdfPage{number, std::move(shown.text)});
      } catch (const std::exception& e) {
        out.problems.push_back(name + ": " + e.what());
      }
    }
  } catch (const std::exception& e) {
    out.problems.push_back(e.what());
  }
  return out;
}

}  // namespace

}  // namespace sfmc

extern "C" bool sfmc_pdf_read(std::string_view bytes, const sfmc::PdfLimits* limits, sfmc::PdfContent* out) noexcept {
  return sfmc::completes([&] { *out = sfmc::parse_pdf(bytes, *limits); });
}
