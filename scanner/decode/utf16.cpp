#include "decode/utf16.hpp"

namespace sfmc {

void Utf16Decoder::emit(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void Utf16Decoder::decode(std::string_view bytes, std::string& out) {
  out.reserve(out.size() + bytes.size() / 2 + 4);
  std::size_t i = 0;
  auto unit_at = [&](unsigned char a, unsigned char b) -> char16_t {
    return big_endian_ ? static_cast<char16_t>(a << 8 | b) : static_cast<char16_t>(b << 8 | a);
  };
  while (true) {
    char16_t u;
    if (carry_ >= 0) {
      if (i >= bytes.size()) return;
      u = unit_at(static_cast<unsigned char>(carry_), static_cast<unsigned char>(bytes[i]));
      carry_ = -1;
      i += 1;
    } else {
      if (i + 1 >= bytes.size()) {
        if (i < bytes.size()) carry_ = static_cast<unsigned char>(bytes[i]);
        return;
      }
      u = unit_at(static_cast<unsigned char>(bytes[i]), static_cast<unsigned char>(bytes[i + 1]));
      i += 2;
    }
    if (first_) {
      first_ = false;
      if (u == 0xFEFF) continue;  // the BOM is not content
    }
    if (high_) {
      if (u >= 0xDC00 && u <= 0xDFFF) {
        emit(0x10000 + ((high_ - 0xD800) << 10) + (u - 0xDC00), out);
        high_ = 0;
        continue;
      }
      emit(0xFFFD, out);
      high_ = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) high_ = u;
    else if (u >= 0xDC00 && u <= 0xDFFF) emit(0xFFFD, out);
    else emit(u, out);
  }
}

void Utf16Decoder::finish(std::string& out) {
  if (high_ || carry_ >= 0) emit(0xFFFD, out);
  high_ = 0;
  carry_ = -1;
}

}  // namespace sfmc
