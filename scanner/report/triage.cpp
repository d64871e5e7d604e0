#include "report/triage.hpp"

#include <ctime>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "report/json_fields.hpp"
#include "report/json_read.hpp"

namespace sfmc {

Baseline Baseline::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read baseline " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse(text, path);
}

Baseline Baseline::parse(const std::string& text, const std::string& path) {
  std::string why;
  nlohmann::json j = json_read::parse_untrusted(text, &why);
  if (j.is_discarded()) throw std::runtime_error(path + " is not an sfmc-scan baseline (" + why + ")");
  if (!j.is_object() || !j.contains("findings") || !j["findings"].is_array())
    throw std::runtime_error(path + " is not an sfmc-scan baseline (no \"findings\" array)");
  Baseline b;
  b.path_ = path;
  using namespace json_read;
  try {
    const nlohmann::json& findings = j["findings"];
    for (std::size_t i = 0; i < findings.size(); ++i) {
      const std::string at = step("/findings", i);
      need_object(findings[i], at);
      b.entries_.insert({need_text(field(findings[i], "rule"), step(at, "rule")),
                         need_text(field(findings[i], "secret_sha256"), step(at, "secret_sha256"))});
    }
  } catch (const ShapeError& e) {
    throw std::runtime_error(path + ": not an sfmc-scan baseline: " + e.what());
  }
  return b;
}

void triage(Finding& f, const TriageOptions& o) {
  if (!f.suppression && o.baseline && o.baseline->accepts(f))
    f.suppression = Suppression{"external", "in baseline " + o.baseline->path()};

  int64_t seen = 0;
  if (f.git && f.git->time > 0) seen = f.git->time;
  if (f.mtime > 0 && (seen == 0 || f.mtime < seen)) seen = f.mtime;
  if (seen == 0) return;
  f.first_seen = seen;
  f.expires_no_later_than = seen + kSecretLifetime;
  f.expired = o.now > f.expires_no_later_than;
  // A secret the endpoint just accepted is live, whatever its dates say.
  if (f.expired && f.level != Level::note && f.verification != "live") {
    f.level = Level::note;
    std::string why = "certainly expired: seen " + iso_utc(seen).substr(0, 10) + ", so expired no later than " +
                      iso_utc(f.expires_no_later_than).substr(0, 10);
    f.reason = f.reason.empty() ? why : f.reason + "; " + why;
  }
}

std::optional<int64_t> parse_date(const std::string& text) {
  struct tm tm {};
  int offset_h = 0, offset_m = 0;
  char sign = '+';
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end) {
    tm = {};
    end = strptime(text.c_str(), "%Y-%m-%d", &tm);
    if (!end || *end) return std::nullopt;
  } else if (*end == 'Z') {
    ++end;
  } else if (*end == '+' || *end == '-') {
    sign = *end;
    if (std::sscanf(end + 1, "%2d:%2d", &offset_h, &offset_m) != 2) return std::nullopt;
    end += 6;
  }
  if (*end) return std::nullopt;
  int64_t t = timegm(&tm);
  int64_t offset = (offset_h * 60 + offset_m) * 60;
  return sign == '+' ? t - offset : t + offset;
}

}  // namespace sfmc
