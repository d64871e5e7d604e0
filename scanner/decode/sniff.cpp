#include "decode/sniff.hpp"

#include <cstring>

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
  if (h.size() >= 2) {
    if (starts(h, "\xff\xfe") && !(h.size() >= 4 && h[2] == 0 && h[3] == 0)) return ContentKind::utf16le;
    if (starts(h, "\xfe\xff")) return ContentKind::utf16be;
  }
  // Without a BOM, ASCII-heavy UTF-16 shows a NUL in every other byte.
  std::size_t n = std::min<std::size_t>(h.size(), 4096) & ~std::size_t{1};
  std::size_t even_zero = 0, odd_zero = 0, nul = 0;
  for (std::size_t i = 0; i < n; i += 2) {
    even_zero += h[i] == 0;
    odd_zero += h[i + 1] == 0;
  }
  const std::size_t pairs = n / 2;
  if (pairs >= 8) {
    if (odd_zero * 10 >= pairs * 4 && even_zero * 20 < pairs) return ContentKind::utf16le;
    if (even_zero * 10 >= pairs * 4 && odd_zero * 20 < pairs) return ContentKind::utf16be;
  }
  std::size_t scan = std::min<std::size_t>(h.size(), 8192);
  nul = std::memchr(h.data(), 0, scan) ? 1 : 0;
  return nul ? ContentKind::binary : ContentKind::text;
}

}  // namespace sfmc
