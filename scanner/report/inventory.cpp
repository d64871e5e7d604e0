#include "report/inventory.hpp"

#include <fstream>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "core/bounded_line.hpp"
#include "core/redact.hpp"
#include "report/json_fields.hpp"
#include "report/json_read.hpp"

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
  using namespace json_read;
  Finding f;
  f.rule_id = text(j, "rule");
  f.secret_sha256 = text(j, "secret_sha256");
  f.secret_redacted = text(j, "secret_redacted");
  f.verdict = parse_verdict(text(j, "verdict")).value_or(Verdict::unchecked);
  f.level = parse_level(text(j, "level")).value_or(Level::note);
  f.location.path = text(j, "path");
  f.location.line = number(j, "line");
  f.location.column = number(j, "column");
  if (field(j, "first_seen").is_string()) {
    f.first_seen = parse_iso(text(j, "first_seen"));
    f.expires_no_later_than = parse_iso(text(j, "expires_no_later_than"));
    f.expired = flag(j, "expired", false);
  }
  if (const nlohmann::json& g = field(j, "git"); g.is_object()) {
    GitOrigin o;
    o.blob = text(g, "blob");
    o.commit = text(g, "commit");
    o.date = text(g, "date");
    o.author = text(g, "author");
    o.reachable = flag(g, "reachable", true);
    o.refs = texts(g, "refs");
    f.git = o;
  }
  return f;
}

// A result without locations (SARIF allows "locations": []) is still a secret found;
// it is kept, with an empty place.
Finding finding_from_sarif(const nlohmann::json& r) {
  using namespace json_read;
  Finding f;
  const nlohmann::json& p = field(r, "properties");
  f.rule_id = text(r, "ruleId");
  f.secret_sha256 = text(field(r, "partialFingerprints"), "secretHash/v1");
  f.secret_redacted = text(p, "secretRedacted");
  f.verdict = parse_verdict(text(p, "validation")).value_or(Verdict::unchecked);
  f.level = parse_level(text(r, "level")).value_or(Level::warning);
  const nlohmann::json& loc = field(first(field(r, "locations")), "physicalLocation");
  f.location.path = text(field(loc, "artifactLocation"), "uri");
  f.location.line = number(field(loc, "region"), "startLine");
  f.location.column = number(field(loc, "region"), "startColumn");
  if (field(p, "firstSeen").is_string()) {
    f.first_seen = parse_iso(text(p, "firstSeen"));
    f.expires_no_later_than = parse_iso(text(p, "expiresNoLaterThan"));
    f.expired = flag(p, "expired", false);
  }
  if (field(p, "blob").is_string()) {
    GitOrigin o;
    o.blob = text(p, "blob");
    o.commit = text(p, "commit");
    o.date = text(p, "date");
    o.author = text(p, "author");
    o.refs = texts(p, "refs");
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
    out << terminal_text(g.secret_redacted) << "  " << terminal_text(g.rule_id) << "  " << to_string(g.verdict)
        << "  sha256:" << terminal_text(g.secret_sha256.substr(0, 16))
        << "  " << g.locations.size() << (g.locations.size() == 1 ? " place" : " places");
    if (g.first_seen)
      out << "  first seen " << iso_utc(g.first_seen).substr(0, 10)
          << (g.expired ? ", expired by " : ", expires no later than ") << iso_utc(g.expires_no_later_than).substr(0, 10);
    out << '\n';
    for (const Finding& f : g.locations) {
      out << "    " << terminal_text(f.location.path) << ':' << f.location.line << ':' << f.location.column;
      if (f.git && !f.git->commit.empty())
        out << "  commit " << terminal_text(f.git->commit.substr(0, 12)) << ' ' << terminal_text(f.git->date.substr(0, 10));
      out << '\n';
    }
  }
  out << groups.size() << (groups.size() == 1 ? " distinct secret\n" : " distinct secrets\n");
}

// A JSON Lines line longer than this is not one of ours (a finding is a few KB).
constexpr std::size_t kMaxReportLine = 16u << 20;

// Reads a SARIF or JSON report as a stream of events and builds only one result (or
// finding) at a time, so memory follows the largest finding, not the document; the
// rest of the document (rules, skipped inputs, summary) is passed over unbuilt.
class ReportDocumentReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit ReportDocumentReader(std::vector<Finding>& out) : out_(out) {}
  bool is_report() const { return saw_runs_ || saw_findings_; }
  const std::string& error() const { return error_; }

  bool null() override { return value(nlohmann::json()); }
  bool boolean(bool v) override { return value(v); }
  bool number_integer(number_integer_t v) override { return value(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(v); }
  bool number_float(number_float_t v, const string_t&) override { return value(v); }
  bool string(string_t& v) override {
    if (v.size() > kMaxReportLine) {
      error_ = "a string longer than " + std::to_string(kMaxReportLine >> 20) + " MiB: not an sfmc-scan report";
      return false;
    }
    return value(std::move(v));
  }
  bool binary(binary_t&) override { return true; }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t at, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = "not JSON at byte " + std::to_string(at) + " (" + e.what() + ")";
    return false;
  }

 private:
  enum class Role { top, runs, run, results, findings, element, other };

  Role role_of_child(bool is_object) {
    if (roles_.empty()) return is_object ? Role::top : Role::other;
    switch (roles_.back()) {
      case Role::top:
        if (key_ == "runs") saw_runs_ = true;
        if (key_ == "findings") saw_findings_ = true;
        if (is_object) return Role::other;
        return key_ == "runs" ? Role::runs : key_ == "findings" ? Role::findings : Role::other;
      case Role::runs: return is_object ? Role::run : Role::other;
      case Role::run: return key_ == "results" && !is_object ? Role::results : Role::other;
      case Role::results:
      case Role::findings:
      case Role::element: return Role::element;
      case Role::other: return Role::other;
    }
    return Role::other;
  }

  bool open(bool is_object) {
    Role r = role_of_child(is_object);
    if (r == Role::element) {
      keys_.push_back(roles_.back() == Role::element ? key_ : std::string());
      building_.push_back(is_object ? nlohmann::json::object() : nlohmann::json::array());
    }
    roles_.push_back(r);
    return true;
  }

  bool close() {
    Role r = roles_.back();
    roles_.pop_back();
    if (r != Role::element) return true;
    nlohmann::json done = std::move(building_.back());
    building_.pop_back();
    std::string k = std::move(keys_.back());
    keys_.pop_back();
    if (!building_.empty()) attach(std::move(done), k);
    else if (roles_.back() == Role::results) out_.push_back(finding_from_sarif(done));
    else out_.push_back(finding_from_json(done));
    return true;
  }

  bool value(nlohmann::json v) {
    if (!roles_.empty() && roles_.back() == Role::element) attach(std::move(v), key_);
    return true;  // scalars outside findings (or standing in for one) carry nothing to keep
  }

  void attach(nlohmann::json v, const std::string& k) {
    nlohmann::json& parent = building_.back();
    if (parent.is_object()) parent[k] = std::move(v);
    else parent.push_back(std::move(v));
  }

  std::vector<Finding>& out_;
  std::vector<Role> roles_;
  std::vector<nlohmann::json> building_;  // the finding being built, outermost first
  std::vector<std::string> keys_;         // the key each of those goes under in its parent
  std::string key_;
  std::string error_;
  bool saw_runs_ = false, saw_findings_ = false;
};

// nlohmann's lexer holds a whole string token before anyone sees it (and doubles its
// buffer as it grows): a document is first read once to check no string is longer
// than a finding could make it.
bool longest_string_within(std::istream& in, std::size_t max) {
  std::string buf(1 << 20, '\0');
  bool in_string = false, escaped = false;
  std::size_t run = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::size_t n = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < n; ++i) {
      const char c = buf[i];
      if (!in_string) {
        in_string = c == '"';
        run = 0;
        continue;
      }
      if (++run > max) return false;
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    }
  }
  return true;
}

std::vector<Finding> read_findings(const std::string& path) {
  using namespace json_read;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<Finding> out;
  // JSON Lines is read a line at a time; a JSON or SARIF document (its first line is
  // not a whole object) is parsed whole.
  std::string line;
  LineRead first_read = read_bounded_line(in, line, kMaxReportLine);
  nlohmann::json first_line = first_read == LineRead::line ? parse_untrusted(line) : nlohmann::json();
  if (first_read != LineRead::end && !(first_line.is_object() && field(first_line, "type").is_string())) {
    in.clear();
    in.seekg(0);
    if (!in) throw std::runtime_error(path + ": its first line is not a finding and it cannot be read again (a pipe?)");
    line.clear();
    if (!longest_string_within(in, kMaxReportLine))
      throw std::runtime_error(path + ": a string longer than " + std::to_string(kMaxReportLine >> 20) +
                               " MiB: not an sfmc-scan report");
    in.clear();
    in.seekg(0);
    ReportDocumentReader reader(out);
    if (!nlohmann::json::sax_parse(in, &reader)) throw std::runtime_error(path + ": " + reader.error());
    if (reader.is_report()) return out;
    throw std::runtime_error(path + ": neither SARIF nor an sfmc-scan JSON report");
  }
  std::size_t n = 0;
  for (LineRead r = first_read; r != LineRead::end; r = read_bounded_line(in, line, kMaxReportLine)) {
    ++n;
    if (r == LineRead::too_long)
      throw std::runtime_error(path + ":" + std::to_string(n) + ": a line longer than " + std::to_string(kMaxReportLine >> 20) +
                               " MiB: not an sfmc-scan report");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::string why;
    nlohmann::json j = parse_untrusted(line, &why);
    if (j.is_discarded()) throw std::runtime_error(path + ":" + std::to_string(n) + ": " + why + ": is this an sfmc-scan report?");
    if (text(j, "type") == "finding") out.push_back(finding_from_json(j));
  }
  return out;
}

}  // namespace sfmc
