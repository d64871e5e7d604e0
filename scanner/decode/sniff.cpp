#include "decode/sniff.hpp"

#include <cstring>

#include "decode/mail.hpp"

namespace sfmc {

namespace {

bool starts(std::string_view s, std::string_view magic) { return s.substr(0, magic.size()) == magic; }

bool is_archive(std::string_view h) {
  using namespace std::string_view_literals;
  return starts(h, "PK\x03\x04"sv) || starts(h, "PK\x05\x06"sv) ||  // zip and its family (jar, docx, apk...)
         starts(h, "\x1f\x8b"sv) ||                                   // gzip
         starts(h, "BZh"sv) ||                                        // bzip2
         starts(h, "\xfd" "7zXZ\x00"sv) ||                            // xz
         starts(h, "\x28\xb5\x2f\xfd"sv) ||                           // zstd
         starts(h, "7z\xbc\xaf\x27\x1c"sv) ||                         // 7-zip
         (h.size() >= 262 && h.substr(257, 5) == "ustar");            // tar
}

}  // namespace

ContentKind sniff(std::string_view h) {
  if (is_archive(h)) return ContentKind::archive;
  // PDF readers accept the header anywhere in the first KiB.
  if (h.substr(0, 1024).find("%PDF-") != std::string_view::npos) return ContentKind::pdf;
  if (h.size() >= 2) {
    if (starts(h, "\xff\xfe") && !(h.size() >= 4 && h[2] == 0 && h[3] == 0)) return ContentKind::utf16le;
    if (starts(h, "\xfe\xff")) return ContentKind::utf16be;
  }
  // Without a BOM, UTF-16 text is recognised only when most of it is ASCII next to a
  // NUL: binary data full of small 16-bit numbers must not be "decoded" into garbage,
  // which would hide a plain token inside it.
  if (std::memchr(h.data(), 0, std::min<std::size_t>(h.size(), 4096))) {
    const std::size_t n = std::min<std::size_t>(h.size(), 4096) & ~std::size_t{1};
    auto texty = [](unsigned char c) { return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r'; };
    std::size_t le = 0, be = 0;
    for (std::size_t i = 0; i < n; i += 2) {
      const auto a = static_cast<unsigned char>(h[i]), b = static_cast<unsigned char>(h[i + 1]);
      le += b == 0 && texty(a);
      be += a == 0 && texty(b);
    }
    const std::size_t pairs = n / 2;
    if (pairs >= 8 && le * 4 >= pairs * 3) return ContentKind::utf16le;
    if (pairs >= 8 && be * 4 >= pairs * 3) return ContentKind::utf16be;
  }
  if (std::memchr(h.data(), 0, std::min<std::size_t>(h.size(), 8192))) return ContentKind::binary;
  return looks_like_mail(h) ? ContentKind::mail : ContentKind::text;
}

}  // namespace sfmc
