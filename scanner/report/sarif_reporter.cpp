// SARIF 2.1.0 for GitHub code scanning: one run, every rule fully described, our own
// partialFingerprints (the uploader would otherwise hash the line, secret included),
// and inputs that could not be scanned as tool execution notifications.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

#include <zlib.h>

#include "core/percent_encoding.hpp"
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
    if (r.skipped && (options_.verbose || !skipped_by_choice(r.skipped->reason))) notify(*r.skipped);
    // GitHub opens alerts for suppressed results anyway: leave them out unless asked.
    if (!options_.include_suppressed)
      r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.suppression.has_value(); }),
                       r.findings.end());
    if (r.findings.empty()) return;
    // A commit or tag message, or a blob no commit holds, is no file: no artifact. Its
    // result names the git object (logicalLocations), never a made-up path.
    if (r.path.empty()) {
      for (const Finding& f : r.findings) results_.push_back(result_json(f, {}, nullptr, nullptr));
      return;
    }
    const std::vector<std::string> chain = r.chain.empty() ? std::vector<std::string>{r.path} : r.chain;
    auto [outermost, innermost] = artifact_for(chain, r.bytes);
    for (const Finding& f : r.findings) results_.push_back(result_json(f, chain, outermost, innermost));
  }

  void finish(const ScanStats& stats) override {
    nlohmann::json driver = {
        {"name", "sfmc-scan"},
        {"informationUri", SFMC_HOMEPAGE_URL},
        {"version", SFMC_VERSION},
        {"semanticVersion", SFMC_VERSION},
        {"rules", std::move(rules_json_)},
    };
    nlohmann::json invocation = {
        // Inputs left unread or partly unscanned (a failed read, a decoder limit, a decoder module missing) make the
        // run exit 2: it did not do all it was asked, and says so here too.
        {"executionSuccessful", std::none_of(stats.skipped_by_reason.begin(), stats.skipped_by_reason.end(),
                                             [](const auto& kv) { return leaves_content_unscanned(kv.first); })},
        {"toolExecutionNotifications", std::move(notifications_)},
        {"properties",
         {{"inputsScanned", stats.inputs_scanned},
          {"bytesScanned", stats.bytes_scanned},
          {"skipped", stats.skipped()},
          {"seconds", stats.seconds}}},
    };
    limit_results();
    if (!cut_notification_.is_null()) invocation["toolExecutionNotifications"].push_back(cut_notification_);
    nlohmann::json run = {
        {"tool", {{"driver", std::move(driver)}}},
        {"invocations", nlohmann::json::array({std::move(invocation)})},
        {"originalUriBaseIds", {{"SRCROOT", {{"uri", folder_file_uri(workdir_)}}}}},
        {"columnKind", "unicodeCodePoints"},
        {"artifacts", std::move(artifacts_)},
        {"results", std::move(results_)},
    };
    // GitHub keys alerts by tool and category: several uploads for one commit (a tree
    // scan and a history scan) must each say which they are, or replace each other.
    if (!options_.category.empty()) run["automationDetails"] = {{"id", options_.category}};
    if (options_.version_control) {
      const VersionControl& vc = *options_.version_control;
      nlohmann::json details = {
          {"repositoryUri", vc.repository_uri.empty() ? folder_file_uri(workdir_) : vc.repository_uri},
          {"mappedTo", {{"uriBaseId", "SRCROOT"}}}};
      if (!vc.revision.empty()) details["revisionId"] = vc.revision;
      if (!vc.branch.empty()) details["branch"] = vc.branch;
      run["versionControlProvenance"] = nlohmann::json::array({std::move(details)});
    }
    const std::size_t result_count = run["results"].size();
    nlohmann::json doc = {
        {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
        {"version", "2.1.0"},
        {"runs", nlohmann::json::array({std::move(run)})},
    };
    std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
    check_github_limits(result_count, text);
    out_ << text << std::flush;
  }

  std::vector<std::string> warnings() const override { return warnings_; }

 private:
  // The artifact for an input, or for an archive member: one artifact per level of the
  // chain, each member pointing at its container with parentIndex. Returns the
  // artifactLocations of the outermost input (what GitHub links an alert to) and of the
  // innermost member (where the finding is).
  std::pair<nlohmann::json, nlohmann::json> artifact_for(const std::vector<std::string>& chain, uint64_t length) {
    std::string key;
    std::optional<std::size_t> parent;
    nlohmann::json location, outermost;
    for (std::size_t level = 0; level < chain.size(); ++level) {
      key += (level ? "!" : "") + chain[level];
      if (level == 0) {
        ArtifactUri uri = artifact_uri(chain[0], workdir_);
        location = {{"uri", uri.uri}};
        if (uri.relative) location["uriBaseId"] = "SRCROOT";
      } else {
        location = {{"uri", percent_encode(chain[level])}};  // relative to its container
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
      if (level == 0) {
        outermost = location;
        outermost["index"] = *parent;
      }
    }
    location["index"] = *parent;
    return {outermost, location};
  }

  nlohmann::json rule_json(const Rule& r) const {
    nlohmann::json tags = nlohmann::json::array({"security", "secret"});
    for (const std::string& t : r.tags)
      if (t != "security" && t != "secret") tags.push_back(t);
    nlohmann::json rule = {
        {"id", r.id},
        {"name", r.name},
        {"shortDescription", {{"text", r.description}}},
        {"fullDescription", {{"text", r.full_description}}},
        {"help", {{"text", r.help_text}, {"markdown", r.help_markdown}}},
        {"defaultConfiguration", {{"level", "error"}}},
        {"properties",
         {{"security-severity", severity_string(r.security_severity)}, {"precision", r.precision}, {"tags", tags}}},
    };
    if (!r.help_uri.empty()) rule["helpUri"] = r.help_uri;
    return rule;
  }

  // The alert title GitHub shows: what was found, then where when the location alone
  // does not say it (a member of an archive, a commit in history).
  std::string message_text(const Finding& f, const std::vector<std::string>& chain) const {
    const Rule& rule = rules_.rules[f.rule_index];
    std::string message = rule.description + ": " + f.secret_redacted + " (" + std::string(to_string(f.verdict));
    if (!f.reason.empty()) message += ": " + f.reason;
    message += ")";
    if (chain.size() > 1) message += ", at line " + std::to_string(f.location.line) + " of " + chain_text(chain);
    if (!f.decoded.empty()) message += ", decoded from " + decoded_text(f.decoded);
    if (f.git && f.git->kind == GitObjectKind::commit_message) {
      message += ", in the message of commit " + f.git->commit.substr(0, 7);
      if (!f.git->date.empty()) message += " (" + f.git->date.substr(0, 10) + ")";
    } else if (f.git && f.git->kind == GitObjectKind::tag_message) {
      message += ", in the message of tag " + f.git->tag;
    } else if (f.git && chain.empty()) {
      message += ", in blob " + f.git->blob.substr(0, 7) + ", which no commit holds";
    } else if (f.git) {
      if (!f.git->commit.empty()) {
        message += ", introduced in commit " + f.git->commit.substr(0, 7);
        if (!f.git->date.empty()) message += " (" + f.git->date.substr(0, 10) + ")";
      } else if (!f.git->reachable) {
        message += ", in blob " + f.git->blob.substr(0, 7) + " that no ref reaches";
      } else {
        message += ", staged (not committed yet)";
      }
      if (f.git->path_at_head == false) message += "; " + chain.front() + " no longer exists at HEAD";
      if (!f.git->allow_comment_added_by.empty())
        message += "; its allow comment is added by this change (commit " + f.git->allow_comment_added_by.substr(0, 7) +
                   "), so it is not honoured: a reviewer accepts a secret, its own change cannot";
    }
    return message;
  }

  nlohmann::json result_json(const Finding& f, const std::vector<std::string>& chain, const nlohmann::json& outermost,
                             const nlohmann::json& innermost) const {
    std::string message = message_text(f, chain);
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
    if (!f.etag.empty()) properties["etag"] = f.etag;
    if (!f.decoded.empty()) properties["decoded"] = f.decoded;
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
      if (!f.git->allow_comment_added_by.empty()) properties["allowCommentAddedBy"] = f.git->allow_comment_added_by;
      if (!f.git->commit.empty()) {
        properties["commit"] = f.git->commit;
        properties["author"] = f.git->author;
        properties["date"] = f.git->date;
        // The same secret introduced again by another commit is another alert.
        fingerprints["commitSecretHash/v1"] = sha256_hex(f.git->commit + ":" + f.secret_sha256);
      }
      if (!f.git->other_paths.empty()) properties["otherPaths"] = f.git->other_paths;
      if (!f.git->repository.empty()) properties["repository"] = f.git->repository;
      if (f.git->path_at_head) properties["pathAtHead"] = *f.git->path_at_head;
      if (f.git->ref_count > f.git->refs.size()) properties["refCount"] = f.git->ref_count;
      if (f.git->kind != GitObjectKind::blob) {
        properties["gitObject"] = std::string(to_string(f.git->kind));
        properties.erase("blob");
      }
      if (f.git->kind == GitObjectKind::tag_message) {
        properties["tag"] = f.git->tag;
        properties["tagObject"] = f.git->tag_object;
        properties["tagger"] = f.git->author;
        properties["date"] = f.git->date;
      }
    }
    nlohmann::json location;
    if (chain.empty()) {
      // No file: the logical location names the git object (lines and columns count within
      // the message or the blob). GitHub takes only results with a physical location, so
      // that is the repository itself ("."), not a made-up path.
      std::string name, qualified;
      if (f.git && f.git->kind == GitObjectKind::tag_message) {
        name = f.git->tag;
        qualified = "tag/" + f.git->tag_object;
      } else if (f.git && f.git->kind == GitObjectKind::commit_message) {
        name = f.git->commit.substr(0, 12);
        qualified = "commit/" + f.git->commit;
      } else {
        name = f.git ? f.git->blob.substr(0, 12) : "";
        qualified = "blob/" + (f.git ? f.git->blob : "");
      }
      location = {{"physicalLocation", {{"artifactLocation", {{"uri", "."}, {"uriBaseId", "SRCROOT"}}}, {"region", region}}},
                  {"logicalLocations", nlohmann::json::array({{{"name", name}, {"fullyQualifiedName", qualified}, {"kind", "object"}}})}};
    }
    // GitHub reads only the first location's URI, and only files in the repository have
    // one: a finding inside an archive points at the archive (at its first line, since
    // the member's lines are not the archive's), and the member itself, with its region,
    // is the related location.
    nlohmann::json primary = {{"artifactLocation", outermost}, {"region", region}};
    nlohmann::json related = nlohmann::json::array();
    if (chain.size() > 1) {
      primary["region"] = {{"startLine", 1}};
      related.push_back({{"id", 0},
                         {"physicalLocation", {{"artifactLocation", innermost}, {"region", region}}},
                         {"message", {{"text", chain_text(chain)}}}});
      properties["chain"] = chain;
    }
    if (location.is_null()) location = {{"physicalLocation", primary}};
    nlohmann::json result = {
        {"ruleId", f.rule_id},
        {"ruleIndex", rule_index_.at(f.rule_index)},
        {"level", to_string(f.level)},
        {"message", {{"text", message}}},
        {"locations", nlohmann::json::array({location})},
        {"partialFingerprints", fingerprints},
        {"properties", properties},
    };
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    // SARIF wants suppressions on every result or on none.
    if (options_.include_suppressed) {
      result["suppressions"] = nlohmann::json::array();
      if (f.suppression)
        result["suppressions"].push_back({{"kind", f.suppression->kind}, {"justification", f.suppression->justification}});
    }
    return result;
  }

  // --max-results: the most severe results first (GitHub shows the top 5,000 by
  // severity and rejects a run of more than 25,000), the cut said in the report itself.
  void limit_results() {
    const std::size_t total = results_.size();
    if (options_.max_results == 0 || total <= options_.max_results) return;
    auto rank = [](const nlohmann::json& r) {
      const std::string& level = r["level"].get_ref<const std::string&>();
      return level == "error" ? 0 : level == "warning" ? 1 : 2;
    };
    std::vector<nlohmann::json> ordered(std::make_move_iterator(results_.begin()), std::make_move_iterator(results_.end()));
    std::stable_sort(ordered.begin(), ordered.end(), [&](const nlohmann::json& a, const nlohmann::json& b) { return rank(a) < rank(b); });
    ordered.resize(options_.max_results);
    results_ = nlohmann::json(std::move(ordered));
    std::string what = std::to_string(total - options_.max_results) + " of " + std::to_string(total) +
                       " results left out by --max-results " + std::to_string(options_.max_results) +
                       " (the most severe are kept); the exit status counts them all";
    cut_notification_ = {{"level", "warning"}, {"message", {{"text", what}}}, {"descriptor", {{"id", "max-results"}}}};
    warnings_.push_back("SARIF: " + what);
  }

  // An upload GitHub rejects shows no alert at all: say so here, with what would fit.
  void check_github_limits(std::size_t results, const std::string& text) {
    constexpr std::size_t kMaxResults = 25000, kShownResults = 5000, kMaxGzipBytes = 10 * 1000 * 1000;
    if (results > kMaxResults)
      warnings_.push_back("SARIF: " + std::to_string(results) + " results; GitHub code scanning rejects a run of more than " +
                          std::to_string(kMaxResults) + " (the whole upload, so no alert is shown): use --max-results " +
                          std::to_string(kMaxResults) + " to keep the most severe, or --format json/jsonl --group-by secret for an inventory");
    else if (results > kShownResults)
      warnings_.push_back("SARIF: " + std::to_string(results) + " results; GitHub code scanning shows only the " +
                          std::to_string(kShownResults) + " most severe");
    // Gzip never makes text larger than itself by more than a few bytes, so a file
    // under the limit need not be compressed to know it fits.
    if (text.size() > kMaxGzipBytes) {
      std::size_t gz = gzip_size(text);
      if (gz > kMaxGzipBytes)
        warnings_.push_back("SARIF: " + std::to_string(gz) + " bytes gzip-compressed; GitHub code scanning rejects uploads over " +
                            std::to_string(kMaxGzipBytes) + " bytes: use --max-results N with a smaller N");
    }
  }

  static std::size_t gzip_size(const std::string& text) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return text.size();
    std::string buffer(1 << 16, '\0');
    std::size_t total = 0;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());  // SARIF documents are far below 4 GiB
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      rc = deflate(&z, Z_FINISH);
      if (rc == Z_STREAM_ERROR) break;
      total += buffer.size() - z.avail_out;
    }
    deflateEnd(&z);
    return total;
  }

  void notify(const Skipped& s) {
    ArtifactUri uri = artifact_uri(s.path, workdir_);
    nlohmann::json artifact_location = {{"uri", uri.uri}};
    if (uri.relative) artifact_location["uriBaseId"] = "SRCROOT";
    notifications_.push_back({
        {"level", skipped_by_choice(s.reason) ? "note" : "warning"},
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
  nlohmann::json cut_notification_;  // what --max-results left out
  std::vector<std::string> warnings_;
};

}  // namespace

std::unique_ptr<Reporter> make_sarif_reporter(const RuleSet& rules, const ReportOptions& options, std::ostream& out) {
  return std::make_unique<SarifReporter>(rules, options, out);
}

}  // namespace sfmc
