#include "report/merge.hpp"

#include <algorithm>
#include <fstream>

#include "engine/shard.hpp"
#include "report/json_fields.hpp"
#include "report/json_read.hpp"

namespace sfmc {

namespace {

// A value from a report, short enough for an error message.
std::string brief(const nlohmann::json& j) {
  constexpr std::size_t kShown = 200;
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.size() <= kShown ? text : text.substr(0, kShown) + "... (" + std::to_string(text.size()) + " bytes)";
}

std::optional<SkipReason> parse_skip_reason(const std::string& s) {
  // Enumerators are dense from 0; to_string gives "unknown" past the last one.
  for (int i = 0; i < 256; ++i) {
    auto r = static_cast<SkipReason>(i);
    std::string_view name = to_string(r);
    if (name == "unknown") break;
    if (name == s) return r;
  }
  return std::nullopt;
}

// The inverse of finding_json (json_reporter.cpp), field for field.
Finding finding_from_record(const nlohmann::json& j, const RuleSet& rules) {
  Finding f;
  f.rule_id = j.at("rule").get<std::string>();
  const Rule* rule = rules.find(f.rule_id);
  if (!rule) throw MergeError("rule '" + f.rule_id + "' is not in the rules given to merge");
  f.rule_index = static_cast<uint32_t>(rule - rules.rules.data());
  f.level = parse_level(j.at("level").get<std::string>()).value();
  f.verdict = parse_verdict(j.at("verdict").get<std::string>()).value();
  f.location.path = j.at("path").get<std::string>();
  f.location.line = j.at("line").get<uint64_t>();
  f.location.column = j.at("column").get<uint64_t>();
  f.location.end_line = j.at("end_line").get<uint64_t>();
  f.location.end_column = j.at("end_column").get<uint64_t>();
  f.location.byte_offset = j.at("offset").get<uint64_t>();
  f.location.byte_length = j.at("length").get<uint64_t>();
  f.secret = j.at("secret").get<std::string>();
  f.secret_redacted = j.at("secret_redacted").get<std::string>();
  f.secret_sha256 = j.at("secret_sha256").get<std::string>();
  f.line_hash = j.at("fingerprint").get<std::string>();
  f.snippet = f.snippet_revealed = j.at("snippet").get<std::string>();
  f.reason = j.value("reason", "");
  if (j.contains("context"))
    for (const auto& c : j["context"])
      f.context.push_back({c.at("rule").get<std::string>(), c.at("value").get<std::string>(), c.at("line").get<uint64_t>(),
                           c.at("column").get<uint64_t>()});
  if (j.contains("git")) {
    const nlohmann::json& g = j["git"];
    GitOrigin o;
    o.blob = g.value("blob", "");
    o.reachable = g.at("reachable").get<bool>();
    o.refs = g.at("refs").get<std::vector<std::string>>();
    o.commit = g.value("commit", "");
    o.author = g.value("author", "");
    o.date = g.value("date", "");
    if (g.contains("other_paths")) o.other_paths = g["other_paths"].get<std::vector<std::string>>();
    o.repository = g.value("repository", "");
    if (g.contains("path_at_head")) o.path_at_head = g["path_at_head"].get<bool>();
    o.ref_count = g.value("ref_count", uint64_t{o.refs.size()});
    if (g.contains("object")) {
      std::string kind = g["object"].get<std::string>();
      for (GitObjectKind k : {GitObjectKind::commit_message, GitObjectKind::tag_message})
        if (to_string(k) == kind) o.kind = k;
      if (o.kind == GitObjectKind::blob) throw MergeError("unknown git object kind '" + kind + "'");
    }
    if (o.kind == GitObjectKind::tag_message) {
      o.tag = g.at("tag").get<std::string>();
      o.tag_object = g.at("tag_object").get<std::string>();
      o.author = g.at("tagger").get<std::string>();
    }
    f.git = std::move(o);
  }
  f.encoding = j.at("encoding").get<std::string>();
  if (j.contains("decoded")) f.decoded = j["decoded"].get<std::vector<std::string>>();
  if (j.contains("mtime")) f.mtime = parse_iso(j["mtime"].get<std::string>());
  if (j.contains("etag")) f.etag = j["etag"].get<std::string>();
  if (j.contains("first_seen")) {
    f.first_seen = parse_iso(j["first_seen"].get<std::string>());
    f.expires_no_later_than = parse_iso(j.at("expires_no_later_than").get<std::string>());
    f.expired = j.at("expired").get<bool>();
  }
  if (j.contains("verification")) {
    f.verification = j["verification"].get<std::string>();
    f.verification_detail = j.value("verification_detail", "");
  }
  if (j.contains("suppressed"))
    f.suppression = Suppression{j["suppressed"].at("kind").get<std::string>(), j["suppressed"].at("justification").get<std::string>()};
  return f;
}

ScanStats stats_from_summary(const nlohmann::json& j) {
  ScanStats s;
  s.inputs_scanned = j.at("inputs_scanned").get<uint64_t>();
  s.bytes_scanned = j.at("bytes_scanned").get<uint64_t>();
  s.suppressed = j.at("suppressed").get<uint64_t>();
  s.seconds = j.at("seconds").get<double>();
  for (const auto& [k, v] : j.at("findings_by_verdict").items())
    s.findings_by_verdict[parse_verdict(k).value()] = v.get<uint64_t>();
  for (const auto& [k, v] : j.at("skipped_by_reason").items()) {
    std::optional<SkipReason> r = parse_skip_reason(k);
    if (!r) throw MergeError("unknown skip reason '" + k + "'");
    s.skipped_by_reason[*r] = v.get<uint64_t>();
  }
  return s;
}

}  // namespace

nlohmann::json input_record(const InputResult& r) {
  return {{"type", "input"}, {"chain", r.chain.empty() ? std::vector<std::string>{r.path} : r.chain}, {"bytes", r.bytes}};
}

nlohmann::json shard_record(unsigned shard, unsigned of, const nlohmann::json& sweep, const ShardPlan& plan) {
  return {{"type", "shard"}, {"shard", shard}, {"of", of}, {"sweep", sweep}, {"plan", {{"items", plan.items}, {"weight", plan.weight}}}};
}

ShardReport read_shard_report(const std::string& path, const RuleSet& rules) {
  std::ifstream in(path);
  if (!in) throw MergeError("cannot read " + path);
  ShardReport report;
  report.path = path;
  bool summary = false, closed = false;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    std::string where = path + ":" + std::to_string(n) + ": ";
    if (line.empty()) continue;
    if (closed) throw MergeError(where + "text after the closing shard record");
    std::string why = "not an object";
    nlohmann::json j = json_read::parse_untrusted(line, &why);
    if (j.is_discarded() || !j.is_object())
      throw MergeError(where + "not JSON Lines (" + why + "): merge reads the reports of --shard runs");
    try {
      std::string type = j.value("type", "");
      if (type == "input") {
        InputResult r;
        r.chain = j.at("chain").get<std::vector<std::string>>();
        r.bytes = j.at("bytes").get<uint64_t>();
        r.scanned = true;
        for (std::size_t i = 0; i < r.chain.size(); ++i) r.path += (i ? "!" : "") + r.chain[i];
        report.results.push_back(std::move(r));
      } else if (type == "finding") {
        if (report.results.empty() || report.results.back().skipped)
          throw MergeError(where + "a finding without its input record: was this report written with --shard?");
        report.results.back().findings.push_back(finding_from_record(j, rules));
      } else if (type == "skipped") {
        InputResult r;
        Skipped s;
        s.path = r.path = j.at("path").get<std::string>();
        std::optional<SkipReason> reason = parse_skip_reason(j.at("reason").get<std::string>());
        if (!reason) throw MergeError(where + "unknown skip reason");
        s.reason = *reason;
        s.detail = j.value("detail", "");
        s.repository = j.value("repository", "");
        r.skipped = std::move(s);
        report.results.push_back(std::move(r));
      } else if (type == "summary") {
        report.stats = stats_from_summary(j);
        summary = true;
      } else if (type == "shard") {
        report.shard = j.at("shard").get<unsigned>();
        report.of = j.at("of").get<unsigned>();
        // The same bounds --shard K/N takes: a count past them is no sweep's.
        if (report.of == 0 || report.of > kMaxShards || report.shard >= report.of)
          throw MergeError(where + "shard " + std::to_string(report.shard) + " of " + std::to_string(report.of) +
                           ": a shard's index must be below its count, and the count between 1 and " +
                           std::to_string(kMaxShards));
        report.sweep = j.at("sweep");
        report.plan = j.at("plan");
        closed = true;
      } else {
        throw MergeError(where + "a record of type '" + type + "' (a --group-by report? group when merging instead)");
      }
    } catch (const nlohmann::json::exception& e) {
      throw MergeError(where + "unexpected record: " + json_read::plain_message(e));
    } catch (const std::bad_optional_access&) {
      throw MergeError(where + "unknown level or verdict");
    }
  }
  if (!closed || !summary)
    throw MergeError(path + ": no closing shard record: the shard did not finish, or was not run with --shard");
  return report;
}

MergedSweep merge_shards(std::vector<ShardReport> shards) {
  if (shards.empty()) throw MergeError("no shard reports given");
  std::sort(shards.begin(), shards.end(), [](const ShardReport& a, const ShardReport& b) { return a.shard < b.shard; });
  const ShardReport& first = shards.front();
  for (const ShardReport& s : shards) {
    if (s.of != first.of)
      throw MergeError(s.path + " is shard " + std::to_string(s.shard) + " of " + std::to_string(s.of) + ", " + first.path +
                       " one of " + std::to_string(first.of));
    if (s.sweep != first.sweep)
      throw MergeError(s.path + " and " + first.path + " belong to different sweeps (other paths, options or rules): " +
                       brief(s.sweep) + " vs " + brief(first.sweep));
    if (s.plan != first.plan)
      throw MergeError(s.path + " and " + first.path + " saw different inputs (" + brief(s.plan) + " vs " + brief(first.plan) +
                       "): was the tree written to between the shards' walks? Run the sweep again");
  }
  for (std::size_t i = 1; i < shards.size(); ++i)
    if (shards[i].shard == shards[i - 1].shard)
      throw MergeError("shard " + std::to_string(shards[i].shard) + " is given twice: " + shards[i - 1].path + " and " + shards[i].path);
  std::vector<bool> present(first.of, false);
  for (const ShardReport& s : shards) present[s.shard] = true;
  std::string missing;
  for (unsigned k = 0; k < first.of; ++k)
    if (!present[k]) missing += (missing.empty() ? "" : ", ") + std::to_string(k);
  if (!missing.empty())
    throw MergeError("shard" + std::string(missing.find(',') != std::string::npos ? "s " : " ") + missing + " of " +
                     std::to_string(first.of) + " missing: every shard's report is needed");
  MergedSweep out;
  out.sweep = first.sweep;
  for (ShardReport& s : shards) {
    for (InputResult& r : s.results) out.results.push_back(std::move(r));
    out.stats.inputs_scanned += s.stats.inputs_scanned;
    out.stats.bytes_scanned += s.stats.bytes_scanned;
    out.stats.suppressed += s.stats.suppressed;
    out.stats.seconds = std::max(out.stats.seconds, s.stats.seconds);
    for (const auto& [v, n] : s.stats.findings_by_verdict) out.stats.findings_by_verdict[v] += n;
    for (const auto& [r, n] : s.stats.skipped_by_reason) out.stats.skipped_by_reason[r] += n;
  }
  return out;
}

}  // namespace sfmc
