#include "report/inventory.hpp"

#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "report/json_fields.hpp"

namespace sfmc {

namespace {

// Verdicts from the most to the least alarming.
int strength(Verdict v) {
  switch (v) {
    case Verdict::checksum_valid: return 3;
    case Verdict::unchecked: return 2;
    case Verdict::checksum_invalid: return 1;
    case Verdict::placeholder: return 0;
  }
  return 0;
}

nlohmann::json location_json(const Finding& f) {
  nlohmann::json j = {{"path", f.location.path}, {"line", f.location.line}, {"column", f.location.column}};
  if (f.git) {
    if (!f.git->commit.empty()) {
      j["commit"] = f.git->commit;
      j["date"] = f.git->date;
      j["author"] = f.git->author;
    }
    j["blob"] = f.git->blob;
    if (!f.git->refs.empty()) j["refs"] = f.git->refs;
    if (!f.git->reachable) j["reachable"] = false;
  }
  return j;
}

Finding finding_from_json(const nlohmann::json& j) {
  Finding f;
  f.rule_id = j.value("rule", "");
  f.secret_sha256 = j.value("secret_sha256", "");
  f.secret_redacted = j.value("secret_redacted", "");
  f.verdict = parse_verdict(j.value("verdict", "")).value_or(Verdict::unchecked);
  f.level = parse_level(j.value("level", "")).value_or(Level::note);
  f.location.path = j.value("path", "");
  f.location.line = j.value("line", uint64_t{0});
  f.location.column = j.value("column", uint64_t{0});
  if (j.contains("first_seen")) {
    f.first_seen = parse_iso(j["first_seen"].get<std::string>());
    f.expires_no_later_than = parse_iso(j.value("expires_no_later_than", ""));
    f.expired = j.value("expired", false);
  }
  if (j.contains("git")) {
    const nlohmann::json& g = j["git"];
    GitOrigin o;
    o.blob = g.value("blob", "");
    o.commit = g.value("commit", "");
    o.date = g.value("date", "");
    o.author = g.value("author", "");
    o.reachable = g.value("reachable", true);
    if (g.contains("refs")) o.refs = g["refs"].get<std::vector<std::string>>();
    f.git = o;
  }
  return f;
}

Finding finding_from_sarif(const nlohmann::json& r) {
  Finding f;
  const nlohmann::json& p = r.value("properties", nlohmann::json::object());
  f.rule_id = r.value("ruleId", "");
  f.secret_sha256 = r["partialFingerprints"].value("secretHash/v1", "");
  f.secret_redacted = p.value("secretRedacted", "");
  f.verdict = parse_verdict(p.value("validation", "")).value_or(Verdict::unchecked);
  f.level = parse_level(r.value("level", "")).value_or(Level::warning);
  // A message finding has a logical location only: no file, no path.
  static const nlohmann::json none = nlohmann::json::object();
  const nlohmann::json& locs = r.contains("locations") && r["locations"].is_array() ? r["locations"] : none;
  const nlohmann::json& first = !locs.empty() && locs.is_array() ? locs[0] : none;
  const nlohmann::json& loc = first.contains("physicalLocation") ? first["physicalLocation"] : none;
  if (loc.contains("artifactLocation")) f.location.path = loc["artifactLocation"].value("uri", "");
  if (loc.contains("region")) {
    f.location.line = loc["region"].value("startLine", uint64_t{0});
    f.location.column = loc["region"].value("startColumn", uint64_t{0});
  }
  if (p.contains("firstSeen")) {
    f.first_seen = parse_iso(p["firstSeen"].get<std::string>());
    f.expires_no_later_than = parse_iso(p.value("expiresNoLaterThan", ""));
    f.expired = p.value("expired", false);
  }
  if (p.contains("blob")) {
    GitOrigin o;
    o.blob = p.value("blob", "");
    o.commit = p.value("commit", "");
    o.date = p.value("date", "");
    o.author = p.value("author", "");
    if (p.contains("refs")) o.refs = p["refs"].get<std::vector<std::string>>();
    f.git = o;
  }
  return f;
}

}  // namespace

std::vector<SecretGroup> group_by_secret(const std::vector<Finding>& findings) {
  std::vector<SecretGroup> groups;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  for (const Finding& f : findings) {
    auto [it, inserted] = index.try_emplace({f.rule_id, f.secret_sha256}, groups.size());
    if (inserted) {
      SecretGroup g;
      g.rule_id = f.rule_id;
      g.secret_sha256 = f.secret_sha256;
      g.secret_redacted = f.secret_redacted;
      g.verdict = f.verdict;
      g.level = f.level;
      groups.push_back(std::move(g));
    }
    SecretGroup& g = groups[it->second];
    if (strength(f.verdict) > strength(g.verdict)) g.verdict = f.verdict;
    if (f.level > g.level) g.level = f.level;
    if (f.first_seen && (!g.first_seen || f.first_seen < g.first_seen)) {
      g.first_seen = f.first_seen;
      g.expires_no_later_than = f.expires_no_later_than;
      g.expired = f.expired;
    }
    g.locations.push_back(f);
  }
  return groups;
}

nlohmann::json group_json(const SecretGroup& g) {
  nlohmann::json locations = nlohmann::json::array();
  for (const Finding& f : g.locations) locations.push_back(location_json(f));
  nlohmann::json j = {{"type", "secret"},
                      {"rule", g.rule_id},
                      {"secret_sha256", g.secret_sha256},
                      {"secret_redacted", g.secret_redacted},
                      {"verdict", to_string(g.verdict)},
                      {"level", to_string(g.level)},
                      {"verification", g.locations.front().verification.empty() ? "not-verified" : g.locations.front().verification},
                      {"locations", std::move(locations)}};
  if (g.first_seen) {
    j["first_seen"] = iso_utc(g.first_seen);
    j["expires_no_later_than"] = iso_utc(g.expires_no_later_than);
    j["expired"] = g.expired;
  }
  return j;
}

void write_inventory_text(const std::vector<SecretGroup>& groups, std::ostream& out) {
  for (const SecretGroup& g : groups) {
    out << g.secret_redacted << "  " << g.rule_id << "  " << to_string(g.verdict) << "  sha256:" << g.secret_sha256.substr(0, 16)
        << "  " << g.locations.size() << (g.locations.size() == 1 ? " place" : " places");
    if (g.first_seen)
      out << "  first seen " << iso_utc(g.first_seen).substr(0, 10)
          << (g.expired ? ", expired by " : ", expires no later than ") << iso_utc(g.expires_no_later_than).substr(0, 10);
    out << '\n';
    for (const Finding& f : g.locations) {
      out << "    " << f.location.path << ':' << f.location.line << ':' << f.location.column;
      if (f.git && !f.git->commit.empty()) out << "  commit " << f.git->commit.substr(0, 12) << ' ' << f.git->date.substr(0, 10);
      out << '\n';
    }
  }
  out << groups.size() << (groups.size() == 1 ? " distinct secret\n" : " distinct secrets\n");
}

std::vector<Finding> read_findings(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Finding> out;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_discarded() && doc.is_object()) {
    if (doc.contains("runs")) {  // SARIF
      for (const auto& run : doc["runs"])
        for (const auto& r : run.value("results", nlohmann::json::array())) out.push_back(finding_from_sarif(r));
      return out;
    }
    if (doc.contains("findings")) {  // JSON
      for (const auto& f : doc["findings"]) out.push_back(finding_from_json(f));
      return out;
    }
    if (doc.value("type", "") == "finding") {  // JSON Lines with a single line
      out.push_back(finding_from_json(doc));
      return out;
    }
  }
  std::istringstream lines(text);
  std::size_t n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) throw std::runtime_error(path + ":" + std::to_string(n) + ": not JSON: is this an sfmc-scan report?");
    if (j.value("type", "") == "finding") out.push_back(finding_from_json(j));
  }
  return out;
}

}  // namespace sfmc
