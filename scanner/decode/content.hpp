#pragma once
// The decoding layer under the matcher: from a byte source it makes content streams
// the rules can match. Archives and compressed files are opened member by member
// (libarchive, streaming, nested), UTF-16 text is decoded to UTF-8 (so lines and
// columns count decoded characters), binary data is matched as bytes.
#include <cstdint>

#include "decode/byte_source.hpp"
#include "decode/decode_options.hpp"
#include "sources/input.hpp"

namespace sfmc {

// Matches everything in `source` (an input's bytes) through `ctx`. `info.chain` names
// the input; members get longer chains.
void scan_content(ByteSource& source, ContentInfo info, const DecodeOptions& options, InputContext& ctx);

}  // namespace sfmc
