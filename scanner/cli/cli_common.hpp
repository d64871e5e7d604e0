#pragma once
// Shared pieces of the command-line front end.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "core/exit_code.hpp"
#include "engine/scan_engine.hpp"

namespace sfmc::cli {

// Options every command that loads rules understands.
struct RuleOptions {
  std::string rules_path;  // empty: the bundled rules
  bool no_cache = false;
  std::string cache_dir;
  std::string checksum = "report";
};

void add_rule_options(CLI::App& cmd, RuleOptions& o);

// Loads and compiles the rules, or prints why not (to stderr) and returns nullopt.
std::unique_ptr<ScanEngine> load_engine(const RuleOptions& o);

void register_scan(CLI::App& app, int& exit_status);
void register_rules(CLI::App& app, int& exit_status);

// "sfmc-scan: error: ..." on stderr.
void print_error(const std::string& message);

}  // namespace sfmc::cli
