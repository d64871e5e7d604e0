#include "findings/finding_builder.hpp"

#include <algorithm>
#include <map>

#include "core/redact.hpp"
#include "core/sha256.hpp"

namespace sfmc {

namespace {

// The rest of the line around the match, from the context bytes the matcher kept.
std::string_view line_before(std::string_view before) {
  std::size_t nl = before.find_last_of("\r\n");
  return nl == std::string_view::npos ? before : before.substr(nl + 1);
}

std::string_view line_after(std::string_view after) {
  std::size_t nl = after.find_first_of("\r\n");
  return nl == std::string_view::npos ? after : after.substr(0, nl);
}

std::string trim(std::string_view s) {
  std::size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

FindingBuilder::FindingBuilder(const RuleSet& rules, std::string path) : rules_(rules), path_(std::move(path)) {}

void FindingBuilder::add(const ValidatedMatch& m) {
  const Rule& rule = rules_.rules[m.rule];
  if (rule.kind == RuleKind::context) {
    context_.push_back({ContextHit{rule.id, printable(m.secret), m.position.line, m.position.column}, m.secret_start});
    return;
  }
  Finding f;
  f.rule_index = m.rule;
  f.rule_id = rule.id;
  f.verdict = m.verdict;
  f.level = level_of(m.verdict);
  f.reason = m.reason;
  f.location.path = path_;
  f.location.line = m.position.line;
  f.location.column = m.position.column;
  f.location.end_line = m.end_position.line;
  f.location.end_column = m.end_position.column;
  f.location.byte_offset = m.secret_start;
  f.location.byte_length = m.secret.size();
  f.secret = std::string(m.secret);
  f.secret_redacted = redact(m.secret, rule.prefix);
  f.secret_sha256 = sha256_hex(m.secret);

  std::size_t in_match = static_cast<std::size_t>(m.secret_start - m.match_start);
  std::string_view head = line_before(m.before);
  std::string_view lead = m.match.substr(0, in_match);
  std::string_view trail = m.match.substr(in_match + m.secret.size());
  std::string_view tail = line_after(m.after);
  std::string left = printable(head) + printable(lead);
  std::string right = printable(trail) + printable(tail);
  f.snippet = left + f.secret_redacted + right;
  f.snippet_revealed = left + printable(m.secret) + right;
  // The line hash stands in for GitHub's own, which would hash the secret's line: here
  // the secret is replaced by its hash, so the fingerprint survives moves but reveals nothing.
  f.line_hash = sha256_hex(rule.id + "\n" + trim(left) + f.secret_sha256 + trim(right)).substr(0, 16);
  findings_.push_back(std::move(f));
}

std::vector<ContextHit> FindingBuilder::context_hits() const {
  std::vector<ContextHit> out;
  for (const ContextMatch& c : context_) out.push_back(c.hit);
  return out;
}

std::vector<Finding> FindingBuilder::take() {
  std::sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
    if (a.location.byte_offset != b.location.byte_offset) return a.location.byte_offset < b.location.byte_offset;
    return a.rule_index < b.rule_index;
  });
  findings_.erase(std::unique(findings_.begin(), findings_.end(),
                              [](const Finding& a, const Finding& b) {
                                return a.rule_index == b.rule_index &&
                                       a.location.byte_offset == b.location.byte_offset &&
                                       a.location.byte_length == b.location.byte_length;
                              }),
                  findings_.end());

  // Identical lines in one file get distinct fingerprints by occurrence, as GitHub's do.
  std::map<std::string, int> seen;
  for (Finding& f : findings_) f.line_hash += ":" + std::to_string(++seen[f.line_hash]);

  // Attach, per context rule, the nearest identifier in the same input.
  for (Finding& f : findings_) {
    std::map<std::string, const ContextMatch*> nearest;
    for (const ContextMatch& c : context_) {
      auto dist = [&](const ContextMatch* x) {
        return x->offset > f.location.byte_offset ? x->offset - f.location.byte_offset : f.location.byte_offset - x->offset;
      };
      const ContextMatch*& best = nearest[c.hit.rule_id];
      if (!best || dist(&c) < dist(best)) best = &c;
    }
    for (const auto& [id, c] : nearest) f.context.push_back(c->hit);
  }
  context_.clear();
  return std::move(findings_);
}

}  // namespace sfmc
