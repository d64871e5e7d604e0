#pragma once
// Runs the Hyperscan database in streaming mode over a byte stream fed chunk by chunk,
// so a token that straddles two chunks is found and memory stays bounded (one chunk
// plus a short history) whatever the stream's length.
//
// Matches are handed on only once the bytes around them are known: a candidate near
// the end of a chunk waits for the next chunk (or the end of the stream), so
// validation can always see the character after it.
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "match/database.hpp"
#include "match/text_position.hpp"

namespace sfmc {

// Hyperscan reports where a match ends. For a fixed-width rule that fixes the start;
// for the others `start` is the earliest it can be (end - longest match), and
// validation finds the real start inside `bytes`.
struct MatchEvent {
  uint32_t rule = 0;                 // index into the RuleSet
  uint64_t start = 0, end = 0;       // byte offsets in the stream, [start, end)
  std::string_view bytes;            // the candidate window's bytes
  std::string_view before, after;    // up to kContextBytes either side, clipped at the stream's edges
  TextPosition position;             // of `start`
};

class StreamMatcher {
 public:
  using Sink = std::function<void(const MatchEvent&)>;
  static constexpr std::size_t kContextBytes = 96;
  static constexpr std::size_t kDefaultChunk = 1 << 20;

  StreamMatcher(const MatchDatabase& db, const MatchScratch& scratch, std::size_t chunk_size = kDefaultChunk);
  // Matches the next stream with `db` (built from the same rules, so rule ids and
  // geometry agree; `scratch` must have been allocated for it too). Between streams
  // only: bytes already written to write_area() stay where they are.
  void use(const MatchDatabase& db);
  ~StreamMatcher();
  StreamMatcher(const StreamMatcher&) = delete;
  StreamMatcher& operator=(const StreamMatcher&) = delete;

  // Where the caller writes the next bytes; at least chunk_size() / 2 long.
  std::span<char> write_area();
  // Scans the `n` bytes just written into write_area().
  void commit(std::size_t n, const Sink& sink);
  // Ends the stream: flushes every pending match and readies the matcher for the next stream.
  void finish(const Sink& sink);

  // The position of a byte still in the buffer (at least the last commit's bytes are);
  // an earlier one gives the position of the buffer's first byte.
  TextPosition position_of(uint64_t offset) { return position_at(offset < base_ ? base_ : offset); }

  std::size_t chunk_size() const { return chunk_size_; }
  uint64_t stream_bytes() const { return base_ + len_; }

 private:
  struct Candidate {
    uint32_t rule;
    uint64_t start, end;
  };
  static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void* ctx);
  void emit_ready(bool at_end, const Sink& sink);
  void emit(const Candidate& c, const Sink& sink);
  TextPosition position_at(uint64_t offset);
  void rotate();

  const MatchDatabase* db_;
  const MatchScratch& scratch_;
  hs_stream_t* stream_ = nullptr;
  std::size_t chunk_size_;
  std::size_t history_;  // bytes kept from earlier chunks: longest match plus context both sides
  std::vector<char> buf_;
  std::size_t len_ = 0;  // valid bytes in buf_
  uint64_t base_ = 0;    // stream offset of buf_[0]
  TextPosition base_pos_;  // position of buf_[0]
  TextPosition cursor_;    // a later position inside buf_, reused by ascending matches
  std::vector<Candidate> pending_;
  std::size_t pending_head_ = 0;
};

}  // namespace sfmc
