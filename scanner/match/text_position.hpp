#pragma once
// Line and column bookkeeping over a byte stream. Lines end at '\n' (so CRLF counts
// once); columns count UTF-8 code points, as SARIF's "unicodeCodePoints" column kind.
#include <cstddef>
#include <cstdint>

namespace sfmc {

struct TextPosition {
  uint64_t offset = 0;  // byte offset from the start of the stream
  uint64_t line = 1;    // 1-based
  uint64_t column = 1;  // 1-based, in code points
};

// Moves `pos` over `n` bytes starting at `p`, which must be the bytes at pos.offset.
void advance(TextPosition& pos, const char* p, std::size_t n);

}  // namespace sfmc
