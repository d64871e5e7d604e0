// `sfmc-scan rules list` and `sfmc-scan rules check`: rules are data, and every rule
// carries positive and negative examples that `check` compiles and asserts.
#include <iostream>

#include "cli/cli_common.hpp"
#include "testing/token_factory.hpp"

namespace sfmc::cli {

namespace {

int list(const RuleOptions& o) {
  std::unique_ptr<ScanEngine> engine = load_engine(o);
  if (!engine) return static_cast<int>(ExitCode::error);
  for (const Rule& r : engine->rules().rules) {
    std::cout << r.id << '\t' << (r.kind == RuleKind::secret ? "secret" : "context") << '\t'
              << r.security_severity << '\t' << r.description;
    if (r.checksum) std::cout << " [checksum]";
    std::cout << '\n';
  }
  return 0;
}

// Expected verdict of a positive example that names none: the best the rule can give.
Verdict default_verdict(const Rule& r) { return r.checksum ? Verdict::checksum_valid : Verdict::unchecked; }

int check(const RuleOptions& o, bool verbose) {
  std::unique_ptr<ScanEngine> engine = load_engine(o);
  if (!engine) return static_cast<int>(ExitCode::error);
  TokenFactory factory(std::random_device{}());
  int failures = 0, passes = 0;
  auto report = [&](bool ok, const Rule& r, const std::string& what, const std::string& detail) {
    (ok ? passes : failures)++;
    if (!ok || verbose) std::cout << (ok ? "ok   " : "FAIL ") << r.id << ": " << what << (detail.empty() ? "" : ": " + detail) << '\n';
  };
  for (const Rule& r : engine->rules().rules) {
    if (r.examples.empty()) report(false, r, "has no examples", "");
    auto run_example = [&](const RuleExample& ex, bool positive) {
      std::string text;
      try {
        text = expand_template(ex.text, r, factory);
      } catch (const std::exception& e) {
        report(false, r, "example '" + ex.text + "'", e.what());
        return;
      }
      ScanEngine::BufferScan got = engine->scan_buffer(text, "<example>");
      std::vector<std::string> verdicts;
      for (const Finding& f : got.findings)
        if (f.rule_id == r.id) verdicts.emplace_back(to_string(f.verdict));
      for (const ContextHit& h : got.context)
        if (h.rule_id == r.id) verdicts.emplace_back("context");
      std::string label = std::string(positive ? "example" : "negative example") + " '" + ex.text + "'";
      if (!positive) {
        report(verdicts.empty(), r, label, verdicts.empty() ? "" : "matched (" + verdicts.front() + ")");
        return;
      }
      std::string want = r.kind == RuleKind::context ? "context" : std::string(to_string(ex.verdict.value_or(default_verdict(r))));
      bool ok = verdicts.size() == 1 && verdicts.front() == want;
      std::string got_s = verdicts.empty() ? "no match" : verdicts.front() + (verdicts.size() > 1 ? " (and more)" : "");
      report(ok, r, label, ok ? "" : "expected " + want + ", got " + got_s);
    };
    for (const RuleExample& ex : r.examples) run_example(ex, true);
    for (const RuleExample& ex : r.negative_examples) run_example(ex, false);
  }
  std::cout << passes << " passed, " << failures << " failed\n";
  return failures ? static_cast<int>(ExitCode::error) : 0;
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
