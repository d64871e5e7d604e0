#include "engine/blob_scanner.hpp"

#include "decode/byte_source.hpp"
#include "findings/finding_builder.hpp"
#include "sources/input_reader.hpp"

namespace sfmc {

BlobScanner::BlobScanner(const ScanEngine& engine, std::size_t chunk_size)
    : engine_(engine), scratch_(engine.database()), matcher_(engine.database(), scratch_, chunk_size) {
  if (engine.findings_database()) {
    scratch_.also_for(*engine.findings_database());
    scratch_.also_for(*engine.context_database());
  }
}

StreamMatcher& BlobScanner::context_matcher() {
  // Small chunks: it runs only over inputs that hold a finding.
  if (!context_matcher_) context_matcher_.emplace(*engine_.context_database(), scratch_, std::size_t{64} << 10);
  return *context_matcher_;
}

ScanEngine::BufferScan BlobScanner::scan(std::string_view data, const std::string& path) {
  matcher_.use(engine_.database());
  FindingBuilder builder(engine_.rules(), path, engine_.finding_limits());
  StreamMatcher::Sink on_match = [&](const MatchEvent& ev) { builder.offer(ev, engine_.validator()); };
  match_buffer(data, matcher_, on_match);
  ScanEngine::BufferScan out;
  out.truncated = builder.truncation_detail();
  out.context = builder.context_hits();
  out.findings = builder.take();
  return out;
}

namespace {

// A finding in text decoded in place (a base64 run) is located at the characters that
// encode it, in the container's lines and columns: that is where a user edits it.
void locate_in_container(Finding& f, const ContentInfo::InPlace& where) {
  const EncodedGeometry& g = where.geometry;
  if (where.exact && where.spans) {
    const uint64_t b = f.location.byte_offset, e = b + std::max<uint64_t>(f.location.byte_length, 1);
    uint32_t step = 1;
    const TextPosition from = where.spans->position_of(b), to = where.spans->position_of(e - 1, &step);
    f.location.line = from.line;
    f.location.column = from.column;
    f.location.end_line = to.line;
    f.location.end_column = to.column + step;
    f.location.byte_offset = from.offset;
    f.location.byte_length = to.offset + step - from.offset;
    return;
  }
  if (!where.exact) {
    f.location.line = f.location.end_line = g.at.line;
    f.location.column = g.at.column;
    f.location.end_column = g.at.column + 1;
    f.location.byte_offset = g.at.offset;
    f.location.byte_length = 1;
    return;
  }
  // Base64 carries 3 bytes in 4 characters: the token's bytes [b, e) are encoded by
  // characters [4*(b/3), 4*ceil(e/3)).
  const uint64_t b = f.location.byte_offset, e = b + f.location.byte_length;
  const uint64_t first = b / 3 * 4, last = (e + 2) / 3 * 4;
  const TextPosition from = g.position_of(first), to = g.position_of(last - 1);
  f.location.line = from.line;
  f.location.column = from.column;
  f.location.end_line = to.line;
  f.location.end_column = to.column + 1;
  f.location.byte_offset = from.offset;
  f.location.byte_length = to.offset + 1 - from.offset;
}

}  // namespace

class ScannerContext final : public InputContext {
 public:
  ScannerContext(BlobScanner& scanner, uint64_t max_size, const DecodeOptions& decode,
                 const std::array<unsigned char, 20>& object_id, std::vector<InputResult>& out)
      : scanner_(scanner), max_size_(max_size), decode_(decode), object_id_(object_id), out_(out) {
    sink_ = [this](const MatchEvent& ev) { builder_->offer(ev, scanner_.engine_.validator()); };
  }
  uint64_t max_size() const override { return max_size_; }
  const DecodeOptions& decode_options() const override { return decode_; }
  void begin(ContentInfo info) override {
    scanner_.matcher_.use(scanner_.engine_.database());
    rematch_ = nullptr;
    start(std::move(info));
  }
  void begin_rewindable(ContentInfo info, ByteSource& source) override {
    const MatchDatabase* findings = scanner_.engine_.findings_database();
    scanner_.matcher_.use(findings ? *findings : scanner_.engine_.database());
    rematch_ = findings ? &source : nullptr;
    start(std::move(info));
  }
  std::span<char> write_area() override { return scanner_.matcher_.write_area(); }
  void commit(std::size_t n) override { scanner_.matcher_.commit(n, sink_); }
  TextPosition position_at(uint64_t offset) override { return scanner_.matcher_.position_of(offset); }
  void end(uint64_t bytes, std::optional<Skipped> problem) override {
    scanner_.matcher_.finish(sink_);
    if (rematch_ && builder_->has_findings()) match_context(*rematch_);
    rematch_ = nullptr;
    InputResult r;
    r.path = std::move(path_);
    if (info_.chain.size() > 1) r.chain = std::move(info_.chain);  // info_ is done with: the next begin() replaces it
    r.object_id = object_id_;
    r.scanned = true;
    r.bytes = bytes;
    r.decoded_not_archives = not_archives_;
    not_archives_ = 0;
    r.findings = builder_->take();
    for (Finding& f : r.findings) {
      f.decoded = decoded_;
      f.encoding = info_.encoding;
      f.mtime = info_.mtime;
      f.etag = info_.etag;
      if (info_.in_place) locate_in_container(f, *info_.in_place);
    }
    // An input holds one problem: one that left bytes unread outranks the findings
    // limit, whose words are then added to it so neither goes unsaid.
    if (std::string cut = builder_->truncation_detail(); !cut.empty()) {
      if (problem)
        problem->detail += "; also " + cut;
      else
        problem = Skipped{"", SkipReason::findings_limit, cut};
    }
    if (problem) {
      problem->path = r.path;
      if (!decoded_.empty()) problem->detail = "in " + decoded_text(decoded_) + ": " + problem->detail;
      r.skipped = std::move(problem);
    }
    builder_.reset();
    // A clean nested input after a clean one of the same file is only counted: its
    // path and chain would be built and thrown away by every consumer.
    const bool clean = r.findings.empty() && !r.skipped;
    const bool nested = r.chain.size() > 1 || !decoded_.empty();
    if (clean && nested && last_clean_ && *last_clean_ + 1 == out_.size()) {
      InputResult& into = out_.back();
      ++into.folded;
      into.bytes += r.bytes;
      into.decoded_not_archives += r.decoded_not_archives;
      return;
    }
    out_.push_back(std::move(r));
    last_clean_ = clean ? std::optional<std::size_t>(out_.size() - 1) : std::nullopt;
  }
  // The context pass: the stream's bytes again, through the context rules alone, into
  // the same builder. Should the source fail to read again (a file truncated since), the
  // findings stand without their context identifiers: those only help a user pair a
  // secret with its client id, the secret itself was matched in the first pass.
  void match_context(ByteSource& source) {
    if (!source.rewind()) return;
    StreamMatcher& m = scanner_.context_matcher();
    for (;;) {
      std::span<char> area = m.write_area();
      const ssize_t n = source.read(area.data(), area.size());
      if (n <= 0) break;
      m.commit(static_cast<std::size_t>(n), sink_);
    }
    m.finish(sink_);
  }
  void decoded_not_archive() override { ++not_archives_; }
  void note(Skipped problem, std::vector<std::string> chain) override {
    InputResult r;
    ContentInfo where;
    where.chain = std::move(chain);
    r.path = where.display_path();
    if (where.chain.size() > 1) r.chain = where.chain;
    r.object_id = object_id_;
    problem.path = r.path;
    r.skipped = std::move(problem);
    out_.push_back(std::move(r));
  }

 private:
  uint64_t not_archives_ = 0;  // counted for the stream being matched, given to its result
  // The part of begin() both kinds of stream share.
  void start(ContentInfo info) {
    info_ = std::move(info);
    // Layers decoded in place are not where a finding is: its file (or member) is.
    decoded_.clear();
    if (info_.in_place) {
      const std::size_t layers = std::min(info_.in_place->layers, info_.chain.size() - 1);
      decoded_.assign(info_.chain.end() - static_cast<std::ptrdiff_t>(layers), info_.chain.end());
      info_.chain.resize(info_.chain.size() - layers);
    }
    path_ = info_.display_path();
    builder_.emplace(scanner_.engine_.rules(), path_, scanner_.engine_.finding_limits());
  }
  BlobScanner& scanner_;
  uint64_t max_size_;
  const DecodeOptions& decode_;
  std::array<unsigned char, 20> object_id_;
  std::vector<InputResult>& out_;
  ContentInfo info_;
  std::string path_;  // info_'s display path, made once per input
  std::vector<std::string> decoded_;  // the layers decoded in place, cut from info_.chain
  std::optional<std::size_t> last_clean_;  // index in out_ of the clean result this context pushed last
  std::optional<FindingBuilder> builder_;
  ByteSource* rematch_ = nullptr;  // the open stream's source when it may be read again
  StreamMatcher::Sink sink_;
};

std::unique_ptr<InputContext> BlobScanner::context(uint64_t max_size, const DecodeOptions& decode,
                                                   const std::array<unsigned char, 20>& object_id,
                                                   std::vector<InputResult>& out) {
  return std::make_unique<ScannerContext>(*this, max_size, decode, object_id, out);
}

}  // namespace sfmc
