#include "engine/scan_engine.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>

#include <algorithm>

#include "engine/blob_scanner.hpp"
#include "findings/finding_builder.hpp"
#include "match/stream_matcher.hpp"
#include "sources/bucket/s3_location.hpp"
#include "sources/file_walker.hpp"
#include "sources/prefetch_source.hpp"
#include "sources/input_reader.hpp"
#include "sources/roots_source.hpp"

namespace sfmc {

bool walked_before_or_at(std::size_t root, const std::string& relative, const ResumePoint& point, bool key_order) {
  if (root != point.root) return root < point.root;
  if (key_order) return relative <= point.relative;
  std::string_view a = relative, b = point.relative;
  while (true) {
    std::size_t ea = a.find('/'), eb = b.find('/');
    std::string_view ca = a.substr(0, ea), cb = b.substr(0, eb);
    if (ca != cb) return ca < cb;
    if (ea == std::string_view::npos || eb == std::string_view::npos) return ea == std::string_view::npos;
    a.remove_prefix(ea + 1);
    b.remove_prefix(eb + 1);
  }
}

uint64_t ScanStats::findings() const {
  uint64_t n = 0;
  for (const auto& [v, c] : findings_by_verdict) n += c;
  return n;
}

void ScanStats::remove_findings(Verdict verdict, uint64_t n) {
  auto it = findings_by_verdict.find(verdict);
  if (it == findings_by_verdict.end()) return;
  it->second = it->second > n ? it->second - n : 0;
  if (it->second == 0) findings_by_verdict.erase(it);
}

uint64_t ScanStats::skipped() const {
  uint64_t n = 0;
  for (const auto& [r, c] : skipped_by_reason) n += c;
  return n;
}

ScanEngine::ScanEngine(RuleSet rules, ChecksumPolicy policy, const DatabaseCacheOptions& cache, FindingLimits limits)
    : rules_(std::move(rules)), limits_(limits) {
  db_ = MatchDatabase::build(rules_, cache);
  const auto is_context = [](const Rule& r) { return r.kind == RuleKind::context; };
  if (std::any_of(rules_.rules.begin(), rules_.rules.end(), is_context) &&
      !std::all_of(rules_.rules.begin(), rules_.rules.end(), is_context)) {
    findings_db_ = MatchDatabase::build(rules_, cache, MatchDatabase::Subset::findings);
    context_db_ = MatchDatabase::build(rules_, cache, MatchDatabase::Subset::context);
  }
  validator_ = std::make_unique<Validator>(rules_, *db_, policy);
}

namespace {

// Marks the bucket objects an earlier sweep read in this version (--state) as unchanged,
// before any I/O thread fetches them.
class UnchangedObjects final : public InputSource {
 public:
  UnchangedObjects(std::unique_ptr<InputSource> inner, const std::function<std::optional<bool>(const InputItem&)>& unchanged)
      : inner_(std::move(inner)), unchanged_(unchanged) {}
  std::optional<InputItem> next() override {
    std::optional<InputItem> item = inner_->next();
    if (item && item->kind == InputItem::Kind::bucket_object)
      if (std::optional<bool> findings = unchanged_(*item)) {
        item->kind = InputItem::Kind::unchanged;
        item->had_findings = *findings;
      }
    return item;
  }
  std::unique_ptr<InputReader> make_reader() const override { return inner_->make_reader(); }

 private:
  std::unique_ptr<InputSource> inner_;
  const std::function<std::optional<bool>(const InputItem&)>& unchanged_;
};

// What each worker thread owns: its matching state and its reader.
struct Worker {
  Worker(const ScanEngine& engine, std::size_t chunk, std::unique_ptr<InputReader> r)
      : scanner(engine, chunk), reader(std::move(r)) {}
  BlobScanner scanner;
  std::unique_ptr<InputReader> reader;
};

}  // namespace

ScanEngine::BufferScan ScanEngine::scan_buffer(std::string_view data, const std::string& path,
                                               std::size_t chunk_size) const {
  BlobScanner scanner(*this, chunk_size);
  return scanner.scan(data, path);
}

ScanStats ScanEngine::scan(const ScanOptions& options, ResultSink& sink) const {
  std::atomic<unsigned>* in_flight = options.progress ? &options.progress->requests_in_flight : nullptr;
  WalkOptions walk_options = options.walk;
  if (walk_options.listing_threads == 0) walk_options.listing_threads = options.io_threads;
  if (walk_options.listing_threads > 0) {
    walk_options.requests_in_flight = in_flight;
    if (walk_options.listing_deadline.count() == 0) walk_options.listing_deadline = options.io_timeout;
  }
  auto walk = [&options, &walk_options]() -> std::unique_ptr<InputSource> {
    if (std::none_of(options.paths.begin(), options.paths.end(), [](const std::string& p) { return is_bucket_url(p); }))
      return std::make_unique<FileWalker>(options.paths, walk_options);
    return open_roots(options.paths, walk_options, {options.endpoint_url, options.io_timeout});
  };
  std::unique_ptr<InputSource> source;
  const ShardedSource* sharded = nullptr;
  if (options.shard) {
    auto s = std::make_unique<ShardedSource>(walk, *options.shard, options.walk.follow_symlinks);
    sharded = s.get();
    source = std::move(s);
  } else {
    source = walk();
  }
  if (options.unchanged) source = std::make_unique<UnchangedObjects>(std::move(source), options.unchanged);
  if (options.io_threads > 0) {
    source = std::make_unique<PrefetchSource>(std::move(source), options.io_threads, in_flight, options.io_timeout);
    if (options.progress) options.progress->requests_planned = 2 * options.io_threads;  // listings and opens
  }
  ScanStats stats = scan(*source, options, sink);
  if (sharded) stats.shard_plan = sharded->plan();
  return stats;
}

ScanStats ScanEngine::scan(InputSource& walker, const ScanOptions& options, ResultSink& sink) const {
  auto started = std::chrono::steady_clock::now();
  unsigned threads = options.threads ? options.threads : static_cast<unsigned>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);

  tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers;
  ScanStats stats;

  // Inputs travel in batches: one pipeline token per small file made the pipeline's
  // own hand-offs a visible share of a sweep of many small files.
  using Batch = std::vector<InputItem>;
  // The results of one batch, and the batch's last input (the checkpoint after it).
  struct Results : std::vector<InputResult> {
    std::optional<ResumePoint> last;
    // --state: each bucket object's outcome, told once the results before index `first`
    // (its own among them) were delivered.
    std::vector<std::pair<std::size_t, ObjectDone>> objects;
    uint64_t unchanged = 0;  // inputs not read: Kind::unchanged
  };
  constexpr std::size_t kBatch = 16;

  auto enumerate = [&](tbb::flow_control& fc) -> Batch* {
    auto batch = std::make_unique<Batch>();
    batch->reserve(kBatch);
    while (batch->size() < kBatch) {
      std::optional<InputItem> item = walker.next();
      if (!item) break;
      if (options.resume_after && walked_before_or_at(item->root, item->relative, *options.resume_after,
                                                      item->kind == InputItem::Kind::bucket_object))
        continue;
      batch->push_back(std::move(*item));
    }
    if (batch->empty()) {
      fc.stop();
      return nullptr;
    }
    return batch.release();
  };

  // One input can give several results: an archive gives one per member.
  auto scan_one = [&](InputItem& item, Results& out) {
    if (item.kind == InputItem::Kind::unchanged) return;  // nothing to say: ScanStats::unchanged counts it
    if (item.kind == InputItem::Kind::skipped) {
      InputResult result;
      result.path = item.path;
      result.object_id = item.object_id;
      result.skipped = std::move(item.skip);
      out.push_back(std::move(result));
      return;
    }
    std::unique_ptr<Worker>& w = workers.local();
    if (!w) w = std::make_unique<Worker>(*this, options.chunk_size, walker.make_reader());
    std::unique_ptr<InputContext> ctx = w->scanner.context(options.max_file_size, options.decode, item.object_id, out);
    w->reader->read(item, *ctx);
  };

  auto scan_batch = [&](Batch* batch) -> Results* {
    std::unique_ptr<Batch> owned(batch);
    auto results = std::make_unique<Results>();
    for (InputItem& item : *batch) {
      const std::size_t first = results->size();
      scan_one(item, *results);
      if (item.kind == InputItem::Kind::unchanged) ++results->unchanged;
      if (!options.object_done || (item.kind != InputItem::Kind::bucket_object && item.kind != InputItem::Kind::unchanged))
        continue;
      ObjectDone done;
      done.root = item.root;
      done.store = item.store;
      done.key = item.name;
      done.etag = item.etag;
      done.unchanged = item.kind == InputItem::Kind::unchanged;
      done.findings = item.had_findings;
      done.complete = !done.unchanged;
      for (std::size_t i = first; i < results->size(); ++i) {
        const InputResult& r = (*results)[i];
        // A damaged archive's bytes were matched as they are: nothing of it was left unread.
        if (r.skipped && r.skipped->reason != SkipReason::corrupt_archive) done.complete = false;
        if (!r.findings.empty()) done.findings = true;
      }
      results->objects.emplace_back(results->size(), std::move(done));
    }
    results->last = ResumePoint{batch->back().root, batch->back().relative};
    return results.release();
  };

  auto collect = [&](Results* rs) {
    std::unique_ptr<Results> owned(rs);
    std::size_t delivered = 0, told = 0;
    auto tell_objects = [&] {
      for (; told < rs->objects.size() && rs->objects[told].first <= delivered; ++told)
        options.object_done(rs->objects[told].second);
    };
    stats.unchanged += rs->unchanged;
    tell_objects();
    for (InputResult& r : *rs) {
      if (r.scanned) {
        stats.inputs_scanned += 1 + r.folded;
        stats.bytes_scanned += r.bytes;
      }
      for (const Finding& f : r.findings) ++stats.findings_by_verdict[f.verdict];
      if (r.skipped) ++stats.skipped_by_reason[r.skipped->reason];
      stats.decoded_not_archives += r.decoded_not_archives;
      if (options.progress) {
        options.progress->inputs += r.scanned ? 1 + r.folded : 0;
        options.progress->bytes += r.bytes;
        options.progress->findings += r.findings.size();
      }
      sink.on_input(std::move(r));
      ++delivered;
      tell_objects();
    }
    if (options.progress && !rs->empty()) {
      std::lock_guard<std::mutex> lock(options.progress->mutex);
      options.progress->current = rs->back().path;
    }
    if (options.checkpoint && rs->last) options.checkpoint(*rs->last);
  };

  // Enough batches in flight to keep every thread busy while one large file is read:
  // results leave in walk order, so while one thread spends 0.1 s on a 100 MB binary
  // the others go on only as far as the batches in flight let them (with 4 per thread
  // they waited within milliseconds; with 64, after 0.1 s of /usr/bin's binaries). A
  // batch in flight holds its inputs' names and results, not their contents: 1024 per
  // thread is a few MB for clean files.
  tbb::parallel_pipeline(
      static_cast<std::size_t>(threads) * 1024,
      tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order, enumerate) &
          tbb::make_filter<Batch*, Results*>(tbb::filter_mode::parallel, scan_batch) &
          tbb::make_filter<Results*, void>(tbb::filter_mode::serial_in_order, collect));

  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace sfmc
