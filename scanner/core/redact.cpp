#include "core/redact.hpp"

namespace sfmc {

std::string redact(std::string_view secret, std::string_view known_prefix) {
  static constexpr std::string_view ellipsis = "\xE2\x80\xA6";  // U+2026
  if (!known_prefix.empty() && secret.substr(0, known_prefix.size()) == known_prefix) {
    std::string_view rest = secret.substr(known_prefix.size());
    if (rest.size() >= 16)
      return std::string(known_prefix) + std::string(rest.substr(0, 4)) + std::string(ellipsis) +
             std::string(rest.substr(rest.size() - 4));
  }
  if (secret.size() >= 16)
    return std::string(secret.substr(0, 4)) + std::string(ellipsis) +
           std::string(secret.substr(secret.size() - 4));
  if (secret.size() >= 3)
    return std::string(1, secret.front()) + std::string(ellipsis) + std::string(1, secret.back());
  return std::string(ellipsis);
}

std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (c == '\t') out += ' ';
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else out += '?';
  }
  return out;
}

}  // namespace sfmc
