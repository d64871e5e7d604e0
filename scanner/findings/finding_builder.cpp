#include "findings/finding_builder.hpp"

#include <algorithm>
#include <map>
#include <set>

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

FindingBuilder::FindingBuilder(const RuleSet& rules, std::string path, FindingLimits limits)
    : rules_(rules), path_(std::move(path)), limits_(limits), last_(rules.rules.size()) {
  for (const Rule& r : rules_.rules)
    if (r.kind != RuleKind::context && !r.prefix.empty() &&
        std::find(token_prefixes_.begin(), token_prefixes_.end(), r.prefix) == token_prefixes_.end())
      token_prefixes_.push_back(r.prefix);
}

namespace {

// The candidate with its window cut to begin at `from` (at or after ev.start). The
// matcher's `before` ends where `bytes` begins, so the bytes cut off join the context.
MatchEvent starting_at(const MatchEvent& ev, uint64_t from) {
  const std::size_t cut = static_cast<std::size_t>(from - ev.start);
  MatchEvent out = ev;
  out.start = from;
  out.bytes = ev.bytes.substr(cut);
  std::size_t len = ev.before.size() + cut;
  const char* at = ev.before.data();
  if (len > StreamMatcher::kContextBytes) {
    at += len - StreamMatcher::kContextBytes;
    len = StreamMatcher::kContextBytes;
  }
  out.before = std::string_view(at, len);
  advance(out.position, ev.bytes.data(), cut);
  return out;
}

// What a kept match will hold until take() is done: its line window (kept, then turned
// into two snippets), the secret (raw, redacted) and fixed-size fields.
std::size_t held_by(std::size_t window, std::size_t secret) { return 3 * window + 2 * secret + 512; }

}  // namespace

// Hyperscan reports every end offset at which a rule matches, so a rule that matches a
// long run (`[0-9A-Za-z]{4096}` over a 100 KB line) reports ~100k overlapping
// candidates. Like a regex search, we keep non-overlapping matches, leftmost first and
// as long as the rule allows; a candidate that can only overlap the last kept match of
// its rule is merged into it without being validated, so such a run costs O(1) per
// byte for a fixed-width rule.
void FindingBuilder::offer(const MatchEvent& ev, const Validator& validator) {
  if (truncated_at_) return;
  const std::optional<LastKept>& last = last_[ev.rule];
  if (!last) {
    if (auto m = validator.validate(ev)) keep(*m, false);
    return;
  }
  if (ev.end <= last->end) return;  // ends inside the kept match
  const RuleGeometry& g = validator.geometry(ev.rule);
  // The same start, a longer match: it replaces the kept one. Each try re-reads the
  // match so far, which over a run longer than the rule's widest match is quadratic:
  // past a budget per input, matches stop growing (they are still all reported).
  const uint64_t span = ev.end - last->start;
  if (span <= g.max_width && last->start >= ev.start && span <= extension_budget_) {
    extension_budget_ -= span;
    auto m = validator.validate(starting_at(ev, last->start));
    if (m && m->match_start == last->start) {
      keep(*m, true);
      return;
    }
  }
  // A match that begins where the kept one ends is new; any other overlaps it.
  if (ev.end - last->end < g.min_width) return;
  if (auto m = validator.validate(ev.start >= last->end ? ev : starting_at(ev, last->end))) keep(*m, false);
}

bool FindingBuilder::keep(const ValidatedMatch& m, bool replace_last) {
  const Rule& rule = rules_.rules[m.rule];
  std::optional<LastKept>& last = last_[m.rule];
  const std::size_t window =
      rule.kind == RuleKind::context ? 0 : line_before(m.before).size() + m.match.size() + line_after(m.after).size();
  const std::size_t cost = held_by(window, m.secret.size());
  const bool replacing = replace_last && last;
  if (!replacing && findings_.size() + context_.size() >= limits_.max_findings) {
    truncate(m.match_start);
    return false;
  }
  if (held_bytes_ - (replacing ? last->cost : 0) + cost > limits_.max_bytes) {
    truncate(m.match_start);
    return false;
  }
  // Kept matches of one rule do not overlap and arrive in order, so a longer match from
  // the same start takes the place of the last one kept, where it is held.
  if (replacing) held_bytes_ -= last->cost;
  const std::size_t slot = replacing ? last->index : kAppend;
  const std::size_t index = store(m, slot);
  held_bytes_ += cost;
  last = LastKept{m.match_start, m.match_start + m.match.size(), index, cost};
  return true;
}

void FindingBuilder::truncate(uint64_t at) {
  truncated_at_ = at;
  kept_when_truncated_ = findings_.size() + context_.size();
}

std::string FindingBuilder::truncation_detail() const {
  if (!truncated_at_) return {};
  return "findings limit reached (" + std::to_string(kept_when_truncated_) + " findings kept, at most " + std::to_string(limits_.max_findings) + " or " +
         std::to_string(limits_.max_bytes >> 20) + " MiB per input; --max-findings-per-input): matches from byte " +
         std::to_string(*truncated_at_) + " on were not examined";
}

void FindingBuilder::add(const ValidatedMatch& m) { store(m, kAppend); }

std::size_t FindingBuilder::store(const ValidatedMatch& m, std::size_t slot) {
  const Rule& rule = rules_.rules[m.rule];
  if (rule.kind == RuleKind::context) {
    ContextMatch c{ContextHit{rule.id, printable(m.secret), m.position.line, m.position.column}, m.secret_start};
    if (slot != kAppend) {
      context_[slot] = std::move(c);
      return slot;
    }
    context_.push_back(std::move(c));
    return context_.size() - 1;
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

  std::string_view head = line_before(m.before);
  std::string_view tail = line_after(m.after);
  Window w{m.match_start - head.size(), std::string(head)};
  w.bytes.append(m.match).append(tail);
  // No line break in all the context the matcher kept: the line goes on beyond it.
  w.cut_head = head.size() == m.before.size() && m.before.size() >= StreamMatcher::kContextBytes;
  w.cut_tail = tail.size() == m.after.size() && m.after.size() >= StreamMatcher::kContextBytes;
  if (slot != kAppend) {
    findings_[slot] = std::move(f);
    windows_[slot] = std::move(w);
    return slot;
  }
  findings_.push_back(std::move(f));
  windows_.push_back(std::move(w));
  return findings_.size() - 1;
}

std::string FindingBuilder::snippet(const Window& w, bool reveal_own, const Finding& own) const {
  // At a cut edge the word the window cuts may be the tail (or the start) of another
  // secret, too short for redact_token_like to know: it is left out, marked "…".
  auto word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '+' ||
           c == '/' || c == '=';
  };
  uint64_t at = w.start, end = w.start + w.bytes.size();
  // findings_ is sorted by offset and secrets are at most MatchDatabase::kMaxRuleWidth
  // long, so the spans inside the window start at most that far before it.
  uint64_t from = w.start > MatchDatabase::kMaxRuleWidth ? w.start - MatchDatabase::kMaxRuleWidth : 0;
  auto first = std::lower_bound(findings_.begin(), findings_.end(), from,
                                [](const Finding& g, uint64_t off) { return g.location.byte_offset < off; });
  // Findings in the window are shown redacted: trimming stops at them.
  uint64_t first_span = end, last_span = at;
  for (auto it = first; it != findings_.end() && it->location.byte_offset < end; ++it) {
    const uint64_t gs = it->location.byte_offset, ge = gs + it->location.byte_length;
    if (ge <= w.start) continue;
    first_span = std::min(first_span, std::max(gs, w.start));
    last_span = std::max(last_span, std::min(ge, end));
  }
  if (w.cut_head)
    while (at < first_span && word(w.bytes[at - w.start])) ++at;
  if (w.cut_tail)
    while (end > std::max(at, last_span) && word(w.bytes[end - 1 - w.start])) --end;
  std::string out = w.cut_head ? "…" : "";
  for (auto it = first; it != findings_.end() && it->location.byte_offset < end; ++it) {
    const Finding& g = *it;
    uint64_t gs = g.location.byte_offset, ge = gs + g.location.byte_length;
    if (ge <= at) continue;
    if (gs > at) out += printable(std::string_view(w.bytes).substr(at - w.start, gs - at));
    bool reveal = reveal_own && &g == &own;
    out += reveal ? printable(g.secret) : g.secret_redacted;
    at = std::min(ge, end);
  }
  if (at < end) out += printable(std::string_view(w.bytes).substr(at - w.start, end - at));
  if (w.cut_tail) out += "…";
  // Strings the validator did not keep (a failed checksum under --checksum require, a
  // token running into more letters) are still secret-shaped: never shown in full.
  return reveal_own ? out : redact_token_like(out, token_prefixes_);
}

std::vector<ContextHit> FindingBuilder::context_hits() const {
  std::vector<ContextHit> out;
  for (const ContextMatch& c : context_) out.push_back(c.hit);
  return out;
}

std::vector<Finding> FindingBuilder::take() {
  auto same = [](const Finding& a, const Finding& b) {
    return a.rule_index == b.rule_index && a.location.byte_offset == b.location.byte_offset &&
           a.location.byte_length == b.location.byte_length;
  };
  // Sort findings and their windows together, then drop duplicates.
  std::vector<std::size_t> order(findings_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const Finding &x = findings_[a], &y = findings_[b];
    if (x.location.byte_offset != y.location.byte_offset) return x.location.byte_offset < y.location.byte_offset;
    return x.rule_index < y.rule_index;
  });
  std::vector<Finding> sorted;
  std::vector<Window> windows;
  for (std::size_t i : order) {
    if (!sorted.empty() && same(sorted.back(), findings_[i])) continue;
    sorted.push_back(std::move(findings_[i]));
    windows.push_back(std::move(windows_[i]));
  }
  findings_ = std::move(sorted);
  windows_.clear();

  // Identical lines in one file get distinct fingerprints by occurrence, as GitHub's do.
  // The line hash stands in for GitHub's own, which would hash the secret's line: it
  // covers the line with every secret redacted, plus this secret's hash, so it survives
  // moves but reveals nothing.
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < findings_.size(); ++i) {
    Finding& f = findings_[i];
    f.snippet = snippet(windows[i], false, f);
    f.snippet_revealed = snippet(windows[i], true, f);
    std::string hash = sha256_hex(f.rule_id + "\n" + trim(f.snippet) + "\n" + f.secret_sha256).substr(0, 16);
    f.line_hash = hash + ":" + std::to_string(++seen[hash]);
    // An allow comment on the line accepts the finding (gitleaks' and detect-secrets'
    // markers too, so existing annotations keep working).
    for (const char* marker : {"sfmc-scan:allow", "gitleaks:allow", "pragma: allowlist secret"})
      if (f.snippet.find(marker) != std::string::npos) {
        f.suppression = Suppression{"inSource", std::string(marker) + " comment on the line"};
        break;
      }
  }

  // Attach, per context rule, the identifiers nearest to it in the same input (up to
  // three, nearest first): the candidates verification pairs a secret with. Each rule's
  // identifiers are sorted by offset once; each finding walks outwards from its own
  // offset, so a file with thousands of both stays linear-logarithmic.
  constexpr std::size_t kNearest = 3;
  std::map<std::string, std::vector<const ContextMatch*>> by_rule;
  for (const ContextMatch& c : context_) by_rule[c.hit.rule_id].push_back(&c);
  for (auto& [rule, list] : by_rule)
    std::stable_sort(list.begin(), list.end(), [](const ContextMatch* a, const ContextMatch* b) { return a->offset < b->offset; });
  for (Finding& f : findings_) {
    const uint64_t at = f.location.byte_offset;
    for (const auto& [rule, list] : by_rule) {
      auto right = std::lower_bound(list.begin(), list.end(), at, [](const ContextMatch* c, uint64_t o) { return c->offset < o; });
      auto left = right;
      std::set<std::string> values;  // the same id twice counts once
      while (values.size() < kNearest && (left != list.begin() || right != list.end())) {
        bool take_left = left != list.begin() &&
                         (right == list.end() || at - (*(left - 1))->offset <= (*right)->offset - at);
        const ContextMatch* c = take_left ? *--left : *right++;
        if (values.insert(c->hit.value).second) f.context.push_back(c->hit);
      }
    }
  }
  context_.clear();
  return std::move(findings_);
}

}  // namespace sfmc
