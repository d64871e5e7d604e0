// SARIF 2.1.0 for GitHub code scanning: one run, every rule fully described, our own
// partialFingerprints (the uploader would otherwise hash the line, secret included),
// and inputs that could not be scanned as tool execution notifications.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

#include "core/sha256.hpp"
#include "report/json_fields.hpp"
#include "report/location_uri.hpp"

namespace sfmc {

namespace {

std::string severity_string(double v) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  s << v;
  return s.str();
}

class SarifReporter final : public Reporter {
 public:
  SarifReporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out)
      : rules_(rules), options_(options), out_(out) {
    workdir_ = options.working_directory.empty() ? std::filesystem::current_path().string() : options.working_directory;
    for (std::size_t i = 0; i < rules.rules.size(); ++i)
      if (rules.rules[i].kind == RuleKind::secret) {
        rule_index_[i] = rules_json_.size();
        rules_json_.push_back(rule_json(rules.rules[i]));
      }
  }

  void on_input(InputResult&& r) override {
    if (r.skipped && (options_.verbose || r.skipped->reason != SkipReason::symlink)) notify(*r.skipped);
    // GitHub opens alerts for suppressed results anyway: leave them out unless asked.
    if (!options_.include_suppressed)
      r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.suppression.has_value(); }),
                       r.findings.end());
    if (r.findings.empty()) return;
    nlohmann::json artifact_location = artifact_for(r.chain.empty() ? std::vector<std::string>{r.path} : r.chain, r.bytes);
    for (const Finding& f : r.findings) results_.push_back(result_json(f, artifact_location));
  }

  void finish(const ScanStats& stats) override {
    nlohmann::json driver = {
        {"name", "sfmc-scan"},
        {"version", SFMC_VERSION},
        {"semanticVersion", SFMC_VERSION},
        {"rules", std::move(rules_json_)},
    };
    nlohmann::json invocation = {
        {"executionSuccessful", true},
        {"toolExecutionNotifications", std::move(notifications_)},
        {"properties",
         {{"inputsScanned", stats.inputs_scanned},
          {"bytesScanned", stats.bytes_scanned},
          {"skipped", stats.skipped()},
          {"seconds", stats.seconds}}},
    };
    nlohmann::json run = {
        {"tool", {{"driver", std::move(driver)}}},
        {"invocations", nlohmann::json::array({std::move(invocation)})},
        {"originalUriBaseIds", {{"SRCROOT", {{"uri", folder_file_uri(workdir_)}}}}},
        {"columnKind", "unicodeCodePoints"},
        {"artifacts", std::move(artifacts_)},
        {"results", std::move(results_)},
    };
    nlohmann::json doc = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", nlohmann::json::array({std::move(run)})},
    };
    out_ << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  }

 private:
  // The artifact for an input, or for an archive member: one artifact per level of the
  // chain, each member pointing at its container with parentIndex. Returns the
  // artifactLocation a result names.
  nlohmann::json artifact_for(const std::vector<std::string>& chain, uint64_t length) {
    std::string key;
    std::optional<std::size_t> parent;
    nlohmann::json location;
    for (std::size_t level = 0; level < chain.size(); ++level) {
      key += (level ? "!" : "") + chain[level];
      if (level == 0) {
        ArtifactUri uri = artifact_uri(chain[0], workdir_);
        location = {{"uri", uri.uri}};
        if (uri.relative) location["uriBaseId"] = "SRCROOT";
      } else {
        location = {{"uri", percent_encode_path(chain[level])}};  // relative to its container
      }
      auto it = artifact_index_.find(key);
      if (it == artifact_index_.end()) {
        nlohmann::json artifact = {{"location", location}};
        if (parent) artifact["parentIndex"] = *parent;
        artifact["roles"] = {"analysisTarget"};
        if (level + 1 == chain.size()) artifact["length"] = length;
        it = artifact_index_.emplace(key, artifacts_.size()).first;
        artifacts_.push_back(std::move(artifact));
      }
      parent = it->second;
    }
    location["index"] = *parent;
    return location;
  }

  nlohmann::json rule_json(const Rule& r) const {
    nlohmann::json tags = nlohmann::json::array({"security", "secret"});
    for (const std::string& t : r.tags)
      if (t != "security" && t != "secret") tags.push_back(t);
    return {
        {"id", r.id},
        {"name", r.name},
        {"shortDescription", {{"text", r.description}}},
        {"fullDescription", {{"text", r.full_description}}},
        {"help", {{"text", r.help_text}, {"markdown", r.help_markdown}}},
        {"defaultConfiguration", {{"level", "error"}}},
        {"properties",
         {{"security-severity", severity_string(r.security_severity)}, {"precision", r.precision}, {"tags", tags}}},
    };
  }

  nlohmann::json result_json(const Finding& f, const nlohmann::json& artifact_location) const {
    const Rule& rule = rules_.rules[f.rule_index];
    std::string message = rule.description + ": " + f.secret_redacted + " (" + std::string(to_string(f.verdict));
    if (!f.reason.empty()) message += ": " + f.reason;
    message += ")";
    nlohmann::json region = {
        {"startLine", f.location.line},
        {"startColumn", f.location.column},
        {"endLine", f.location.end_line},
        {"endColumn", f.location.end_column},
        {"snippet", {{"text", options_.show_secrets ? f.snippet_revealed : f.snippet}}},
    };
    // Byte offsets count the matched text; for decoded UTF-16 that is not the file's bytes.
    if (f.encoding.rfind("utf-16", 0) != 0) {
      region["byteOffset"] = f.location.byte_offset;
      region["byteLength"] = f.location.byte_length;
    }
    nlohmann::json properties = {{"validation", to_string(f.verdict)}, {"secretRedacted", f.secret_redacted},
                                 {"encoding", f.encoding}};
    if (f.mtime) properties["mtime"] = iso_utc(f.mtime);
    if (!f.verification.empty()) properties["verification"] = f.verification;
    // GitHub grades alerts by the rule's security-severity (9.1: critical); a secret
    // the endpoint just accepted is marked at the top of the scale for other consumers.
    if (f.verification == "live") properties["security-severity"] = "10.0";
    if (f.first_seen) {
      properties["firstSeen"] = iso_utc(f.first_seen);
      properties["expiresNoLaterThan"] = iso_utc(f.expires_no_later_than);
      properties["expired"] = f.expired;
    }
    if (!f.reason.empty()) properties["reason"] = f.reason;
    if (options_.show_secrets) properties["secret"] = f.secret;
    if (!f.context.empty()) properties["context"] = context_json(f.context);
    nlohmann::json fingerprints = {{"primaryLocationLineHash", f.line_hash}, {"secretHash/v1", f.secret_sha256}};
    if (f.git) {
      properties["blob"] = f.git->blob;
      properties["refs"] = f.git->refs;
      properties["reachable"] = f.git->reachable;
      if (!f.git->commit.empty()) {
        properties["commit"] = f.git->commit;
        properties["author"] = f.git->author;
        properties["date"] = f.git->date;
        // The same secret introduced again by another commit is another alert.
        fingerprints["commitSecretHash/v1"] = sha256_hex(f.git->commit + ":" + f.secret_sha256);
      }
      if (!f.git->other_paths.empty()) properties["otherPaths"] = f.git->other_paths;
      if (!f.git->repository.empty()) properties["repository"] = f.git->repository;
    }
    nlohmann::json result = {
        {"ruleId", f.rule_id},
        {"ruleIndex", rule_index_.at(f.rule_index)},
        {"level", to_string(f.level)},
        {"message", {{"text", message}}},
        {"locations",
         nlohmann::json::array({{{"physicalLocation", {{"artifactLocation", artifact_location}, {"region", region}}}}})},
        {"partialFingerprints", fingerprints},
        {"properties", properties},
    };
    // SARIF wants suppressions on every result or on none.
    if (options_.include_suppressed) {
      result["suppressions"] = nlohmann::json::array();
      if (f.suppression)
        result["suppressions"].push_back({{"kind", f.suppression->kind}, {"justification", f.suppression->justification}});
    }
    return result;
  }

  void notify(const Skipped& s) {
    ArtifactUri uri = artifact_uri(s.path, workdir_);
    nlohmann::json artifact_location = {{"uri", uri.uri}};
    if (uri.relative) artifact_location["uriBaseId"] = "SRCROOT";
    notifications_.push_back({
        {"level", s.reason == SkipReason::symlink ? "note" : "warning"},
        {"message", {{"text", s.path + ": skipped (" + std::string(to_string(s.reason)) + "): " + s.detail}}},
        {"descriptor", {{"id", std::string(to_string(s.reason))}}},
        {"locations", nlohmann::json::array({{{"physicalLocation", {{"artifactLocation", artifact_location}}}}})},
    });
  }

  const RuleSet& rules_;
  ReportOptions options_;
  std::ostream& out_;
  std::string workdir_;
  std::map<std::size_t, std::size_t> rule_index_;  // RuleSet index -> index in tool.driver.rules
  std::map<std::string, std::size_t> artifact_index_;  // "outer.zip!inner/x" -> index in artifacts
  nlohmann::json rules_json_ = nlohmann::json::array();
  nlohmann::json artifacts_ = nlohmann::json::array();
  nlohmann::json results_ = nlohmann::json::array();
  nlohmann::json notifications_ = nlohmann::json::array();
};

}  // namespace

std::unique_ptr<Reporter> make_sarif_reporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out) {
  return std::make_unique<SarifReporter>(rules, options, out);
}

}  // namespace sfmc
