// `sfmc-scan report FILE --by-secret`: the inventory of a report written earlier
// (JSON Lines, JSON or SARIF), one entry per distinct secret.
#include <iostream>

#include "cli/cli_common.hpp"
#include "report/inventory.hpp"

namespace sfmc::cli {

namespace {

struct ReportCommand {
  std::string input;
  bool by_secret = false;
  std::string format = "text";
};

int run(const ReportCommand& c) {
  if (!c.by_secret) {
    print_error("report: say what to make of it (--by-secret)");
    return static_cast<int>(ExitCode::error);
  }
  std::vector<Finding> findings;
  try {
    findings = read_findings(c.input);
  } catch (const std::exception& e) {
    print_error(e.what());
    return static_cast<int>(ExitCode::error);
  }
  std::vector<SecretGroup> groups = group_by_secret(findings);
  if (c.format == "text") {
    write_inventory_text(groups, std::cout);
  } else {
    nlohmann::json all = nlohmann::json::array();
    for (const SecretGroup& g : groups) {
      if (c.format == "jsonl") std::cout << group_json(g).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      else all.push_back(group_json(g));
    }
    if (c.format == "json") std::cout << nlohmann::json{{"secrets", all}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return groups.empty() ? 0 : static_cast<int>(ExitCode::findings);
}

}  // namespace

void register_report(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<ReportCommand>();
  CLI::App* cmd = app.add_subcommand("report", "Re-read a report sfmc-scan wrote (JSON Lines, JSON or SARIF)");
  cmd->add_option("input", c->input, "The report file")->required()->check(CLI::ExistingFile);
  cmd->add_flag("--by-secret", c->by_secret, "One entry per distinct secret, with every place it appears");
  cmd->add_option("--format", c->format, "text, json or jsonl")->check(CLI::IsMember({"text", "json", "jsonl"}))->capture_default_str();
  cmd->callback([c, &exit_status] { exit_status = run(*c); });
}

}  // namespace sfmc::cli
