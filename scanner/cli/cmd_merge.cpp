// `sfmc-scan merge REPORT...`: the shard reports of one sweep (--shard K/N) joined into
// the report one machine scanning everything writes, in any format.
#include <iostream>

#include "cli/cli_common.hpp"
#include "report/merge.hpp"

namespace sfmc::cli {

namespace {

struct MergeCommand {
  std::vector<std::string> reports;
  std::string format;
  std::string output;
  std::string group_by;
  std::string fail_on = "warning";
  std::string colour = "auto";
  bool quiet = false;
  RuleOptions rules;
};

int run(const MergeCommand& c) {
  RuleSet rules;
  try {
    rules = c.rules.rules_path.empty() ? load_default_rules() : load_rules(c.rules.rules_path);
  } catch (const std::exception& e) {
    print_error(std::string("rules: ") + e.what());
    return static_cast<int>(ExitCode::error);
  }
  MergedSweep merged;
  try {
    std::vector<ShardReport> shards;
    for (const std::string& path : c.reports) shards.push_back(read_shard_report(path, rules));
    merged = merge_shards(std::move(shards));
  } catch (const MergeError& e) {
    print_error(e.what());
    return static_cast<int>(ExitCode::error);
  }
  if (merged.sweep.value("rules", "") != rules.digest) {
    print_error("the shards were made with other rules than " +
                (c.rules.rules_path.empty() ? std::string("the bundled ones") : c.rules.rules_path) +
                ": give merge the same --rules (and, for rules from a .sfmc-scan.toml, the same file with --rules)");
    return static_cast<int>(ExitCode::error);
  }
  OutputOptions o;
  o.format = c.format;
  o.output = c.output;
  o.group_by = c.group_by;
  o.fail_on = c.fail_on;
  o.colour = c.colour;
  o.quiet = c.quiet || sweep_has_flag(merged.sweep, "-q") || sweep_has_flag(merged.sweep, "--quiet");
  o.show_secrets = sweep_has_flag(merged.sweep, "--show-secrets");
  o.include_suppressed = sweep_has_flag(merged.sweep, "--include-suppressed");
  o.verbose = sweep_has_flag(merged.sweep, "-v") || sweep_has_flag(merged.sweep, "--verbose");
  o.sarif_category = merged.sweep.value("category", "");
  if (merged.sweep.contains("version_control")) {
    const nlohmann::json& v = merged.sweep["version_control"];
    o.version_control = VersionControl{v.value("repository_uri", ""), v.value("revision", ""), v.value("branch", "")};
  }
  std::unique_ptr<Report> report = Report::open(o, rules, merged.sweep.value("working_directory", ""));
  if (!report) return static_cast<int>(ExitCode::error);
  report->set_replay();
  for (InputResult& r : merged.results) report->on_input(std::move(r));
  return report->finish(merged.stats, false);
}

}  // namespace

void register_merge(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<MergeCommand>();
  CLI::App* cmd = app.add_subcommand(
      "merge", "Join the shard reports of one sweep (--shard K/N, JSON Lines) into the report one machine would write");
  cmd->add_option("reports", c->reports, "Every shard's report, in any order")->required()->check(CLI::ExistingFile);
  cmd->add_option("--format", c->format, "sarif, json, jsonl or text (default: from -o's extension; text on a terminal, else jsonl)")
      ->check(CLI::IsMember({"sarif", "json", "jsonl", "text"}));
  cmd->add_option("-o,--output", c->output, "Write the report here instead of standard output");
  cmd->add_option("--group-by", c->group_by, "secret: one entry per distinct secret across all shards")->check(CLI::IsMember({"secret"}));
  cmd->add_option("--fail-on", c->fail_on, "Exit with status 1 when a finding is at this level or above")
      ->check(CLI::IsMember({"error", "warning", "note"}))
      ->capture_default_str();
  cmd->add_option("--color,--colour", c->colour, "Colour text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("-q,--quiet", c->quiet, "No summary line");
  cmd->add_option("--rules", c->rules.rules_path, "The rules the shards used (default: the bundled rules/)");
  cmd->callback([c, &exit_status] { exit_status = run(*c); });
}

}  // namespace sfmc::cli
