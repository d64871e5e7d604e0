#include "validate/validator.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "validate/checksum.hpp"
#include "validate/placeholder.hpp"

namespace sfmc {

// Hyperscan reports only where a match ends, and no groups. For a rule that is not
// fixed-width, or that names a secret group, PCRE2 (same syntax) runs once more over
// the candidate window, as `(?:regex)\z`: its leftmost match ending exactly where
// Hyperscan's did is the match, and the group is read from it.
struct Validator::Extractor {
  pcre2_code* code = nullptr;
  uint32_t group = 0;  // 0: the whole match is the secret
  ~Extractor() { pcre2_code_free(code); }
};

Validator::Validator(const RuleSet& rules, const MatchDatabase& db, ChecksumPolicy policy)
    : rules_(rules), policy_(policy) {
  for (std::size_t i = 0; i < rules.rules.size(); ++i) {
    const Rule& r = rules.rules[i];
    geometry_.push_back(db.geometry(i));
    if (r.secret_group.empty() && db.geometry(i).fixed_width()) {
      extractors_.push_back(nullptr);
      continue;
    }
    auto ex = std::make_unique<Extractor>();
    std::string pattern = "(?:" + r.regex + ")\\z";
    int err = 0;
    PCRE2_SIZE err_off = 0;
    ex->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.c_str()), pattern.size(), 0, &err, &err_off, nullptr);
    if (!ex->code) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof msg);
      throw RuleError("rule '" + r.id + "': regex rejected by PCRE2 at offset " + std::to_string(err_off) + ": " +
                      reinterpret_cast<const char*>(msg));
    }
    if (!r.secret_group.empty()) {
      int n = pcre2_substring_number_from_name(ex->code, reinterpret_cast<PCRE2_SPTR>(r.secret_group.c_str()));
      if (n <= 0) throw RuleError("rule '" + r.id + "': regex has no group named '" + r.secret_group + "'");
      ex->group = static_cast<uint32_t>(n);
    }
    pcre2_jit_compile(ex->code, PCRE2_JIT_COMPLETE);  // best effort: falls back to the interpreter
    extractors_.push_back(std::move(ex));
  }
}

Validator::~Validator() = default;

std::optional<ValidatedMatch> Validator::validate(const MatchEvent& ev) const {
  const Rule& rule = rules_.rules[ev.rule];
  ValidatedMatch out;
  out.rule = ev.rule;
  out.match = ev.bytes;
  out.before = ev.before;
  out.after = ev.after;
  out.match_start = ev.start;
  std::size_t secret_off = 0, secret_len = ev.bytes.size();

  if (const Extractor* ex = extractors_[ev.rule].get()) {
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(ex->code, nullptr);
    int rc = pcre2_match(ex->code, reinterpret_cast<PCRE2_SPTR>(ev.bytes.data()), ev.bytes.size(), 0, 0, md, nullptr);
    if (rc <= 0) {
      pcre2_match_data_free(md);
      return std::nullopt;
    }
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    std::size_t ms = ov[0];
    std::size_t gs = ov[2 * ex->group], ge = ov[2 * ex->group + 1];
    pcre2_match_data_free(md);
    if (gs == PCRE2_UNSET || ge <= gs) return std::nullopt;
    // The bytes the window held before the match are context, contiguous with `before`.
    out.before = std::string_view(ev.before.data(), ev.before.size() + ms);
    if (out.before.size() > StreamMatcher::kContextBytes)
      out.before.remove_prefix(out.before.size() - StreamMatcher::kContextBytes);
    out.match = ev.bytes.substr(ms);
    out.match_start = ev.start + ms;
    secret_off = gs - ms;
    secret_len = ge - gs;
  }

  // Boundaries that Hyperscan cannot express: a token followed by more alphanumerics is
  // part of a longer string, not a token.
  if (!rule.not_preceded_by.empty() && !out.before.empty() &&
      rule.not_preceded_by.contains(static_cast<unsigned char>(out.before.back())))
    return std::nullopt;
  if (!rule.not_followed_by.empty() && !out.after.empty() &&
      rule.not_followed_by.contains(static_cast<unsigned char>(out.after.front())))
    return std::nullopt;

  out.secret = out.match.substr(secret_off, secret_len);
  out.secret_start = out.match_start + secret_off;
  out.position = ev.position;
  advance(out.position, ev.bytes.data(), static_cast<std::size_t>(out.secret_start - ev.start));
  out.end_position = out.position;
  advance(out.end_position, out.secret.data(), out.secret.size());

  std::string_view body = out.secret;
  if (!rule.prefix.empty() && body.substr(0, rule.prefix.size()) == rule.prefix) body.remove_prefix(rule.prefix.size());
  if (rule.checksum)
    body = body.substr(0, body.size() >= rule.checksum->width() ? body.size() - rule.checksum->width() : 0);
  out.verdict = Verdict::unchecked;
  if (rule.checksum && policy_ != ChecksumPolicy::ignore) {
    if (checksum_holds(*rule.checksum, out.secret, rule.prefix)) {
      out.verdict = Verdict::checksum_valid;
    } else {
      if (policy_ == ChecksumPolicy::require) return std::nullopt;
      out.verdict = Verdict::checksum_invalid;
      out.reason = "checksum does not match";
    }
  } else if (rule.checksum) {
    out.reason = "checksum not checked (--checksum ignore)";
  }
  if (rule.placeholder) {
    std::string why = placeholder_reason(*rule.placeholder, body);
    if (!why.empty()) {
      out.verdict = Verdict::placeholder;
      out.reason = "placeholder: " + why;
    }
  }
  return out;
}

}  // namespace sfmc
