#include "testing/rule_examples.hpp"

namespace sfmc {

namespace {

// Expected verdict of a positive example that names none: the best the rule can give.
std::string default_outcome(const Rule& r, const RuleExample& ex) {
  if (r.kind == RuleKind::context) return "context";
  return std::string(to_string(ex.verdict.value_or(r.checksum ? Verdict::checksum_valid : Verdict::unchecked)));
}

}  // namespace

std::vector<ExampleResult> check_rule_examples(const ScanEngine& engine, TokenFactory& factory) {
  std::vector<ExampleResult> out;
  for (const Rule& r : engine.rules().rules) {
    if (r.examples.empty()) out.push_back({r.id, "", true, false, "the rule has no examples"});
    auto run = [&](const RuleExample& ex, bool positive) {
      ExampleResult res{r.id, ex.text, positive, false, ""};
      std::string text;
      try {
        text = expand_template(ex.text, r, factory);
      } catch (const std::exception& e) {
        res.detail = e.what();
        out.push_back(res);
        return;
      }
      ScanEngine::BufferScan got = engine.scan_buffer(text, "<example>");
      std::vector<std::string> outcomes;
      for (const Finding& f : got.findings)
        if (f.rule_id == r.id) outcomes.emplace_back(to_string(f.verdict));
      for (const ContextHit& h : got.context)
        if (h.rule_id == r.id) outcomes.emplace_back("context");
      if (!positive) {
        res.passed = outcomes.empty();
        if (!res.passed) res.detail = "matched (" + outcomes.front() + ")";
      } else {
        std::string want = default_outcome(r, ex);
        res.passed = outcomes.size() == 1 && outcomes.front() == want;
        if (!res.passed)
          res.detail = "expected " + want + ", got " +
                       (outcomes.empty() ? "no match" : outcomes.front() + (outcomes.size() > 1 ? " and more" : ""));
      }
      out.push_back(res);
    };
    for (const RuleExample& ex : r.examples) run(ex, true);
    for (const RuleExample& ex : r.negative_examples) run(ex, false);
  }
  return out;
}

}  // namespace sfmc
