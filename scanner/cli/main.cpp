// sfmc-scan: finds leaked Salesforce Marketing Cloud secrets. One file per command
// (cmd_*.cpp); this file only dispatches.
#include <iostream>

#include "cli/cli_common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"sfmc-scan " SFMC_VERSION ": find leaked Salesforce Marketing Cloud secrets", "sfmc-scan"};
  app.set_version_flag("--version", std::string("sfmc-scan ") + SFMC_VERSION);
  app.require_subcommand(1);
  int exit_status = static_cast<int>(sfmc::ExitCode::clean);
  sfmc::cli::register_scan(app, exit_status);
  sfmc::cli::register_git(app, exit_status);
  sfmc::cli::register_hook(app, exit_status);
  sfmc::cli::register_baseline(app, exit_status);
  sfmc::cli::register_report(app, exit_status);
  sfmc::cli::register_locate(app, exit_status);
  sfmc::cli::register_rules(app, exit_status);
  sfmc::cli::register_merge(app, exit_status);
  sfmc::cli::register_completion(app, exit_status);
  sfmc::cli::set_command_line(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // Help and version are successes; every other parse failure is bad usage.
    return rc == 0 ? 0 : static_cast<int>(sfmc::ExitCode::error);
  } catch (const std::exception& e) {
    sfmc::cli::print_error(e.what());
    return static_cast<int>(sfmc::ExitCode::error);
  }
  return exit_status;
}
