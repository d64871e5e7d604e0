// The whole decoding layer under the matcher, from the first byte: sniffing, archives
// and compressed streams (libarchive), UTF-16, binary content, and whatever decoders
// decode/ gains later (they are reached through scan_content, so this covers them).
#include <vector>

#include "decode/byte_source.hpp"
#include "decode/content.hpp"
#include "engine/blob_scanner.hpp"
#include "fuzz_support.hpp"

using namespace sfmc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static BlobScanner scanner(fuzz::engine(), 4096);  // small chunks: more boundaries crossed
  DecodeOptions options;
  options.limits.max_expanded = 64u << 20;  // the harness's own budget: 256 MB in all
  options.limits.max_members = 10000;
  std::vector<InputResult> results;
  auto ctx = scanner.context(0, options, {}, results);
  MemorySource source(std::string_view(reinterpret_cast<const char*>(data), size));
  ContentInfo info;
  info.chain = {"fuzz.bin"};
  scan_content(source, std::move(info), options, *ctx);
  return 0;
}
