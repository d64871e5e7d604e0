#pragma once
// The inventory: one entry per distinct secret, with every place it appears. It is the
// list a team needs before rotating a secret (every integration using it must change).
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace sfmc {

struct SecretGroup {
  std::string rule_id;
  std::string secret_sha256;
  std::string secret_redacted;
  Verdict verdict = Verdict::unchecked;  // the strongest among its findings
  Level level = Level::note;             // the highest
  int64_t first_seen = 0, expires_no_later_than = 0;
  bool expired = false;
  std::vector<Finding> locations;        // in report order
};

// Groups by (rule, secret hash), in order of first appearance.
std::vector<SecretGroup> group_by_secret(const std::vector<Finding>& findings);

nlohmann::json group_json(const SecretGroup& g);
void write_inventory_text(const std::vector<SecretGroup>& groups, std::ostream& out);

// Findings back from a report sfmc-scan wrote: JSON Lines, JSON or SARIF (by content).
// Throws std::runtime_error naming what it could not read.
std::vector<Finding> read_findings(const std::string& path);

}  // namespace sfmc
