// `sfmc-scan baseline create -o FILE PATH...`: records the findings a team accepts, by
// rule and SHA-256 of the secret (never the secret), for --baseline to suppress later.
#include <ctime>
#include <fstream>
#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "cli/cli_common.hpp"
#include "report/json_fields.hpp"

namespace sfmc::cli {

namespace {

struct BaselineCommand {
  RuleOptions rules;
  std::vector<std::string> paths;
  std::vector<std::string> repositories;
  std::string output;
  unsigned threads = 0;
};

struct Entries final : ResultSink {
  std::set<std::tuple<std::string, std::string, std::string, std::string, uint64_t>> rows;
  void on_input(InputResult&& r) override {
    for (const Finding& f : r.findings)
      rows.insert({f.rule_id, f.secret_sha256, f.secret_redacted, f.location.path, f.location.line});
  }
};

int create(const BaselineCommand& c) {
  std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
  if (!engine) return static_cast<int>(ExitCode::error);
  ScanOptions so;
  so.paths = c.paths;
  so.threads = c.threads;
  so.io_threads = plan_io(so.paths, so.walk.one_file_system, std::nullopt).requests_in_flight;  // many on a mounted store
  Entries entries;
  uint64_t undecoded = 0;
  if (!c.paths.empty()) undecoded += undecoded_inputs(engine->scan(so, entries));
  for (const std::string& repo : c.repositories) {
    try {
      ScanStats stats;
      for (InputResult& r : history_findings(*engine, repo, so, false, stats)) entries.on_input(std::move(r));
      undecoded += undecoded_inputs(stats);
    } catch (const std::exception& e) {
      print_error(e.what());
      return static_cast<int>(ExitCode::error);
    }
  }
  if (c.paths.empty() && c.repositories.empty()) {
    print_error("baseline create: name PATH... to scan, or --git REPO");
    return static_cast<int>(ExitCode::error);
  }
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& [rule, hash, redacted, path, line] : entries.rows)
    findings.push_back({{"rule", rule}, {"secret_sha256", hash}, {"secret_redacted", redacted}, {"path", path}, {"line", line}});
  nlohmann::json doc = {{"version", 1},
                        {"tool", "sfmc-scan " SFMC_VERSION},
                        {"created", iso_utc(std::time(nullptr))},
                        {"findings", std::move(findings)}};
  // Names that are not UTF-8 are written as every report writes them (each bad byte as
  // U+FFFD); the file is replaced only once the new one is whole.
  if (!write_file_atomically(c.output, doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n")) {
    print_error("cannot write " + c.output + ": " + std::strerror(errno));
    return static_cast<int>(ExitCode::error);
  }
  std::cerr << "sfmc-scan: baseline of " << entries.rows.size() << " findings written to " << c.output << '\n';
  // Written, but without what could not be decoded: those findings would show as new later.
  return report_undecoded(undecoded) ? static_cast<int>(ExitCode::error) : 0;
}

}  // namespace

void register_baseline(CLI::App& app, int& exit_status) {
  CLI::App* baseline = app.add_subcommand("baseline", "Record accepted findings, for --baseline to suppress");
  baseline->require_subcommand(1);
  auto c = std::make_shared<BaselineCommand>();
  CLI::App* cr = baseline->add_subcommand("create", "Scan PATH... and write every finding to the baseline FILE");
  cr->add_option("paths", c->paths, "Files or folders");
  cr->add_option("--git", c->repositories, "Also record the findings of this repository's history (repeatable)")
      ->allow_extra_args(false);
  cr->add_option("-o,--output", c->output, "The baseline file to write")->required();
  cr->add_option("-j,--threads", c->threads, "Worker threads (default: all cores)");
  add_rule_options(*cr, c->rules);
  cr->callback([c, &exit_status] { exit_status = create(*c); });
}

}  // namespace sfmc::cli
