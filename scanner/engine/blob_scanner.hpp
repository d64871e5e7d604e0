#pragma once
// Matches content already in memory (a git blob decoded from a pack). Each thread
// owns one: its own Hyperscan scratch and matcher buffer, the engine's shared rules.
#include <string>
#include <string_view>
#include <vector>

#include "engine/scan_engine.hpp"
#include "match/stream_matcher.hpp"

namespace sfmc {

class BlobScanner {
 public:
  explicit BlobScanner(const ScanEngine& engine, std::size_t chunk_size = StreamMatcher::kDefaultChunk);
  ScanEngine::BufferScan scan(std::string_view data, const std::string& path);

 private:
  const ScanEngine& engine_;
  MatchScratch scratch_;
  StreamMatcher matcher_;
};

}  // namespace sfmc
