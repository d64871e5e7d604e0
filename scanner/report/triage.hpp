#pragma once
// What the team already knows, applied to findings before they are reported and
// counted against --fail-on: allow comments and baselines (suppressions) and the
// expiry bound (a certainly expired secret is a note, not an alarm).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "core/finding.hpp"

namespace sfmc {

// Secrets expire 180 days after they are generated (SFMC_FORMAT.md).
constexpr int64_t kSecretLifetime = 180 * 24 * 3600;

// A baseline: accepted findings by (rule, SHA-256 of the secret). Paths are kept in the
// file for people, but matching ignores them: moving a line does not resurrect a
// finding, and a new secret in the same place is not hidden.
class Baseline {
 public:
  // Reads FILE; throws std::runtime_error naming the problem.
  static Baseline load(const std::string& path);
  // The same from text already read (e.g. from a commit's tree), named `name` in messages.
  static Baseline parse(const std::string& text, const std::string& name);
  bool accepts(const Finding& f) const { return entries_.count({f.rule_id, f.secret_sha256}) > 0; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::set<std::pair<std::string, std::string>> entries_;
};

struct TriageOptions {
  int64_t now = 0;                  // seconds since the epoch (--now, or the clock)
  const Baseline* baseline = nullptr;
};

// Sets suppression (baseline), first_seen, expires_no_later_than and expired; a
// secret certainly expired (and not verified live) becomes a note with the reason.
void triage(Finding& f, const TriageOptions& options);

// "2026-11-22", "2026-11-22T10:00:00Z" or "2026-11-22T10:00:00+01:00" to seconds.
std::optional<int64_t> parse_date(const std::string& text);

}  // namespace sfmc
