// `sfmc-scan rules list` and `sfmc-scan rules check`: rules are data, and every rule
// carries positive and negative examples that `check` compiles and asserts.
#include <iostream>

#include "cli/cli_common.hpp"
#include "testing/rule_examples.hpp"

namespace sfmc::cli {

namespace {

int list(const RuleOptions& o) {
  std::unique_ptr<ScanEngine> engine = load_engine(o);
  if (!engine) return static_cast<int>(ExitCode::error);
  std::cout << "# rules from " << (o.rules_path.empty() ? default_rules_origin() : o.rules_path) << '\n';
  for (const Rule& r : engine->rules().rules) {
    std::cout << r.id << '\t' << (r.kind == RuleKind::secret ? "secret" : "context") << '\t'
              << r.security_severity << '\t' << r.description;
    if (r.checksum) std::cout << " [checksum]";
    std::cout << '\n';
  }
  return 0;
}

int check(const RuleOptions& o, bool verbose) {
  std::unique_ptr<ScanEngine> engine = load_engine(o);
  if (!engine) return static_cast<int>(ExitCode::error);
  TokenFactory factory(std::random_device{}());
  int passed = 0, failed = 0;
  for (const ExampleResult& r : check_rule_examples(*engine, factory)) {
    (r.passed ? passed : failed)++;
    if (r.passed && !verbose) continue;
    std::cout << (r.passed ? "ok   " : "FAIL ") << r.rule_id << ": "
              << (r.positive ? "example '" : "negative example '") << r.example << "'"
              << (r.detail.empty() ? "" : ": " + r.detail) << '\n';
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed ? static_cast<int>(ExitCode::error) : 0;
}

}  // namespace

void register_rules(CLI::App& app, int& exit_status) {
  CLI::App* rules = app.add_subcommand("rules", "List the rules, or check them against their own examples");
  rules->require_subcommand(1);
  auto o = std::make_shared<RuleOptions>();
  auto verbose = std::make_shared<bool>(false);

  CLI::App* l = rules->add_subcommand("list", "Print every rule: id, kind, security severity, description");
  add_rule_options(*l, *o);
  l->callback([o, &exit_status] { exit_status = list(*o); });

  CLI::App* c = rules->add_subcommand("check", "Compile every rule and run its examples and negative examples");
  add_rule_options(*c, *o);
  c->add_flag("-v,--verbose", *verbose, "Print passing examples too");
  c->callback([o, verbose, &exit_status] { exit_status = check(*o, *verbose); });
}

}  // namespace sfmc::cli
