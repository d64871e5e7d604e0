#pragma once
// Turns the matches of one input into findings: decides which candidates are worth
// validating (overlapping matches of one rule are merged), then snippet, redaction,
// fingerprints, nearby context identifiers, duplicates removed, in stream order.
//
// Per input, the findings kept and the bytes they hold are bounded (FindingLimits): a
// rule that matches everywhere (`[0-9A-Za-z]{4096}` over a long line) gives a bounded
// report and a "findings-limit" warning, not gigabytes of overlapping findings.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "match/stream_matcher.hpp"
#include "rules/rule.hpp"
#include "validate/validator.hpp"

namespace sfmc {

struct FindingLimits {
  std::size_t max_findings = 100'000;     // findings and context identifiers kept per input
  std::size_t max_bytes = 64u << 20;      // their windows, secrets and snippets, estimated
};

class FindingBuilder {
 public:
  FindingBuilder(const RuleSet& rules, std::string path, FindingLimits limits = {});

  // Called for every candidate, while its bytes are still in the matcher's buffer:
  // validates it unless it can only overlap a finding of the same rule already kept.
  void offer(const MatchEvent& ev, const Validator& validator);

  // Adds one validated match as it is (no overlap merging, no limits): benchmarks and
  // tests of the builder's own output.
  void add(const ValidatedMatch& m);

  // Where the limits stopped this input's findings: from this byte offset on, matches
  // were not examined. nullopt: every match was.
  std::optional<uint64_t> truncated_at() const { return truncated_at_; }
  // The warning to report for it, e.g. "10000 findings, the limit per input: ...".
  std::string truncation_detail() const;

  // Completes the findings (context, fingerprints, order) and hands them over.
  std::vector<Finding> take();

  bool has_findings() const { return !findings_.empty(); }
  // Context identifiers seen so far, in stream order.
  std::vector<ContextHit> context_hits() const;

 private:
  struct ContextMatch {
    ContextHit hit;
    uint64_t offset;
  };
  // The raw bytes of the line around a finding. Snippets are made only in take(),
  // once every secret in the input is known, so no snippet shows a neighbour in full.
  struct Window {
    uint64_t start;
    std::string bytes;
    // The line runs on past the window (the matcher keeps kContextBytes either side):
    // the word cut at that edge may be part of another secret, and is never shown.
    bool cut_head = false, cut_tail = false;
  };
  std::string snippet(const Window& w, bool reveal_own, const Finding& own) const;
  // The last finding (or context identifier) kept of a rule: its match's span, and
  // where it is held, so a longer match from the same start can replace it.
  struct LastKept {
    uint64_t start = 0, end = 0;
    std::size_t index = 0;  // in findings_, or context_ for a context rule
    std::size_t cost = 0;   // its share of held_bytes_
  };
  static constexpr std::size_t kAppend = static_cast<std::size_t>(-1);
  bool keep(const ValidatedMatch& m, bool replace_last);
  std::size_t store(const ValidatedMatch& m, std::size_t slot);  // the index it is held at
  void truncate(uint64_t at);

  const RuleSet& rules_;
  std::string path_;
  std::vector<std::string> token_prefixes_;  // of the secret rules: what "starts like a token" means
  std::vector<Finding> findings_;
  std::vector<Window> windows_;  // parallel to findings_
  std::vector<ContextMatch> context_;

  FindingLimits limits_;
  std::vector<std::optional<LastKept>> last_;  // per rule index
  std::size_t held_bytes_ = 0;
  uint64_t extension_budget_ = 64u << 20;  // bytes re-validated to grow matches, per input
  std::optional<uint64_t> truncated_at_;
  std::size_t kept_when_truncated_ = 0;
};

}  // namespace sfmc
