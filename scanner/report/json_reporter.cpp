// JSON (one document, written at the end) and JSON Lines (one object per line, written
// as each input completes, so memory stays flat on huge sweeps).
#include <ctime>
#include <ostream>

#include "report/json_fields.hpp"

namespace sfmc {

nlohmann::json context_json(const std::vector<ContextHit>& context) {
  nlohmann::json out = nlohmann::json::array();
  for (const ContextHit& c : context)
    out.push_back({{"rule", c.rule_id}, {"value", c.value}, {"line", c.line}, {"column", c.column}});
  return out;
}

nlohmann::json finding_json(const Finding& f, const ReportOptions& options) {
  nlohmann::json j = {
      {"type", "finding"},
      {"rule", f.rule_id},
      {"level", to_string(f.level)},
      {"verdict", to_string(f.verdict)},
      {"path", f.location.path},
      {"line", f.location.line},
      {"column", f.location.column},
      {"end_line", f.location.end_line},
      {"end_column", f.location.end_column},
      {"offset", f.location.byte_offset},
      {"length", f.location.byte_length},
      {"secret", options.show_secrets ? f.secret : f.secret_redacted},
      {"secret_redacted", f.secret_redacted},
      {"secret_sha256", f.secret_sha256},
      {"fingerprint", f.line_hash},
      {"snippet", options.show_secrets ? f.snippet_revealed : f.snippet},
  };
  if (!f.reason.empty()) j["reason"] = f.reason;
  if (!f.context.empty()) j["context"] = context_json(f.context);
  if (f.git) j["git"] = git_json(*f.git);
  j["encoding"] = f.encoding;
  // The encodings decoded in place, apart from the path: the location is in the file.
  if (!f.decoded.empty()) j["decoded"] = f.decoded;
  if (f.mtime) j["mtime"] = iso_utc(f.mtime);
  if (!f.etag.empty()) j["etag"] = f.etag;
  if (f.first_seen) {
    j["first_seen"] = iso_utc(f.first_seen);
    j["expires_no_later_than"] = iso_utc(f.expires_no_later_than);
    j["expired"] = f.expired;
  }
  if (!f.verification.empty()) {
    j["verification"] = f.verification;
    j["verification_detail"] = f.verification_detail;
  }
  if (f.suppression) j["suppressed"] = {{"kind", f.suppression->kind}, {"justification", f.suppression->justification}};
  return j;
}

int64_t parse_iso(const std::string& text) {
  struct tm tm {};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return end && !*end ? static_cast<int64_t>(timegm(&tm)) : 0;
}

std::string iso_utc(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json git_json(const GitOrigin& g) {
  nlohmann::json j = {{"blob", g.blob}, {"reachable", g.reachable}, {"refs", g.refs}};
  if (!g.commit.empty()) {
    j["commit"] = g.commit;
    j["author"] = g.author;
    j["date"] = g.date;
  }
  if (!g.other_paths.empty()) j["other_paths"] = g.other_paths;
  if (!g.repository.empty()) j["repository"] = g.repository;
  if (g.path_at_head) j["path_at_head"] = *g.path_at_head;
  if (!g.allow_comment_added_by.empty()) j["allow_comment_added_by"] = g.allow_comment_added_by;
  if (g.ref_count > g.refs.size()) j["ref_count"] = g.ref_count;
  if (g.kind != GitObjectKind::blob) {
    j["object"] = std::string(to_string(g.kind));  // the path is empty: the commit or tag names the place
    j.erase("blob");
  }
  if (g.kind == GitObjectKind::tag_message) {
    j["tag"] = g.tag;
    j["tag_object"] = g.tag_object;
    j["tagger"] = g.author;
    j["date"] = g.date;
  }
  return j;
}

nlohmann::json skipped_json(const Skipped& s) {
  nlohmann::json j = {{"type", "skipped"}, {"path", s.path}, {"reason", to_string(s.reason)}, {"detail", s.detail}};
  if (!s.repository.empty()) j["repository"] = s.repository;
  return j;
}

nlohmann::json summary_json(const ScanStats& stats) {
  nlohmann::json by_verdict = nlohmann::json::object();
  for (const auto& [v, n] : stats.findings_by_verdict) by_verdict[std::string(to_string(v))] = n;
  nlohmann::json by_reason = nlohmann::json::object();
  for (const auto& [r, n] : stats.skipped_by_reason) by_reason[std::string(to_string(r))] = n;
  double mbps = stats.seconds > 0 ? static_cast<double>(stats.bytes_scanned) / 1e6 / stats.seconds : 0.0;
  nlohmann::json j = {{"type", "summary"},
          {"inputs_scanned", stats.inputs_scanned},
          {"bytes_scanned", stats.bytes_scanned},
          {"findings", stats.findings()},
          {"findings_by_verdict", by_verdict},
          {"skipped", stats.skipped()},
          {"suppressed", stats.suppressed},
          {"skipped_by_reason", by_reason},
          {"seconds", stats.seconds},
          {"mb_per_second", mbps}};
  // Counted, not reported one by one: nothing was lost in them (decode/content.cpp).
  if (stats.decoded_not_archives) j["decoded_not_archives"] = stats.decoded_not_archives;
  // --state: what earlier sweeps read and reported, not done again.
  if (stats.unchanged) j["unchanged"] = stats.unchanged;
  if (stats.reported_before) j["reported_before"] = stats.reported_before;
  // Only in range and push modes, where a change can add an allow comment of its own.
  if (!stats.new_allow_comments.empty()) j["new_allow_comments"] = stats.new_allow_comments;
  return j;
}

namespace {

class JsonLinesReporter final : public Reporter {
 public:
  JsonLinesReporter(const ReportOptions& options, std::ostream& out) : options_(options), out_(out) {}
  void on_input(InputResult&& r) override {
    for (const Finding& f : r.findings) out_ << finding_json(f, options_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    if (r.skipped) out_ << skipped_json(*r.skipped).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    if (!r.findings.empty()) out_.flush();
  }
  void finish(const ScanStats& stats) override { out_ << summary_json(stats).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush; }

 private:
  ReportOptions options_;
  std::ostream& out_;
};

class JsonReporter final : public Reporter {
 public:
  JsonReporter(const ReportOptions& options, std::ostream& out) : options_(options), out_(out) {}
  void on_input(InputResult&& r) override {
    for (const Finding& f : r.findings) findings_.push_back(finding_json(f, options_));
    if (r.skipped) skipped_.push_back(skipped_json(*r.skipped));
  }
  void finish(const ScanStats& stats) override {
    nlohmann::json doc = {{"tool", {{"name", "sfmc-scan"}, {"version", SFMC_VERSION}}},
                          {"findings", std::move(findings_)},
                          {"skipped", std::move(skipped_)},
                          {"summary", summary_json(stats)}};
    out_ << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  }

 private:
  ReportOptions options_;
  std::ostream& out_;
  nlohmann::json findings_ = nlohmann::json::array();
  nlohmann::json skipped_ = nlohmann::json::array();
};

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(const ReportOptions& options, std::ostream& out) {
  return std::make_unique<JsonReporter>(options, out);
}

std::unique_ptr<Reporter> make_jsonl_reporter(const ReportOptions& options, std::ostream& out) {
  return std::make_unique<JsonLinesReporter>(options, out);
}

}  // namespace sfmc
