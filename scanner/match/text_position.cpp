#include "match/text_position.hpp"

#include <cstring>

namespace sfmc {

namespace {

// Written as plain counting loops so the compiler vectorises them (this file builds at
// -O3), once for the baseline and once for AVX2, chosen when the program loads: every
// byte of every input larger than half a chunk is counted here.
#define SFMC_WIDE __attribute__((target_clones("avx2", "default")))
SFMC_WIDE std::size_t count_newlines(const unsigned char* p, std::size_t n) {
  std::size_t total = 0;
  while (n > 0) {
    // Blocks of 255 keep the byte-wide accumulator from overflowing.
    std::size_t block = n < 255 * 64 ? n : 255 * 64;
    uint32_t count = 0;
    for (std::size_t i = 0; i < block; ++i) count += p[i] == '\n';
    total += count;
    p += block;
    n -= block;
  }
  return total;
}

SFMC_WIDE std::size_t count_code_points(const unsigned char* p, std::size_t n) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i) count += (p[i] & 0xC0) != 0x80;
  return count;
}

}  // namespace

void advance(TextPosition& pos, const char* p, std::size_t n) {
  if (n == 0) return;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const void* last_nl = memrchr(u, '\n', n);
  if (!last_nl) {
    pos.column += count_code_points(u, n);
  } else {
    std::size_t after = static_cast<std::size_t>(static_cast<const unsigned char*>(last_nl) - u) + 1;
    pos.line += count_newlines(u, after);
    pos.column = 1 + count_code_points(u + after, n - after);
  }
  pos.offset += n;
}

}  // namespace sfmc
