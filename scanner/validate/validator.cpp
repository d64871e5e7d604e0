#include "validate/validator.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "validate/checksum.hpp"
#include "validate/placeholder.hpp"

namespace sfmc {

// Hyperscan cannot report capture groups, so a rule that names a secret group is
// run once more through PCRE2 (same syntax), anchored on the candidate span only.
struct Validator::Extractor {
  pcre2_code* code = nullptr;
  uint32_t group = 0;
  ~Extractor() { pcre2_code_free(code); }
};

Validator::Validator(const RuleSet& rules, ChecksumPolicy policy) : rules_(rules), policy_(policy) {
  for (const Rule& r : rules.rules) {
    if (r.secret_group.empty()) {
      extractors_.push_back(nullptr);
      continue;
    }
    auto ex = std::make_unique<Extractor>();
    int err = 0;
    PCRE2_SIZE err_off = 0;
    ex->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(r.regex.c_str()), r.regex.size(), 0, &err, &err_off, nullptr);
    if (!ex->code) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof msg);
      throw RuleError("rule '" + r.id + "': regex rejected by PCRE2 at offset " + std::to_string(err_off) + ": " +
                      reinterpret_cast<const char*>(msg));
    }
    int n = pcre2_substring_number_from_name(ex->code, reinterpret_cast<PCRE2_SPTR>(r.secret_group.c_str()));
    if (n <= 0) throw RuleError("rule '" + r.id + "': regex has no group named '" + r.secret_group + "'");
    ex->group = static_cast<uint32_t>(n);
    pcre2_jit_compile(ex->code, PCRE2_JIT_COMPLETE);  // best effort: falls back to the interpreter
    extractors_.push_back(std::move(ex));
  }
}

Validator::~Validator() = default;

std::optional<ValidatedMatch> Validator::validate(const MatchEvent& ev) const {
  const Rule& rule = rules_.rules[ev.rule];
  // Boundaries that Hyperscan cannot express: a token followed by more alphanumerics is
  // part of a longer string, not a token.
  if (!rule.not_preceded_by.empty() && !ev.before.empty() &&
      rule.not_preceded_by.contains(static_cast<unsigned char>(ev.before.back())))
    return std::nullopt;
  if (!rule.not_followed_by.empty() && !ev.after.empty() &&
      rule.not_followed_by.contains(static_cast<unsigned char>(ev.after.front())))
    return std::nullopt;

  ValidatedMatch out;
  out.rule = ev.rule;
  out.secret = ev.bytes;
  std::size_t secret_off = 0;
  if (const Extractor* ex = extractors_[ev.rule].get()) {
    pcre2_match_data* md = pcre2_match_data_create_from_pattern(ex->code, nullptr);
    int rc = pcre2_match(ex->code, reinterpret_cast<PCRE2_SPTR>(ev.bytes.data()), ev.bytes.size(), 0,
                         PCRE2_ANCHORED, md, nullptr);
    if (rc <= 0) {
      pcre2_match_data_free(md);
      return std::nullopt;
    }
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    PCRE2_SIZE gs = ov[2 * ex->group], ge = ov[2 * ex->group + 1];
    pcre2_match_data_free(md);
    if (gs == PCRE2_UNSET || ge <= gs) return std::nullopt;
    secret_off = gs;
    out.secret = ev.bytes.substr(gs, ge - gs);
  }
  out.secret_start = ev.start + secret_off;
  out.position = ev.position;
  advance(out.position, ev.bytes.data(), secret_off);
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
