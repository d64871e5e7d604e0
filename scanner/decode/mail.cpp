#include "decode/mail.hpp"

#include <cctype>

#include "core/module_loader.hpp"

namespace sfmc {

namespace {

bool header_line(std::string_view line) {
  std::size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon > 76) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
  }
  return true;
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i]))) return false;
  return true;
}

}  // namespace

bool looks_like_mail(std::string_view head) {
  std::size_t at = 0;
  auto next_line = [&](std::string_view& line) {
    if (at >= head.size()) return false;
    std::size_t nl = head.find('\n', at);
    if (nl == std::string_view::npos) nl = head.size();
    line = head.substr(at, nl - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    at = nl + 1;
    return true;
  };
  std::string_view line;
  if (!next_line(line)) return false;
  const bool mbox = line.substr(0, 5) == "From ";
  if (mbox && !next_line(line)) return false;
  if (!header_line(line)) return false;
  // A header block that says it is mail: YAML and HTTP dumps have "Name: value" lines too.
  bool mime = false, from = false, mail_field = false;
  int headers = 0;
  for (bool more = true; more; more = next_line(line)) {
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') continue;  // folded continuation
    if (!header_line(line)) return false;
    ++headers;
    mime |= iequals_prefix(line, "MIME-Version:") || iequals_prefix(line, "Content-Transfer-Encoding:");
    from |= iequals_prefix(line, "From:");
    mail_field |= iequals_prefix(line, "Subject:") || iequals_prefix(line, "Message-ID:") ||
                  iequals_prefix(line, "Received:") || iequals_prefix(line, "Date:");
  }
  return headers >= 2 && (mime || (from && mail_field) || mbox);
}

MailContent read_mail(std::string_view raw, uint64_t max_decoded) {
  static const auto read = SFMC_MODULE_ENTRY("mail", sfmc_mail_read);
  MailContent out;
  if (!read) {
    out.text.assign(raw);
    out.unavailable = "the mail decoder is not available (" + read.why() + "): matched as text, encoded parts not decoded";
  } else if (!read(raw, max_decoded, &out)) {
    out = MailContent{};
    out.text.assign(raw);
    out.problem = "out of memory while decoding the message; matched as text";
  }
  return out;
}

}  // namespace sfmc
