#pragma once
// Streams one input's bytes through a StreamMatcher, a chunk at a time, in constant memory.
#include <cstdint>
#include <optional>

#include "core/finding.hpp"
#include "match/stream_matcher.hpp"
#include "sources/input.hpp"

namespace sfmc {

struct ReadOutcome {
  uint64_t bytes = 0;            // bytes scanned
  bool scanned = false;          // false: nothing was read (skipped before the first byte)
  std::optional<Skipped> problem;  // why it was skipped, or why reading stopped early
};

// Reads `item` (a file or standard input) to its end through `matcher`, then finishes
// the stream. `max_size` > 0 skips larger files without reading them.
ReadOutcome read_input(const InputItem& item, StreamMatcher& matcher, const StreamMatcher::Sink& sink,
                       uint64_t max_size);

}  // namespace sfmc
