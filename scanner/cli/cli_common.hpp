#pragma once
// Shared pieces of the command-line front end.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include <ext/stdio_filebuf.h>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/exit_code.hpp"
#include "core/temp_file.hpp"
#include "engine/scan_engine.hpp"
#include "report/reporter.hpp"
#include "cli/project_config.hpp"
#include "report/triage.hpp"
#include "verify/verifier.hpp"

namespace sfmc::cli {

// Options every command that loads rules understands.
struct RuleOptions {
  std::string rules_path;  // empty: the bundled rules
  bool no_cache = false;
  std::string cache_dir;
  std::string checksum = "report";
  std::size_t max_findings_per_input = FindingLimits{}.max_findings;
  std::vector<std::string> extra_rule_files;  // e.g. a .sfmc-scan.toml holding [[rules]]
  std::vector<std::pair<std::string, std::string>> extra_rule_texts;  // (name, TOML): one read from a commit
};

void add_rule_options(CLI::App& cmd, RuleOptions& o);


// Inputs a decoder limit stopped or whose decoder module could not be loaded
// (leaves_content_unscanned) leave content unread: every command that scans says so on
// stderr and exits 2. True when `undecoded` is not 0, after printing why.
bool report_undecoded(uint64_t undecoded);
// How many inputs of a scan were left undecoded, from the engine's own skip counts.
uint64_t undecoded_inputs(const ScanStats& stats);

// Loads and compiles the rules, or prints why not (to stderr) and returns nullopt.
std::unique_ptr<ScanEngine> load_engine(const RuleOptions& o);



// Options every command that reports findings understands.
struct OutputOptions {
  std::string format;  // empty: from -o's extension, else text on a terminal and jsonl otherwise
  std::string output;
  std::string colour = "auto";
  bool show_secrets = false;
  std::string fail_on = "warning";
  bool quiet = false;
  bool verbose = false;
  unsigned threads = 0;
  uint64_t max_file_size = 0;
  DecodeOptions decode;
  bool no_progress = false;
  bool stats = false;
  std::string baseline;       // --baseline FILE
  bool include_suppressed = false;
  std::string now;            // --now DATE
  std::string group_by;       // "secret": an inventory instead of a finding list
  bool verify = false;        // --verify (never by default)
  VerifyOptions verify_options;
  std::string sarif_category;     // --sarif-category (default: default_category)
  std::string default_category;   // set by the command from its mode, e.g. "sfmc-scan/git/"
  uint64_t max_results = 0;       // --max-results N (SARIF)
  int exit_code = 1;              // --exit-code N: the status for findings (gitleaks' flag)
  int redact = 100;               // --redact[=N]: accepted for gitleaks users; redaction is always on
  std::optional<VersionControl> version_control;  // set by `git`
};

void add_output_options(CLI::App& cmd, OutputOptions& o);

// Finds and applies a .sfmc-scan.toml (or --config FILE): its defaults fill the options
// the command line left unset (`given` says which were set), its rules join `rules`.
// Prints why and returns false when the file is broken.
bool use_project_config(const std::string& explicit_path, const std::string& root, CLI::App& cmd, RuleOptions& rules,
                        OutputOptions& out, std::vector<std::string>* excludes, std::optional<ProjectConfig>& config);
// The same for a configuration already loaded (e.g. from a commit's tree). A baseline it
// names is left to the caller when the configuration was not read from a file.
bool apply_project_config(CLI::App& cmd, RuleOptions& rules, OutputOptions& out, std::vector<std::string>* excludes,
                          ProjectConfig& config);

// An open report: the output stream, the reporter writing to it, and the gate that
// counts findings at or above --fail-on on their way through.
class Report final : public ResultSink {
 public:
  // Prints why and returns nullptr when the output cannot be opened.
  // `append`: add to an existing output (a resumed sweep).
  static std::unique_ptr<Report> open(const OutputOptions& o, const RuleSet& rules, const std::string& working_directory,
                                      bool append = false);
  ~Report();
  // Allow-lists of a .sfmc-scan.toml, applied to every finding.
  void set_project_config(const ProjectConfig* c) { config_ = c; }
  // A baseline read by the caller (e.g. from a commit's tree), instead of --baseline.
  void use_baseline(Baseline b) {
    baseline_ = std::move(b);
    triage_.baseline = &*baseline_;
  }
  // Pushes what was written so far to the output (before a checkpoint records it as done).
  void flush() { out_->flush(); }
  // Bytes in the output file so far (after flush()).
  uint64_t position() { return filebuf_ ? static_cast<uint64_t>(file_.tellp()) : 0; }
  bool streaming() const { return format_ == OutputFormat::jsonl || format_ == OutputFormat::text; }
  // --shard: write the shard report `merge` reads (JSON Lines plus input and shard
  // records). Prints why and returns false when the options do not allow it.
  bool set_shard(ShardSpec shard, nlohmann::json sweep);
  // merge: the results were triaged, filtered and counted by the shards already.
  void set_replay() { replay_ = true; }
  void on_input(InputResult&& r) override;
  // Triage, suppression, grouping, then the reporter.
  void process(InputResult&& r);
  // Writes the end of the report and the summary; returns the exit status.
  int finish(const ScanStats& stats, bool error);
  // Whether finish() wrote the whole report (its status may still be 2, e.g. for inputs
  // left undecoded): monitoring state may then record what the report holds.
  bool written() const { return written_; }

 private:
  bool written_ = false;
  OutputOptions options_;
  std::optional<Baseline> baseline_;
  TriageOptions triage_;
  std::map<Verdict, uint64_t> suppressed_;
  std::vector<std::string> new_allow_comments_;  // ScanStats::new_allow_comments
  std::vector<Finding> grouped_;   // --group-by secret: held until the end
  std::vector<InputResult> held_;  // --verify: held until every secret was asked about
  const ProjectConfig* config_ = nullptr;
  nlohmann::json grouped_skips_ = nlohmann::json::array();
  std::unique_ptr<__gnu_cxx::stdio_filebuf<char>> filebuf_;  // -o FILE, on a descriptor opened exclusively
  std::ostream file_{nullptr};
  std::string temp_path_;   // -o FILE is written here, beside it, and renamed over it at the end
  std::string final_path_;  // what temp_path_ is renamed to: FILE, or the file a link FILE points to
  std::ostream* out_ = nullptr;
  OutputFormat format_ = OutputFormat::text;
  bool to_file_ = false;  // the report goes to a file, not standard output
  std::unique_ptr<Reporter> reporter_;
  Level fail_on_ = Level::warning;
  uint64_t failing_ = 0;
  std::optional<ShardSpec> shard_;
  nlohmann::json sweep_;
  bool replay_ = false;
};

// The command line as main() received it (for a shard report's sweep identity).
void set_command_line(int argc, char** argv);
// What makes shard reports parts of one sweep: the command line without the options that
// only say where output goes, how fast, or which shard; the rule digest; $SFMC_NOW; the
// folder SARIF paths are relative to.
nlohmann::json sweep_identity(const RuleSet& rules, const std::string& working_directory);
// Options of the shards that decide how `merge` renders (--show-secrets, ...).
bool sweep_has_flag(const nlohmann::json& sweep, const std::string& flag);

void register_scan(CLI::App& app, int& exit_status);
void register_git(CLI::App& app, int& exit_status);
void register_hook(CLI::App& app, int& exit_status);
void register_baseline(CLI::App& app, int& exit_status);
void register_report(CLI::App& app, int& exit_status);
void register_locate(CLI::App& app, int& exit_status);

// Every finding in a repository's history, attributed to commits and paths (what
// `sfmc-scan git` reports). Throws git::GitError.
std::vector<InputResult> history_findings(const ScanEngine& engine, const std::string& repository,
                                          const ScanOptions& options, bool all_objects, ScanStats& stats);
void register_rules(CLI::App& app, int& exit_status);
void register_merge(CLI::App& app, int& exit_status);
void register_completion(CLI::App& app, int& exit_status);

// "sfmc-scan: error: ..." on stderr.
void print_error(const std::string& message);
void print_warning(const std::string& message);

}  // namespace sfmc::cli
