// sfmc-scan: finds leaked Salesforce Marketing Cloud secrets. One file per command
// (cmd_*.cpp); this file only dispatches.
#include <iostream>

#include "cli/cli_common.hpp"
#include "cli/suggest.hpp"

#include <algorithm>

namespace sfmc::cli {

// The deepest subcommand the command line chose (the app itself when none).
CLI::App* chosen_command(CLI::App& app) {
  CLI::App* at = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (CLI::App* sub : at->get_subcommands())
      if (sub->parsed()) {
        at = sub;
        deeper = true;
        break;
      }
  }
  return at;
}

// After a parse error: a word on the command line that is neither an option nor a
// subcommand of the command it was given to, but close to one, gets "did you mean".
// Returns true when it said so.
bool suggest_for(CLI::App& app, int argc, char** argv) {
  CLI::App* command = chosen_command(app);
  std::vector<std::string> options, subcommands;
  for (const CLI::Option* o : command->get_options()) {
    for (const std::string& l : o->get_lnames()) options.push_back("--" + l);
  }
  for (const CLI::App* sub : command->get_subcommands({})) subcommands.push_back(sub->get_name());
  bool said = false;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    std::string name = word.rfind("--", 0) == 0 ? word.substr(0, word.find('=')) : word;
    if (name.rfind("--", 0) == 0) {
      if (std::find(options.begin(), options.end(), name) != options.end()) continue;
      if (auto close = closest_name(name, options)) {
        print_error("unknown option " + name + " for " + command->get_name() + "; did you mean " + *close + "?");
        said = true;
      }
    } else if (command == &app && i == 1) {
      if (auto close = closest_name(word, subcommands)) {
        print_error("unknown command '" + word + "'; did you mean '" + *close + "'?");
        said = true;
      }
    }
  }
  return said;
}

}  // namespace sfmc::cli

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
  sfmc::cli::register_completion(app, exit_status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (sfmc::cli::suggest_for(app, argc, argv)) return static_cast<int>(sfmc::ExitCode::error);
    int rc = app.exit(e);
    // Help and version are successes; every other parse failure is bad usage.
    return rc == 0 ? 0 : static_cast<int>(sfmc::ExitCode::error);
  } catch (const std::exception& e) {
    sfmc::cli::print_error(e.what());
    return static_cast<int>(sfmc::ExitCode::error);
  }
  return exit_status;
}
