// `sfmc-scan scan PATH...`: files, folders and standard input.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/cli_common.hpp"
#include "cli/progress.hpp"
#include "core/temp_file.hpp"
#include "report/json_read.hpp"
#include "core/sha256.hpp"
#include "report/resume_state.hpp"
#include "report/scan_state.hpp"
#include "sources/bucket/s3_location.hpp"

namespace sfmc::cli {

namespace {

struct ScanCommand {
  RuleOptions rules;
  OutputOptions out;
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  std::vector<std::string> exclude_files;
  bool follow_symlinks = false;
  int max_depth = -1;
  bool one_file_system = false;
  bool respect_gitignore = false;
  bool include_git_dir = false;
  std::size_t chunk_size = 1 << 20;
  std::string resume;  // state file
  std::string state;   // --state FILE: monitoring re-sweeps
  bool report_all = false;  // with --state: findings reported before too
  std::string config;  // --config FILE
  std::optional<unsigned> io_threads;  // unset: chosen per store (plan_io)
  std::string endpoint_url;            // s3:// inputs: an S3-compatible store's endpoint
  double io_timeout = 60;              // seconds
  std::string shard;  // --shard K/N
};

// Globs from --exclude-from files: one a line; blank lines and '#' comments skipped.
bool read_exclude_files(const std::vector<std::string>& files, std::vector<std::string>& globs) {
  for (const std::string& f : files) {
    std::ifstream in(f);
    if (!in) {
      print_error("cannot read --exclude-from " + f);
      return false;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      globs.push_back(line);
    }
  }
  return true;
}

// Records whether a path named on the command line was missing (that is bad usage), and
// counts the inputs left undecoded, for a resumed sweep's checkpoints.
struct MissingRoot final : ResultSink {
  ResultSink& next;
  bool missing = false;
  uint64_t undecoded = 0;
  explicit MissingRoot(ResultSink& n) : next(n) {}
  void on_input(InputResult&& r) override {
    if (r.skipped && r.skipped->reason == SkipReason::not_found) missing = true;
    if (r.skipped && leaves_content_unscanned(r.skipped->reason)) ++undecoded;
    next.on_input(std::move(r));
  }
};

// --state: findings an earlier sweep reported are left out (unless --report-all, which
// also reads again the objects that gave them); the rest are noted as reported.
struct ReportedBefore final : ResultSink {
  ResultSink& next;
  ScanState& state;
  bool report_all;
  std::map<Verdict, uint64_t> left_out;
  ReportedBefore(ResultSink& n, ScanState& s, bool all) : next(n), state(s), report_all(all) {}
  void on_input(InputResult&& r) override {
    if (!report_all)
      r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(),
                                      [&](const Finding& f) { return state.reported(f) && ++left_out[f.verdict]; }),
                       r.findings.end());
    for (const Finding& f : r.findings) state.add_reported(f);
    next.on_input(std::move(r));
  }
};

// What an object's scan depends on besides its bytes: a --state entry made otherwise is
// not trusted (new rules, another sfmc-scan, other decoders read everything again).
std::string scanned_with(const RuleSet& rules, const DecodeOptions& d) {
  const nlohmann::json j = {{"rules", rules.digest},
                            {"version", SFMC_VERSION},
                            {"decode", {d.archives, d.binary, d.base64, d.mail, d.pdf, d.limits.max_depth,
                                        d.limits.max_expanded, d.limits.max_ratio, d.limits.max_members}}};
  return sha256_hex(j.dump()).substr(0, 32);
}

// A path on the command line that is not there is bad usage, said before any scanning.
bool all_paths_exist(const std::vector<std::string>& paths) {
  bool all = true;
  for (const std::string& p : paths) {
    if (p == "-") continue;
    if (is_bucket_url(p)) {
      std::string error;
      if (!parse_bucket_url(p, error)) {
        print_error(p + ": " + error);
        all = false;
      }
      continue;
    }
    struct stat st{};
    if (::lstat(p.c_str(), &st) != 0 && errno == ENOENT) {
      print_error(p + ": no such file or folder");
      all = false;
    }
  }
  return all;
}

int run(ScanCommand c, CLI::App& cmd) {
  if (!all_paths_exist(c.paths)) return static_cast<int>(ExitCode::error);
  // A .sfmc-scan.toml at the root of the (first) folder scanned.
  std::error_code ec;
  std::string root = !c.paths.empty() && std::filesystem::is_directory(c.paths[0], ec) ? c.paths[0] : ".";
  std::optional<ProjectConfig> config;
  if (!use_project_config(c.config, root, cmd, c.rules, c.out, &c.excludes, config)) return static_cast<int>(ExitCode::error);
  std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
  if (!engine) return static_cast<int>(ExitCode::error);
  if (const std::string refused = c.resume.empty() ? std::string() : planted_link(c.resume); !refused.empty()) {
    print_error(refused);
    return static_cast<int>(ExitCode::error);
  }
  std::unique_ptr<ScanState> sweep_state;
  if (!c.state.empty()) {
    if (!c.resume.empty() || !c.shard.empty()) {
      print_error("--state records whole sweeps; it does not combine with --resume or --shard");
      return static_cast<int>(ExitCode::error);
    }
    try {
      sweep_state = std::make_unique<ScanState>(c.state, scanned_with(engine->rules(), c.out.decode), c.paths);
    } catch (const std::runtime_error& e) {
      print_error(e.what());
      return static_cast<int>(ExitCode::error);
    }
  } else if (c.report_all) {
    print_error("--report-all goes with --state");
    return static_cast<int>(ExitCode::error);
  }
  ResumeState state(c.resume);
  std::optional<ResumePoint> resume_point;
  bool completed = false;
  if (!c.resume.empty()) {
    try {
      state.load(c.paths, resume_point, completed);
    } catch (const std::runtime_error& e) {
      print_error(e.what());
      return static_cast<int>(ExitCode::error);
    }
  }
  if (completed) {
    std::cerr << "sfmc-scan: " << c.resume << " says this sweep is complete; delete it to sweep again\n";
    return report_undecoded(state.undecoded()) ? static_cast<int>(ExitCode::error) : static_cast<int>(ExitCode::clean);
  }
  if (!c.resume.empty() && (c.out.output.empty() || c.out.output == "-")) {
    print_error("--resume needs -o FILE: the output is part of the checkpoint");
    return static_cast<int>(ExitCode::error);
  }
  // A first resumable run starts its output empty; a resumed one cuts it back.
  if (!c.resume.empty() && ::truncate(c.out.output.c_str(), static_cast<off_t>(state.resumed() ? state.output_bytes() : 0)) != 0 &&
      errno != ENOENT) {
    print_error("cannot cut " + c.out.output + " back to its last checkpoint: " + std::strerror(errno));
    return static_cast<int>(ExitCode::error);
  }
  c.out.default_category = "sfmc-scan/scan/";
  // A resumable sweep writes its output in place (a checkpoint records its length).
  std::unique_ptr<Report> report = Report::open(c.out, engine->rules(), "", state.resumed() || !c.resume.empty());
  if (!report) return static_cast<int>(ExitCode::error);
  if (config) report->set_project_config(&*config);
  if (!c.resume.empty() && !report->streaming()) {
    print_error("--resume needs a streaming format (--format jsonl or text): a SARIF or JSON document is written only at the end");
    return static_cast<int>(ExitCode::error);
  }
  ScanOptions so;
  if (!c.shard.empty()) {
    std::string why;
    so.shard = parse_shard(c.shard, why);
    if (!so.shard) {
      print_error(why);
      return static_cast<int>(ExitCode::error);
    }
    if (!report->set_shard(*so.shard, sweep_identity(engine->rules(), ""))) return static_cast<int>(ExitCode::error);
  }
  std::optional<ReportedBefore> new_only;
  if (sweep_state) {
    new_only.emplace(*report, *sweep_state, c.report_all);
    // With --report-all an object that gave findings is read again, so that they are.
    so.unchanged = [&](const InputItem& item) {
      std::optional<bool> findings = sweep_state->unchanged(item);
      return findings && *findings && c.report_all ? std::nullopt : findings;
    };
    so.object_done = [&](const ObjectDone& object) { sweep_state->done(object); };
  }
  MissingRoot sink(new_only ? static_cast<ResultSink&>(*new_only) : *report);
  so.resume_after = resume_point;
  auto last_save = std::chrono::steady_clock::now();
  // Tests set SFMC_CHECKPOINT_MS=0 to checkpoint after every batch of inputs.
  const char* interval_env = std::getenv("SFMC_CHECKPOINT_MS");
  const auto interval = std::chrono::milliseconds(interval_env ? std::atol(interval_env) : 1000);
  std::optional<ResumePoint> reached = resume_point;
  // Fault injection for the tests: die like a SIGKILL at the worst moment, output
  // written but its checkpoint not.
  const char* kill_env = std::getenv("SFMC_TEST_KILL_AT_CHECKPOINT");
  long kill_at = kill_env ? std::atol(kill_env) : -1, checkpoints = 0;
  if (!c.resume.empty()) {
    so.checkpoint = [&](const ResumePoint& p) {
      reached = p;
      auto now = std::chrono::steady_clock::now();
      if (now - last_save < interval) return;
      last_save = now;
      report->flush();
      if (++checkpoints == kill_at) ::raise(SIGKILL);
      state.save(c.paths, reached, false, report->position(), state.undecoded() + sink.undecoded);
    };
  }
  so.walk.excludes = c.excludes;
  if (!read_exclude_files(c.exclude_files, so.walk.excludes)) return static_cast<int>(ExitCode::error);
  so.paths = c.paths;
  so.endpoint_url = c.endpoint_url;
  so.threads = c.out.threads;
  so.max_file_size = c.out.max_file_size;
  so.walk.follow_symlinks = c.follow_symlinks;
  so.walk.max_depth = c.max_depth;
  so.walk.one_file_system = c.one_file_system;
  so.walk.respect_gitignore = c.respect_gitignore;
  so.walk.git_internals = c.include_git_dir;
  so.chunk_size = c.chunk_size;
  const IoPlan io = plan_io(so.paths, so.walk.one_file_system, c.io_threads);
  so.io_threads = io.requests_in_flight;
  so.io_timeout = std::chrono::milliseconds(static_cast<long long>(c.io_timeout * 1000));
  if (io.chosen && !io.network_stores.empty() && c.out.verbose && !c.out.quiet) {
    std::string where;
    for (const MountEntry& m : io.network_stores) where += (where.empty() ? "" : ", ") + m.mount_point + " (" + m.type + ")";
    std::cerr << "sfmc-scan: reading from a network or FUSE store: " << where << ": " << io.requests_in_flight
              << " listings and opens in flight (--io-threads N to change)\n";
  }
  so.decode = c.out.decode;
  ScanProgress progress;
  so.progress = &progress;
  ScanStats stats;
  {
    // The total for the progress line: the same walk, names only, beside the scan.
    auto count = [&so](ScanProgress& p, const std::atomic<bool>& stop) {
      FileWalker walker(so.paths, so.walk);
      uint64_t n = 0;
      while (!stop.load()) {
        std::optional<InputItem> item = walker.next();
        if (!item) {
          p.total_inputs = n;
          return;
        }
        if (item->kind != InputItem::Kind::skipped) ++n;
      }
    };
    // On a network store the count would list every folder twice, and each listing is
    // a request: there the line goes without a total.
    // Nor on a bucket, whose listing is requests too.
    const bool stores = !io.network_stores.empty() || std::any_of(so.paths.begin(), so.paths.end(), [](const std::string& p) {
      return is_bucket_url(p);
    });
    ProgressLine line(progress, !c.out.no_progress && !c.out.quiet && ::isatty(STDERR_FILENO),
                      stores ? ProgressLine::Counter() : ProgressLine::Counter(count));
    stats = engine->scan(so, sink);
  }
  stats.io = io;
  if (new_only)
    for (const auto& [verdict, n] : new_only->left_out) {
      stats.reported_before += n;
      stats.remove_findings(verdict, n);
    }
  int status = report->finish(stats, sink.missing);
  // Only once the report is written do its findings count as reported.
  if (sweep_state && report->written() && !sweep_state->save()) {
    print_error("cannot write the state " + sweep_state->path() + ": " + std::strerror(errno) + " (the previous state is kept)");
    status = static_cast<int>(ExitCode::error);
  }
  auto git_dirs = stats.skipped_by_reason.find(SkipReason::git_internals);
  if (git_dirs != stats.skipped_by_reason.end() && !c.out.quiet)
    std::cerr << "sfmc-scan: note: " << git_dirs->second << (git_dirs->second == 1 ? " .git folder was" : " .git folders were")
              << " not read (git internals): `sfmc-scan git DIR` scans a repository's history; --include-git-dir reads them as files\n";
  if (!c.resume.empty()) {
    state.save(c.paths, reached, true, report->position(), state.undecoded() + sink.undecoded);
    // What this run left undecoded finish() has said; what the earlier runs left, here.
    if (sink.undecoded == 0 && report_undecoded(state.undecoded())) status = static_cast<int>(ExitCode::error);
  }
  return status;
}

}  // namespace

void register_scan(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<ScanCommand>();
  CLI::App* cmd = app.add_subcommand("scan", "Scan files, folders and standard input ('-') for secrets");
  cmd->add_option("paths", c->paths, "Files or folders to scan; '-' reads standard input; s3://BUCKET[/PREFIX] or gs://BUCKET[/PREFIX] "
                  "reads a bucket's objects")->required();
  add_output_options(*cmd, c->out);
  add_rule_options(*cmd, c->rules);
  cmd->add_option("--exclude", c->excludes,
                  "Skip paths matching this glob (repeatable): a glob without '/' matches a name at any depth, one with '/' a path below the scanned folder")
      ->allow_extra_args(false);  // one glob per --exclude, so the paths after it stay paths
  cmd->add_option("--exclude-from", c->exclude_files, "Read --exclude globs from this file, one a line (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--follow-symlinks", c->follow_symlinks, "Follow symbolic links (loops are detected and reported)");
  cmd->add_option("--max-depth", c->max_depth, "Walk at most this deep below each folder named (1: its own entries)")
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--one-file-system", c->one_file_system, "Do not walk into folders on other file systems (mounts)");
  cmd->add_flag("--respect-gitignore", c->respect_gitignore, "Skip what .gitignore files exclude, and .git folders");
  cmd->add_flag("--include-git-dir", c->include_git_dir,
                "Read .git folders below the paths as files (by default they are skipped: `sfmc-scan git` reads history)");
  cmd->add_option_function<unsigned>(
         "--io-threads", [c](const unsigned& n) { c->io_threads = n; },
         "Threads that list folders, open files and read them ahead of the scan; 0: none, the scan threads do. Default: " +
             std::to_string(kNetworkRequestsInFlight) + " where a path is on (or holds) a network or FUSE mount, else 0")
      ->check(CLI::Range(0u, 256u));
  cmd->add_option("--io-timeout", c->io_timeout,
                  "Seconds to wait for a store to list a folder, open a file or send one MiB of it (with I/O threads, "
                  "as on network mounts); past it that input is reported (io-timeout, exit 2) and the sweep goes on. "
                  "0: wait for ever")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--endpoint-url", c->endpoint_url,
                  "For s3:// and gs:// inputs: the endpoint of an S3-compatible store (MinIO, Ceph, R2: http://HOST:PORT), "
                  "addressed path-style. Default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, "
                  "else AWS itself");
  cmd->add_option("--state", c->state,
                  "Monitoring state: fetch only bucket objects whose ETag changed since the sweeps recorded here, "
                  "report only findings not reported before, and update it");
  cmd->add_flag("--report-all", c->report_all, "With --state: also report findings earlier sweeps reported (their objects are read again)");
  cmd->add_option("--resume", c->resume,
                  "Checkpoint file: an interrupted sweep run again with it continues where it stopped, appending to -o, never reporting an input twice");
  cmd->add_option("--shard", c->shard,
                  "K/N: scan only the K-th of N byte-balanced, contiguous parts of the walk (K from 0: $SLURM_ARRAY_TASK_ID, "
                  "$JOB_COMPLETION_INDEX); writes a shard report for `sfmc-scan merge`");
  cmd->add_option("--chunk-size", c->chunk_size, "Bytes read and matched at a time")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(static_cast<std::size_t>(64), static_cast<std::size_t>(1) << 30))
      ->group("Advanced");
  cmd->add_option("--config", c->config, "Project configuration (default: .sfmc-scan.toml at the root of the folder scanned)");
  cmd->callback([c, cmd, &exit_status] { exit_status = run(*c, *cmd); });
}

}  // namespace sfmc::cli
