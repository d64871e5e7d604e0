#pragma once
// Reporters turn scan results into SARIF 2.1.0, JSON, JSON Lines or text. The matcher
// never formats; every reporter sees the same InputResult stream and ScanStats.
#include <iosfwd>
#include <memory>
#include <string>

#include "engine/scan_engine.hpp"

namespace sfmc {

enum class OutputFormat { sarif, json, jsonl, text };

struct ReportOptions {
  bool show_secrets = false;  // print secrets in full (never the default)
  bool colour = false;        // text: ANSI colours
  bool verbose = false;       // text: also list inputs skipped by choice (symlinks not followed)
  bool quiet = false;         // text: no summary line
  std::string working_directory;  // SARIF: base of relative artifact URIs (default: the current folder)
  bool include_suppressed = false;  // SARIF: emit suppressed results (with suppressions) instead of leaving them out
};

class Reporter : public ResultSink {
 public:
  // Called once after the last input.
  virtual void finish(const ScanStats& stats) = 0;
};

std::unique_ptr<Reporter> make_reporter(OutputFormat format, const RuleSet& rules, const ReportOptions& options,
                                        std::ostream& out);

// Human summary: "12 files, 4.2 MB in 0.05 s (84 MB/s): 3 findings (...); 1 skipped (...)".
std::string summary_line(const ScanStats& stats);

}  // namespace sfmc
