#pragma once
// Reading files and standard input into content streams.
#include <string_view>

#include "match/stream_matcher.hpp"
#include "sources/input.hpp"

namespace sfmc {

// Feeds bytes already in memory through `matcher` as one stream (and finishes it).
void match_buffer(std::string_view data, StreamMatcher& matcher, const StreamMatcher::Sink& sink);

// The reader for files and standard input: opens the file (relative to its folder's
// descriptor when the walker kept one) and hands it to the decoding layer.
class FileReader final : public InputReader {
 public:
  void read(const InputItem& item, InputContext& ctx) override;
};

}  // namespace sfmc
