// `sfmc-scan locate PATH... [--git REPO]...`: every place one secret appears, in files,
// archives and git history: the list to work through before rotating it. The secret
// (or its SHA-256) is read from standard input, never from the command line, where
// shell history and process listings would keep it.
#include <iostream>

#include "cli/cli_common.hpp"
#include "core/bounded_line.hpp"
#include "core/sha256.hpp"
#include "report/inventory.hpp"
#include "sources/git/git_handle.hpp"

namespace sfmc::cli {

namespace {

struct LocateCommand {
  RuleOptions rules;
  std::vector<std::string> paths;
  std::vector<std::string> repositories;
  std::string format = "text";
  unsigned threads = 0;
};

struct Matching final : ResultSink {
  std::string hash;
  std::vector<Finding> found;
  void on_input(InputResult&& r) override {
    for (Finding& f : r.findings)
      if (f.secret_sha256 == hash) found.push_back(std::move(f));
  }
};

int run(const LocateCommand& c) {
  // Only the first line counts, and only so much of it: a secret is short, and the
  // rest of a huge input must not be held.
  constexpr std::size_t kMaxSecretLine = 4096;
  std::string line;
  if (read_bounded_line(std::cin, line, kMaxSecretLine) == LineRead::too_long) {
    line.assign(line.size(), '\0');
    print_error("locate: the first line on standard input is longer than " + std::to_string(kMaxSecretLine) +
                " bytes: give the secret, or its SHA-256, alone on a line");
    return static_cast<int>(ExitCode::error);
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\n')) line.pop_back();
  if (line.empty()) {
    print_error("locate reads the secret, or its SHA-256, from standard input (e.g. from a password manager's clipboard tool)");
    return static_cast<int>(ExitCode::error);
  }
  bool is_hash = line.size() == 64 && line.find_first_not_of("0123456789abcdef") == std::string::npos;
  Matching sink;
  sink.hash = is_hash ? line : sha256_hex(line);
  line.assign(line.size(), '\0');  // no longer needed in clear

  std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
  if (!engine) return static_cast<int>(ExitCode::error);
  ScanOptions so;
  so.threads = c.threads;
  uint64_t undecoded = 0;
  if (!c.paths.empty()) {
    so.paths = c.paths;
    // A secret's every place, on a mounted bucket too: many requests in flight there.
    so.io_threads = plan_io(so.paths, so.walk.one_file_system, std::nullopt).requests_in_flight;
    undecoded += undecoded_inputs(engine->scan(so, sink));
  }
  for (const std::string& repo : c.repositories) {
    try {
      ScanStats stats;
      for (InputResult& r : history_findings(*engine, repo, so, true, stats)) sink.on_input(std::move(r));
      undecoded += undecoded_inputs(stats);
    } catch (const std::exception& e) {
      print_error(e.what());
      return static_cast<int>(ExitCode::error);
    }
  }
  std::vector<SecretGroup> groups = group_by_secret(sink.found);
  if (c.format == "json") {
    std::cout << (groups.empty() ? nlohmann::json::object() : group_json(groups.front())).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  } else if (groups.empty()) {
    std::cout << "not found in the paths and repositories given\n";
  } else {
    write_inventory_text(groups, std::cout);
  }
  // "not found" is only true of what could be read.
  if (report_undecoded(undecoded)) return static_cast<int>(ExitCode::error);
  return groups.empty() ? 0 : static_cast<int>(ExitCode::findings);
}

}  // namespace

void register_locate(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<LocateCommand>();
  CLI::App* cmd = app.add_subcommand("locate", "List every place one secret (read from standard input) appears");
  cmd->add_option("paths", c->paths, "Files and folders (archives inside are opened)");
  cmd->add_option("--git", c->repositories, "Also search this repository's history, every object (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--format", c->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  cmd->add_option("-j,--threads", c->threads, "Worker threads (default: all cores)");
  add_rule_options(*cmd, c->rules);
  cmd->callback([c, &exit_status] { exit_status = run(*c); });
}

}  // namespace sfmc::cli
