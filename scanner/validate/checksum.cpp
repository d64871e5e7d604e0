#include "validate/checksum.hpp"

#include <zlib.h>

#include <cctype>

namespace sfmc {

namespace {

uint32_t digest(ChecksumSpec::Algorithm alg, std::string_view data) {
  const auto* p = reinterpret_cast<const Bytef*>(data.data());
  const auto n = static_cast<uInt>(data.size());
  switch (alg) {
    case ChecksumSpec::Algorithm::crc32: return static_cast<uint32_t>(crc32(crc32(0L, Z_NULL, 0), p, n));
    case ChecksumSpec::Algorithm::adler32: return static_cast<uint32_t>(adler32(adler32(0L, Z_NULL, 0), p, n));
  }
  return 0;
}

std::string encode_radix(uint32_t value, uint32_t radix, const char* digits, std::size_t width) {
  std::string out(width, digits[0]);
  for (std::size_t i = width; i-- > 0 && value;) {
    out[i] = digits[value % radix];
    value /= radix;
  }
  return out;
}

}  // namespace

std::string compute_checksum(const ChecksumSpec& spec, std::string_view covered) {
  uint32_t v = digest(spec.algorithm, covered);
  switch (spec.encoding) {
    case ChecksumSpec::Encoding::hex_lower:
    case ChecksumSpec::Encoding::hex_any: return encode_radix(v, 16, "0123456789abcdef", 8);
    case ChecksumSpec::Encoding::hex_upper: return encode_radix(v, 16, "0123456789ABCDEF", 8);
    case ChecksumSpec::Encoding::base62:
      return encode_radix(v, 62, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 6);
    case ChecksumSpec::Encoding::decimal: return encode_radix(v, 10, "0123456789", 10);
  }
  return {};
}

std::string_view checksum_covered(const ChecksumSpec& spec, std::string_view token, std::string_view prefix) {
  std::size_t w = spec.width();
  if (token.size() < w) return {};
  std::string_view covered = token.substr(0, token.size() - w);
  if (spec.covers == ChecksumSpec::Coverage::body && covered.substr(0, prefix.size()) == prefix)
    covered.remove_prefix(prefix.size());
  return covered;
}

bool checksum_holds(const ChecksumSpec& spec, std::string_view token, std::string_view prefix) {
  std::size_t w = spec.width();
  if (token.size() <= w) return false;
  std::string expected = compute_checksum(spec, checksum_covered(spec, token, prefix));
  std::string_view actual = token.substr(token.size() - w);
  if (spec.encoding != ChecksumSpec::Encoding::hex_any) return actual == expected;
  for (std::size_t i = 0; i < w; ++i)
    if (std::tolower(static_cast<unsigned char>(actual[i])) != expected[i]) return false;
  return true;
}

}  // namespace sfmc
