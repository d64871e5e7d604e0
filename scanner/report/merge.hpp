#pragma once
// `sfmc-scan merge`: the shard reports of one sweep (JSON Lines written with --shard)
// read back into the results and counts one machine would have produced, in its order.
//
// A shard report is the ordinary JSON Lines report plus what the other formats need and
// JSON Lines leaves out: before each input's findings an {"type":"input"} record (the
// input's container chain and size), and at the very end a {"type":"shard"} record
// (which shard of how many, the sweep's canonical command line and rule digest, and the
// plan of the split). A report without that last record is incomplete and refused.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scan_engine.hpp"

namespace sfmc {

struct ShardReport {
  std::string path;
  unsigned shard = 0, of = 0;
  nlohmann::json sweep;  // what must be equal across the shards of one sweep
  nlohmann::json plan;   // what the split saw of the whole input
  std::vector<InputResult> results;
  ScanStats stats;
};

struct MergeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The record a shard writes before an input's findings.
nlohmann::json input_record(const InputResult& r);
// The closing record of a shard report.
nlohmann::json shard_record(unsigned shard, unsigned of, const nlohmann::json& sweep, const ShardPlan& plan);

// Throws MergeError naming the file and line it could not read.
ShardReport read_shard_report(const std::string& path, const RuleSet& rules);

struct MergedSweep {
  nlohmann::json sweep;
  std::vector<InputResult> results;
  ScanStats stats;  // summed; seconds: the slowest shard
};

// Checks that the reports are shards 0..N-1 of one sweep, each exactly once, and joins
// them. Throws MergeError saying which shard is missing, doubled or different.
MergedSweep merge_shards(std::vector<ShardReport> shards);

}  // namespace sfmc
