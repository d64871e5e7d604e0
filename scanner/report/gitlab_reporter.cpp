// GitLab's secret-detection report (gl-secret-detection-report.json, the
// `secret_detection` report of GitLab's security-report schemas, 15.0.x), so findings
// reach the merge-request widget and the vulnerability report. Like SARIF, it points
// at files in the repository: a finding inside an archive names the archive, and the
// member chain is in the description and the details.
#include <ctime>
#include <ostream>

#include "core/sha256.hpp"
#include "report/json_fields.hpp"
#include "report/location_uri.hpp"

namespace sfmc {

namespace {

constexpr const char* kSchemaVersion = "15.0.7";
// GitLab's own analyzers name a commit this way when the scan had none.
constexpr const char* kNoCommit = "0000000";

// yyyy-mm-ddThh:mm:ss in UTC, the only form the schema's start_time/end_time accept.
std::string gitlab_time(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

// The schema asks for a UUID; a stable one (from what the finding is and where) keeps a
// vulnerability the same across pipelines.
std::string stable_uuid(const std::string& key) {
  std::string h = sha256_hex(key).substr(0, 32);
  h[12] = '5';  // name-based, like a version-5 UUID
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

std::string severity(const Finding& f, const Rule& rule) {
  if (f.verification == "live") return "Critical";
  if (f.level == Level::note) return "Info";
  if (f.level == Level::warning) return "Medium";
  double s = rule.security_severity;  // SARIF security-severity bands, as GitHub grades them
  return s >= 9.0 ? "Critical" : s >= 7.0 ? "High" : s >= 4.0 ? "Medium" : "Low";
}

nlohmann::json tool_json(const char* id) {
  return {{"id", id}, {"name", "sfmc-scan"}, {"version", SFMC_VERSION}, {"vendor", {{"name", "sfmc-scan"}}}};
}

class GitlabReporter final : public Reporter {
 public:
  GitlabReporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out)
      : rules_(rules), options_(options), out_(out), started_(std::time(nullptr)) {}

  void on_input(InputResult&& r) override {
    if (r.skipped && (options_.verbose || !skipped_by_choice(r.skipped->reason)))
      messages_.push_back({{"level", "warn"},
                           {"value", r.skipped->path + ": skipped (" + std::string(to_string(r.skipped->reason)) +
                                         "): " + r.skipped->detail}});
    const std::vector<std::string> chain = r.chain.empty() ? std::vector<std::string>{r.path} : r.chain;
    for (const Finding& f : r.findings)
      if (!f.suppression) vulnerabilities_.push_back(vulnerability(f, chain));
  }

  void finish(const ScanStats&) override {
    nlohmann::json scan = {{"analyzer", tool_json("sfmc-scan")},
                           {"scanner", tool_json("sfmc-scan")},
                           {"type", "secret_detection"},
                           {"start_time", gitlab_time(started_)},
                           {"end_time", gitlab_time(std::time(nullptr))},
                           {"status", "success"}};
    if (!messages_.empty()) scan["messages"] = std::move(messages_);
    nlohmann::json doc = {{"version", kSchemaVersion}, {"scan", std::move(scan)}, {"vulnerabilities", std::move(vulnerabilities_)}};
    out_ << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  }

 private:
  nlohmann::json vulnerability(const Finding& f, const std::vector<std::string>& chain) const {
    const Rule& rule = rules_.rules[f.rule_index];
    std::string file = chain.front();
    if (file.rfind("./", 0) == 0) file = file.substr(2);
    std::string commit = f.git && !f.git->commit.empty() ? f.git->commit
                         : options_.version_control && !options_.version_control->revision.empty() && !f.git
                             ? options_.version_control->revision
                             : kNoCommit;
    // The secret itself never goes into the report: GitLab keeps it in its database.
    std::string description = rule.description + ": " + f.secret_redacted + " (" + std::string(to_string(f.verdict));
    if (!f.reason.empty()) description += ": " + f.reason;
    description += ")";
    if (chain.size() > 1) description += ", at line " + std::to_string(f.location.line) + " of " + chain_text(chain);
    if (!f.decoded.empty()) description += ", decoded from " + decoded_text(f.decoded);
    if (f.git && !f.git->commit.empty()) description += ", introduced in commit " + f.git->commit.substr(0, 7) + " (" + f.git->date.substr(0, 10) + ")";
    if (f.git && f.git->path_at_head == false) description += "; " + file + " no longer exists at HEAD";
    nlohmann::json location = {{"file", file}, {"commit", {{"sha", commit}}}};
    if (chain.size() > 1) {
      location["start_line"] = 1;  // the member's lines are not the archive's
    } else {
      location["start_line"] = f.location.line;
      location["end_line"] = f.location.end_line;
    }
    if (f.git && !f.git->commit.empty()) {
      location["commit"]["author"] = f.git->author;
      location["commit"]["date"] = f.git->date;
    }
    nlohmann::json details = {
        {"verdict", {{"name", "Verdict"}, {"type", "value"}, {"value", std::string(to_string(f.verdict))}}},
        {"secret_sha256", {{"name", "SHA-256 of the secret"}, {"type", "value"}, {"value", f.secret_sha256}}},
    };
    if (chain.size() > 1)
      details["inner_location"] = {{"name", "Inside"},
                                   {"type", "file-location"},
                                   {"file_name", f.location.path},
                                   {"line_start", f.location.line},
                                   {"line_end", f.location.end_line}};
    if (f.git && !f.git->commit.empty())
      details["commit"] = {{"name", "Introduced by"}, {"type", "commit"}, {"value", f.git->commit}};
    if (f.expires_no_later_than)
      details["expires_no_later_than"] = {{"name", "Expires no later than"}, {"type", "value"}, {"value", iso_utc(f.expires_no_later_than)}};
    std::string solution = rule.help_text.size() > 7000 ? rule.help_text.substr(0, 6997) + "..." : rule.help_text;
    nlohmann::json v = {
        {"id", stable_uuid(f.rule_id + "\n" + f.secret_sha256 + "\n" + f.location.path + "\n" + std::to_string(f.location.line) + "\n" + commit)},
        {"category", "secret_detection"},
        {"name", rule.description.substr(0, 255)},
        {"description", description},
        {"severity", severity(f, rule)},
        {"confidence", f.verdict == Verdict::checksum_valid ? "High" : "Medium"},
        {"scanner", {{"id", "sfmc-scan"}, {"name", "sfmc-scan"}}},
        {"location", std::move(location)},
        {"identifiers", nlohmann::json::array({{{"type", "sfmc_scan_rule_id"}, {"name", "sfmc-scan rule " + f.rule_id}, {"value", f.rule_id}}})},
        {"raw_source_code_extract", f.snippet},  // redacted, even with --show-secrets
        {"details", std::move(details)},
    };
    if (!solution.empty()) v["solution"] = solution;
    return v;
  }

  const RuleSet& rules_;
  ReportOptions options_;
  std::ostream& out_;
  std::time_t started_;
  nlohmann::json vulnerabilities_ = nlohmann::json::array();
  nlohmann::json messages_ = nlohmann::json::array();
};

}  // namespace

std::unique_ptr<Reporter> make_gitlab_reporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out) {
  return std::make_unique<GitlabReporter>(rules, options, out);
}

}  // namespace sfmc
