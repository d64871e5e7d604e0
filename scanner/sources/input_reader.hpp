#pragma once
// Streams one input's bytes through a StreamMatcher, a chunk at a time, in constant memory.
#include <cstdint>
#include <optional>

#include "core/finding.hpp"
#include "match/stream_matcher.hpp"
#include "sources/input.hpp"

namespace sfmc {

// Reads `item` (a file or standard input) to its end through `matcher`, then finishes
// the stream. `max_size` > 0 skips larger files without reading them.
ReadOutcome read_input(const InputItem& item, StreamMatcher& matcher, const StreamMatcher::Sink& sink,
                       uint64_t max_size);

// Feeds bytes already in memory through `matcher` (and finishes the stream).
void match_buffer(std::string_view data, StreamMatcher& matcher, const StreamMatcher::Sink& sink);

// The reader for files and standard input.
class FileReader final : public InputReader {
 public:
  ReadOutcome read(const InputItem& item, StreamMatcher& matcher, const StreamMatcher::Sink& sink,
                   uint64_t max_size) override {
    return read_input(item, matcher, sink, max_size);
  }
};

}  // namespace sfmc
