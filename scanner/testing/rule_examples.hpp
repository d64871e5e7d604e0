#pragma once
// Runs every rule's own examples and negative examples through the full engine: what
// `sfmc-scan rules check` reports and what the test suite asserts.
#include <string>
#include <vector>

#include "engine/scan_engine.hpp"
#include "testing/token_factory.hpp"

namespace sfmc {

struct ExampleResult {
  std::string rule_id;
  std::string example;  // the template as written in the rule file
  bool positive = true;
  bool passed = false;
  std::string detail;   // what was expected and what came out, when it failed
};

std::vector<ExampleResult> check_rule_examples(const ScanEngine& engine, TokenFactory& factory);

}  // namespace sfmc
