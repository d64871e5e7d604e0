#include "match/stream_matcher.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace sfmc {

StreamMatcher::StreamMatcher(const MatchDatabase& db, const MatchScratch& scratch, std::size_t chunk_size)
    : db_(&db), scratch_(scratch), chunk_size_(std::max<std::size_t>(chunk_size, 64)) {
  history_ = db.max_width() + 2 * kContextBytes;
  buf_.resize(history_ + chunk_size_);
  if (hs_open_stream(db_->raw(), 0, &stream_) != HS_SUCCESS)
    throw std::runtime_error("Hyperscan: cannot open a stream");
}

void StreamMatcher::use(const MatchDatabase& db) {
  if (&db == db_) return;
  hs_stream_t* fresh = nullptr;
  if (hs_open_stream(db.raw(), 0, &fresh) != HS_SUCCESS) throw std::runtime_error("Hyperscan: cannot open a stream");
  if (stream_) hs_close_stream(stream_, scratch_.raw(), nullptr, nullptr);
  stream_ = fresh;
  db_ = &db;
}

StreamMatcher::~StreamMatcher() {
  if (stream_) hs_close_stream(stream_, scratch_.raw(), nullptr, nullptr);
}

int StreamMatcher::on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  auto* self = static_cast<StreamMatcher*>(ctx);
  const RuleGeometry& g = self->db_->geometry(id);
  (void)from;  // always 0 without start-of-match tracking
  uint64_t start = to >= g.max_width ? to - g.max_width : 0;
  self->pending_.push_back(Candidate{id, start, to});
  return 0;
}

std::span<char> StreamMatcher::write_area() {
  // Rotating costs a line count over the dropped bytes, so only when space is short:
  // a file smaller than half a chunk is matched without ever counting its lines.
  if (buf_.size() - len_ < chunk_size_ / 2) rotate();
  return {buf_.data() + len_, buf_.size() - len_};
}

// Keeps the last history_ bytes at the front of the buffer. Bytes that leave the
// buffer are counted into base_pos_ exactly once, so a stream with no matches pays
// for line counting only on chunks it has finished with.
void StreamMatcher::rotate() {
  std::size_t keep = std::min(len_, history_);
  std::size_t drop = len_ - keep;
  if (drop == 0) return;
  uint64_t new_base = base_ + drop;
  TextPosition from = (cursor_.offset >= base_ && cursor_.offset <= new_base) ? cursor_ : base_pos_;
  advance(from, buf_.data() + (from.offset - base_), new_base - from.offset);
  base_pos_ = from;
  if (cursor_.offset < new_base) cursor_ = base_pos_;
  std::memmove(buf_.data(), buf_.data() + drop, keep);
  base_ = new_base;
  len_ = keep;
}

void StreamMatcher::commit(std::size_t n, const Sink& sink) {
  if (n == 0) return;
  const char* data = buf_.data() + len_;
  len_ += n;
  hs_error_t rc = hs_scan_stream(stream_, data, static_cast<unsigned>(n), 0, scratch_.raw(), on_match, this);
  if (rc != HS_SUCCESS) throw std::runtime_error("Hyperscan: stream scan failed (" + std::to_string(rc) + ")");
  emit_ready(false, sink);
}

void StreamMatcher::finish(const Sink& sink) {
  // Reset rather than close and reopen: same end-of-data matches, no allocation per stream.
  hs_reset_stream(stream_, 0, scratch_.raw(), on_match, this);
  emit_ready(true, sink);
  pending_.clear();
  pending_head_ = 0;
  len_ = 0;
  base_ = 0;
  base_pos_ = TextPosition{};
  cursor_ = TextPosition{};
}

void StreamMatcher::emit_ready(bool at_end, const Sink& sink) {
  const uint64_t data_end = base_ + len_;
  // Hyperscan reports in order of end offset, so the ready ones are a prefix.
  while (pending_head_ < pending_.size()) {
    const Candidate& c = pending_[pending_head_];
    if (!at_end && c.end + kContextBytes > data_end) break;
    emit(c, sink);
    ++pending_head_;
  }
  // A rule that matches at every byte always leaves a candidate in the last context
  // bytes, so the queue may never empty: drop the emitted prefix once it is half of it,
  // or it would grow with the stream.
  if (pending_head_ == pending_.size()) {
    pending_.clear();
    pending_head_ = 0;
  } else if (pending_head_ > 1024 && pending_head_ * 2 > pending_.size()) {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(pending_head_));
    pending_head_ = 0;
  }
}

TextPosition StreamMatcher::position_at(uint64_t offset) {
  if (cursor_.offset < base_ || cursor_.offset > offset) cursor_ = base_pos_;
  advance(cursor_, buf_.data() + (cursor_.offset - base_), offset - cursor_.offset);
  return cursor_;
}

void StreamMatcher::emit(const Candidate& c, const Sink& sink) {
  const uint64_t data_end = base_ + len_;
  if (c.start < base_ || c.end > data_end) return;  // cannot happen while history_ >= max_width + context
  MatchEvent ev;
  ev.rule = c.rule;
  ev.start = c.start;
  ev.end = c.end;
  const char* b = buf_.data();
  ev.bytes = std::string_view(b + (c.start - base_), c.end - c.start);
  uint64_t before_from = c.start >= kContextBytes ? std::max(base_, c.start - kContextBytes) : base_;
  ev.before = std::string_view(b + (before_from - base_), c.start - before_from);
  uint64_t after_to = std::min(data_end, c.end + kContextBytes);
  ev.after = std::string_view(b + (c.end - base_), after_to - c.end);
  ev.position = position_at(c.start);
  sink(ev);
}

}  // namespace sfmc
