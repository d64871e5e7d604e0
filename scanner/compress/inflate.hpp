#pragma once
// Inflating zlib streams whose inflated size is known in advance (git pack entries and
// loose objects state it in their headers; other formats may too), with the fastest
// library this machine has for it and zlib as the fallback. For any decoder, not only git.
//
// The stated size is untrusted: it is checked against what the compressed bytes can
// possibly hold before anything is allocated, and a stream that turns out shorter,
// longer or damaged is reported with the part that did decode, so a caller can still
// scan it.
#include <cstdint>
#include <string>
#include <string_view>

namespace sfmc::compress {

// The most bytes `compressed` bytes of a zlib stream can inflate to: deflate's densest
// code turns one bit into 258 bytes (about 1032:1), plus room for headers and tiny streams.
constexpr uint64_t max_inflated_size(uint64_t compressed) { return compressed * 1032 + 1024; }

// Inflates the zlib (RFC 1950) stream at the start of `in` (`in` may run on past the
// stream's end: pack entries do not state their compressed length, only where the
// next one starts) into `out`, which becomes exactly `expected` bytes. True when the
// stream is whole, its checksum matches and it holds exactly `expected` bytes. Else
// false with `error` saying what is wrong and `out` holding the bytes that decoded
// before the damage (never more than `expected`). Thread-safe.
bool inflate_sized(std::string_view in, uint64_t expected, std::string& out, std::string& error);

// Inflates a whole zlib stream (RFC 1950) of unstated size (at most `limit` bytes) into
// `out`. True when it is whole and its checksum matches; else false with `error` and
// `out` holding what decoded before the damage (or the first `limit` bytes): a
// truncated or damaged stream still gives up the text before the damage. (Streams of
// any size, gzip and the other formats: compress/stream_decoder.hpp.)
bool inflate_stream(std::string_view in, uint64_t limit, std::string& out, std::string& error);

// Which library inflate_sized uses: "libdeflate", "isa-l" or "zlib". The environment
// variable SFMC_INFLATE (one of those names) picks another, for benchmarks.
const char* inflate_library();

}  // namespace sfmc::compress
