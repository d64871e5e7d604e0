#pragma once
// Small .gz files inflated in one call with libdeflate instead of streaming through
// libarchive's zlib: most gzip files in a tree are small, and there libdeflate
// inflates about twice as fast (bench/RESULTS.md, "Faster gzip"). The gzip trailer
// states the inflated size (ISIZE), so the output is allocated once; a file whose
// trailer lies or holds several members is left to the streaming path.
#include <cstdint>
#include <string>
#include <string_view>

namespace sfmc {

enum class GunzipWhole {
  inflated,  // `out` holds the one member, exactly the stated size
  stream,    // not one member of the stated size (several members, a lying trailer, too large): stream it
  damaged,   // the compressed data is damaged or cut short: `out` unspecified
};

// Inflates the whole single-member gzip file `gz` into `out`, if its stated size is at
// most `max_out`.
GunzipWhole gunzip_whole(std::string_view gz, uint64_t max_out, std::string& out);

}  // namespace sfmc
