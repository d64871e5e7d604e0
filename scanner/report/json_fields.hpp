#pragma once
// JSON shapes shared by the JSON, JSON Lines and SARIF writers.
#include <nlohmann/json.hpp>

#include "engine/scan_engine.hpp"
#include "report/reporter.hpp"

namespace sfmc {

nlohmann::json finding_json(const Finding& f, const ReportOptions& options);
nlohmann::json skipped_json(const Skipped& s);
nlohmann::json context_json(const std::vector<ContextHit>& context);
nlohmann::json git_json(const GitOrigin& git);
nlohmann::json summary_json(const ScanStats& stats);
// "2026-11-22T13:00:00Z"
std::string iso_utc(int64_t seconds_since_epoch);
// The reverse of iso_utc; 0 when the text is not such a date.
int64_t parse_iso(const std::string& text);

}  // namespace sfmc
