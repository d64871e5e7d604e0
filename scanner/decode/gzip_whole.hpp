#pragma once
// Small .gz files inflated in one call with libdeflate instead of streaming through
// libarchive's zlib: most gzip files in a tree are small, and there libdeflate
// inflates about twice as fast (bench/RESULTS.md, "Faster gzip"). The gzip trailer
// states the inflated size (ISIZE), so the output is allocated once; a file whose
// trailer lies, holds several members or is damaged is left to the streaming path.
#include <cstdint>
#include <string>
#include <string_view>

namespace sfmc {

// Inflates the whole single-member gzip file `gz` into `out`, if its stated size is at
// most `max_out`. False (and `out` unspecified) when the caller should stream it instead.
bool gunzip_whole(std::string_view gz, uint64_t max_out, std::string& out);

}  // namespace sfmc
