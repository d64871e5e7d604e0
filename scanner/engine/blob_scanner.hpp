#pragma once
// One worker's matching state: its own Hyperscan scratch and matcher buffer, the
// engine's shared rules. It runs inputs through the decoding layer (archives, UTF-16)
// and turns each content stream into a result.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scan_engine.hpp"
#include "match/stream_matcher.hpp"
#include "sources/input.hpp"

namespace sfmc {

class BlobScanner {
 public:
  explicit BlobScanner(const ScanEngine& engine, std::size_t chunk_size = StreamMatcher::kDefaultChunk);
  // One plain stream, no decoding: rule examples and tests of the matcher.
  ScanEngine::BufferScan scan(std::string_view data, const std::string& path);

  // A context whose content streams become results in `out` (each tagged with `object_id`).
  std::unique_ptr<InputContext> context(uint64_t max_size, const DecodeOptions& decode,
                                        const std::array<unsigned char, 20>& object_id, std::vector<InputResult>& out);

 private:
  friend class ScannerContext;
  const ScanEngine& engine_;
  MatchScratch scratch_;
  StreamMatcher matcher_;
  std::optional<StreamMatcher> context_matcher_;  // the context pass's, made on first use
  StreamMatcher& context_matcher();
};

}  // namespace sfmc
