#pragma once
// Second step of matching: Hyperscan found a candidate span; this decides whether it
// is a token (boundaries), extracts the secret and gives it a verdict.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/verdict.hpp"
#include "match/database.hpp"
#include "match/stream_matcher.hpp"
#include "rules/rule.hpp"

namespace sfmc {

enum class ChecksumPolicy {
  require,  // drop candidates whose checksum fails
  report,   // keep them, as verdict checksum-invalid (default)
  ignore,   // do not compute checksums: verdict unchecked
};

// Views point into the matcher's buffer: valid while the MatchEvent is.
struct ValidatedMatch {
  uint32_t rule = 0;
  Verdict verdict = Verdict::unchecked;
  std::string reason;
  std::string_view match;          // the whole regex match
  std::string_view before, after;  // context around the match
  uint64_t match_start = 0;        // stream offsets
  std::string_view secret;         // the secret inside the match (a named group, or all of it)
  uint64_t secret_start = 0;
  TextPosition position;        // of the secret's first byte
  TextPosition end_position;    // just past its last byte
};

class Validator {
 public:
  Validator(const RuleSet& rules, const MatchDatabase& db, ChecksumPolicy policy);
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // nullopt: not a token (boundary, extraction) or dropped by the checksum policy.
  std::optional<ValidatedMatch> validate(const MatchEvent& ev) const;
  const RuleSet& rules() const { return rules_; }
  // The shortest and longest match of a rule, as the database compiled it.
  const RuleGeometry& geometry(uint32_t rule) const { return geometry_[rule]; }

 private:
  struct Extractor;
  const RuleSet& rules_;
  ChecksumPolicy policy_;
  std::vector<RuleGeometry> geometry_;
  std::vector<std::unique_ptr<Extractor>> extractors_;  // per rule; null: the window is the match and the secret
};

}  // namespace sfmc
