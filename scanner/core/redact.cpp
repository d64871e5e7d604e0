#include "core/redact.hpp"

#include <cstdint>
#include <cstdio>

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

std::string redact_token_like(std::string_view text, const std::vector<std::string>& prefixes) {
  constexpr std::size_t kMinBody = 8;
  auto alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  auto starts_with = [&](std::size_t at, const std::string& p) {
    if (p.empty() || text.size() - at < p.size()) return false;
    for (std::size_t k = 0; k < p.size(); ++k)
      if (lower(text[at + k]) != lower(p[k])) return false;
    return true;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t prefix = 0, end = 0;
    for (const std::string& p : prefixes) {
      if (!starts_with(i, p)) continue;
      std::size_t e = i + p.size();
      while (e < text.size() && alnum(text[e])) ++e;
      if (e - i - p.size() >= kMinBody) {
        prefix = p.size();
        end = e;
        break;
      }
    }
    if (end == 0) {
      out += text[i++];
      continue;
    }
    std::string_view token = text.substr(i, end - i);
    out += redact(token, token.substr(0, prefix));
    i = end;
  }
  return out;
}

namespace {

// Length of the well-formed UTF-8 sequence at p[i] (no overlongs, no surrogates), 0 if none.
std::size_t utf8_length(const unsigned char* p, std::size_t i, std::size_t n) {
  const unsigned char c = p[i];
  std::size_t len = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  bool ok = len > 0 && i + len <= n;
  for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
  if (ok && len == 3) ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] >= 0xA0);
  if (ok && len == 4) ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] >= 0x90);
  return ok ? len : 0;
}

uint32_t code_point(const unsigned char* p, std::size_t len) {
  if (len == 2) return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  if (len == 3) return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
}

bool reorders_or_controls(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

}  // namespace

std::string terminal_text(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == '\t') out += ' ';
      else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
      else out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
      ++i;
      continue;
    }
    const std::size_t len = utf8_length(p, i, n);
    if (len == 0) {
      out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
      ++i;
      continue;
    }
    const uint32_t cp = code_point(p + i, len);
    if (reorders_or_controls(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\u{%04x}", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(bytes.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      out += c == '\t' ? ' ' : (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
      ++i;
      continue;
    }
    // Keep well-formed UTF-8 (no overlongs, no surrogates); anything else becomes '?'.
    std::size_t len = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
    bool ok = len > 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) ok = (p[i + k] & 0xC0) == 0x80;
    if (ok && len == 3) ok = !(c == 0xE0 && p[i + 1] < 0xA0) && !(c == 0xED && p[i + 1] >= 0xA0);
    if (ok && len == 4) ok = !(c == 0xF0 && p[i + 1] < 0x90) && !(c == 0xF4 && p[i + 1] >= 0x90);
    if (ok) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

}  // namespace sfmc
