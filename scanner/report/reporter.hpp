#pragma once
// Reporters turn scan results into SARIF 2.1.0, JSON, JSON Lines or text. The matcher
// never formats; every reporter sees the same InputResult stream and ScanStats.
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/scan_engine.hpp"

namespace sfmc {

enum class OutputFormat { sarif, json, jsonl, text, gitlab };

// The repository a git scan read: SARIF versionControlProvenance, GitLab's commit.
struct VersionControl {
  std::string repository_uri;  // without credentials (report/location_uri.hpp: repository_uri)
  std::string revision;        // the commit HEAD is at; empty when unborn
  std::string branch;          // empty when HEAD is detached
};

struct ReportOptions {
  bool show_secrets = false;  // print secrets in full (never the default)
  bool colour = false;        // text: ANSI colours
  bool verbose = false;       // text: also list inputs skipped by choice (symlinks not followed)
  bool quiet = false;         // text: no summary line
  std::string working_directory;  // SARIF: base of relative artifact URIs (default: the current folder)
  bool include_suppressed = false;  // SARIF: emit suppressed results (with suppressions) instead of leaving them out
  std::string category;             // SARIF runs[].automationDetails.id, GitHub's category ("sfmc-scan/git/")
  std::optional<VersionControl> version_control;  // git scans
  uint64_t max_results = 0;         // SARIF: keep only the N most severe results (0: all)
};

class Reporter : public ResultSink {
 public:
  // Called once after the last input.
  virtual void finish(const ScanStats& stats) = 0;
  // After finish: what the user must hear about the report itself, e.g. that it is past
  // what GitHub code scanning accepts. Printed on stderr, whatever the output.
  virtual std::vector<std::string> warnings() const { return {}; }
};

std::unique_ptr<Reporter> make_reporter(OutputFormat format, const RuleSet& rules, const ReportOptions& options,
                                        std::ostream& out);

// Human summary: "12 files, 4.2 MB in 0.05 s (84 MB/s): 3 findings (...); 1 skipped (...)".
std::string summary_line(const ScanStats& stats);

}  // namespace sfmc
