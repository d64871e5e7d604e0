#pragma once
// Turns validated matches of one input into findings: snippet, redaction, fingerprints,
// nearby context identifiers, duplicates removed, in stream order.
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "match/stream_matcher.hpp"
#include "rules/rule.hpp"
#include "validate/validator.hpp"

namespace sfmc {

class FindingBuilder {
 public:
  FindingBuilder(const RuleSet& rules, std::string path);

  // Called for every validated match while its bytes are still in the matcher's buffer.
  void add(const ValidatedMatch& m);

  // Completes the findings (context, fingerprints, order) and hands them over.
  std::vector<Finding> take();

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
  };
  std::string snippet(const Window& w, bool reveal_own, const Finding& own) const;

  const RuleSet& rules_;
  std::string path_;
  std::vector<std::string> token_prefixes_;  // of the secret rules: what "starts like a token" means
  std::vector<Finding> findings_;
  std::vector<Window> windows_;  // parallel to findings_
  std::vector<ContextMatch> context_;
};

}  // namespace sfmc
