#pragma once
// The scan pipeline: enumerate -> read+match+validate (parallel) -> collect (in order).
// Sources, matching, validation and reporting meet only here.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "match/database.hpp"
#include "rules/rule.hpp"
#include "engine/shard.hpp"
#include "sources/file_walker.hpp"
#include "sources/input.hpp"
#include "sources/network_stores.hpp"
#include "findings/finding_builder.hpp"
#include "validate/validator.hpp"

namespace sfmc {

// Live counters for a progress display, updated as results are collected.
struct ScanProgress {
  std::atomic<uint64_t> inputs{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> findings{0};
  std::atomic<uint64_t> total_inputs{0};  // 0: not known (yet)
  std::atomic<unsigned> requests_in_flight{0};  // listings and opens ahead of the scan (--io-threads)
  unsigned requests_planned = 0;                // the most there may be: 0 when none run ahead
  // A history sweep (sfmc-scan git): the phase under way and, where it can be told, how
  // far it is (pack data decoded of the phase's total, in bytes; 0 total: not told).
  std::atomic<uint64_t> work_done{0}, work_total{0};
  // A fleet: its repositories, done and all (0: not a fleet).
  std::atomic<uint64_t> repositories_done{0}, repositories_total{0};
  std::mutex mutex;
  std::string current;  // the last input completed (guarded by mutex)
  std::string repository;  // a fleet's repository last started (guarded by mutex)
  std::string phase;    // a history sweep's phase, "" otherwise (guarded by mutex)

  // Starts a phase of a history sweep, with its total if known.
  void enter_phase(std::string name, uint64_t total = 0) {
    std::lock_guard<std::mutex> lock(mutex);
    phase = std::move(name);
    work_done = 0;
    work_total = total;
  }
};

// Where an interrupted sweep stopped: the last input whose results were all reported.
// Inputs up to it in walk order (root, then path components) are skipped on resume.
struct ResumePoint {
  std::size_t root = 0;
  std::string relative;
};

// Walk order: by root, then component by component (folders are walked in name order);
// within a bucket (`key_order`), the store's: keys in byte order.
bool walked_before_or_at(std::size_t root, const std::string& relative, const ResumePoint& point,
                         bool key_order = false);

// What became of one bucket object, for a sweep that keeps state (--state): told in
// walk order, once its results were delivered.
struct ObjectDone {
  std::size_t root = 0;
  std::shared_ptr<const ObjectStore> store;
  std::string key;
  std::string etag;       // the version listed (and read, if it was)
  bool unchanged = false;  // not read: the state said an earlier sweep read this version
  bool complete = false;   // read in full: no part of it left unread, cut or undecoded
  bool findings = false;   // it gave findings (reported before or not)
};

struct ScanOptions {
  DecodeOptions decode;            // archives, binary content
  std::vector<std::string> paths;  // files, folders, "-" for standard input, s3://BUCKET[/PREFIX]
  std::string endpoint_url;        // --endpoint-url: an S3-compatible store's (else the AWS settings')
  unsigned threads = 0;            // 0: every core
  uint64_t max_file_size = 0;      // 0: no limit
  WalkOptions walk;                // how folders are walked (symlinks, excludes, depth, ...)
  std::size_t chunk_size = 1 << 20;
  // > 0: that many threads list folders and open files ahead of the scan (plan_io
  // chooses for the CLI: many on a network store, none on a local disk).
  unsigned io_threads = 0;
  // With io_threads: how long the scan waits for the store to open a file and send its
  // start before it reports the file (io-timeout) and goes on. 0: for ever.
  std::chrono::milliseconds io_timeout{60000};
  ScanProgress* progress = nullptr;  // optional
  std::optional<ResumePoint> resume_after;  // skip inputs up to here (--resume)
  // Called after the results of a run of inputs were delivered, with the last of them.
  std::function<void(const ResumePoint&)> checkpoint;
  std::optional<ShardSpec> shard;  // --shard K/N: only this shard's run of the walk
  // --state: asked in walk order, before a bucket object is fetched, whether an earlier
  // sweep read this version of it in full: if so (with whether that read gave findings),
  // it is not read again (counted in ScanStats::unchanged). `object_done` hears what
  // became of every object.
  std::function<std::optional<bool>(const InputItem&)> unchanged;
  std::function<void(const ObjectDone&)> object_done;
};

// Everything one input produced, delivered in enumeration order.
struct InputResult {
  std::string path;                           // display path: members as "outer.zip!inner/x"
  std::vector<std::string> chain;             // the input's path, then member paths (SARIF parentIndex)
  std::array<unsigned char, 20> object_id{};  // git blobs: the blob's id
  bool scanned = false;
  // Clean inputs inside this one (archive members, decoded layers: no finding, no
  // problem) counted into it rather than delivered one by one: a binary holds tens of
  // thousands of base64-like runs. Each counts as a scanned input; `bytes` includes theirs.
  uint64_t folded = 0;
  uint64_t bytes = 0;
  std::vector<Finding> findings;
  std::optional<Skipped> skipped;
  uint64_t decoded_not_archives = 0;  // decoded layers in it that only looked like archives
};

struct ScanStats {
  uint64_t inputs_scanned = 0;
  uint64_t bytes_scanned = 0;
  std::map<Verdict, uint64_t> findings_by_verdict;
  std::map<SkipReason, uint64_t> skipped_by_reason;
  uint64_t suppressed = 0;  // accepted findings (allow comments, baseline), not in findings_by_verdict
  uint64_t decoded_not_archives = 0;  // base64 runs that decoded to what looked like an archive and was not
  uint64_t unchanged = 0;       // objects not read: an earlier sweep read this version (--state)
  uint64_t reported_before = 0; // findings not reported again: an earlier sweep did (--state)
  // Allow comments the scanned range or push itself adds, not honoured (their findings
  // are reported): "path:line (rule, commit id)", listed in the summary for the reviewer.
  std::vector<std::string> new_allow_comments;
  double seconds = 0;
  std::optional<ShardPlan> shard_plan;  // --shard: what the split saw of the whole input
  std::optional<IoPlan> io;             // what was chosen for the stores read (--stats)

  uint64_t findings() const;
  uint64_t skipped() const;
  // Takes `n` findings of `verdict` off the count: those not reported as needing action
  // (accepted ones, ones reported by an earlier sweep).
  void remove_findings(Verdict verdict, uint64_t n);
};

// Receives results one input at a time, in enumeration order, never concurrently.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void on_input(InputResult&& result) = 0;
};

// Keeps only the results that matter after a scan: those with findings or problems.
class NotableResults final : public ResultSink {
 public:
  explicit NotableResults(std::vector<InputResult>& into) : into_(into) {}
  void on_input(InputResult&& r) override {
    if (!r.findings.empty() || r.skipped) into_.push_back(std::move(r));
  }

 private:
  std::vector<InputResult>& into_;
};

// Rules, their compiled database and the validator: built once, shared by every worker.
class ScanEngine {
 public:
  ScanEngine(RuleSet rules, ChecksumPolicy policy, const DatabaseCacheOptions& cache, FindingLimits limits = {});

  const RuleSet& rules() const { return rules_; }
  const MatchDatabase& database() const { return *db_; }
  // When the rules hold both kinds: the rules that make findings alone, and the context
  // rules alone (nullptr otherwise). An input that can be read twice is matched with
  // the first, and read again with the second only if it holds a finding: context
  // rules only annotate findings, and they cost as much as the rest (issue 10).
  const MatchDatabase* findings_database() const { return findings_db_.get(); }
  const MatchDatabase* context_database() const { return context_db_.get(); }
  const Validator& validator() const { return *validator_; }
  const FindingLimits& finding_limits() const { return limits_; }

  // Scans the files and folders in options.paths.
  ScanStats scan(const ScanOptions& options, ResultSink& sink) const;
  // Scans whatever `source` enumerates (options.paths and options.walk unused).
  ScanStats scan(InputSource& source, const ScanOptions& options, ResultSink& sink) const;

  // Scans bytes already in memory, fed to the matcher `chunk_size` bytes at a time
  // (rules check, tests of chunk boundaries).
  struct BufferScan {
    std::vector<Finding> findings;
    std::vector<ContextHit> context;  // identifiers matched by context rules
    std::string truncated;            // why findings stopped short (the limits per input); "" when none did
  };
  BufferScan scan_buffer(std::string_view data, const std::string& path, std::size_t chunk_size = 1 << 20) const;

 private:
  RuleSet rules_;
  std::shared_ptr<const MatchDatabase> db_, findings_db_, context_db_;
  std::unique_ptr<Validator> validator_;
  FindingLimits limits_;
};

}  // namespace sfmc
