#pragma once
// .sfmc-scan.toml at the root of a scanned tree or repository (or --config FILE):
//
//   [allow]
//   paths = ["tests/fixtures/**", "docs/*.md"]   # findings here are accepted (suppressed)
//   rules = ["sfmc-client-secret"]               # findings of these rules are accepted
//
//   [defaults]                                   # options, unless given on the command line
//   fail_on = "error"
//   checksum = "require"
//   exclude = ["vendor", "*.min.js"]
//   baseline = ".sfmc-baseline.json"             # relative to the config file
//
//   [[rules]]                                    # extra rules, as in rules/*.toml
//   id = "..."
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace sfmc::cli {

struct ProjectConfig {
  std::string path;  // where it was read from
  std::string folder;  // paths in it are relative to this
  std::vector<std::string> allow_paths;
  std::vector<std::string> allow_rules;
  std::optional<std::string> fail_on, checksum, baseline;
  std::vector<std::string> exclude;
  bool has_rules = false;  // the file holds [[rules]] of its own
  std::string text;        // its content, when it was not read from a file (a commit's tree)

  // Loads `explicit_path`, else `<root>/.sfmc-scan.toml` if it exists. Throws
  // std::runtime_error naming the file and the field at fault.
  static std::optional<ProjectConfig> find(const std::string& explicit_path, const std::string& root);
  // From text (e.g. the base commit's .sfmc-scan.toml), named `path` in messages; a
  // relative baseline stays relative to `folder` (kept as written when it is empty).
  static ProjectConfig parse(const std::string& text, const std::string& path, const std::string& folder);

  // Accepts a finding the config allow-lists (`relative` is its path below the root).
  void apply(Finding& f, const std::string& relative) const;
};

}  // namespace sfmc::cli
