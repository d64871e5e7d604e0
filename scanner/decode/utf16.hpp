#pragma once
// UTF-16 to UTF-8, a chunk at a time: a code unit or surrogate pair split across
// chunks is carried over. Invalid sequences become U+FFFD, so columns stay countable.
#include <string>
#include <string_view>

namespace sfmc {

class Utf16Decoder {
 public:
  explicit Utf16Decoder(bool big_endian) : big_endian_(big_endian) {}
  // Appends the UTF-8 for `bytes` to `out`; a leading BOM is dropped.
  void decode(std::string_view bytes, std::string& out);
  // Flushes what an odd byte or lone high surrogate at the end left pending.
  void finish(std::string& out);

 private:
  void emit(char32_t cp, std::string& out);
  bool big_endian_;
  bool first_ = true;
  int carry_ = -1;         // a lone byte waiting for its partner
  char32_t high_ = 0;      // a high surrogate waiting for its low half
};

}  // namespace sfmc
