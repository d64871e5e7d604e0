// The readers of what sfmc-scan wrote, as another job or an attacker may hand them
// back: `report` (JSON Lines, JSON, SARIF), `--baseline`, `merge`'s shard reports, a
// fleet's `--state` and `scan --resume` checkpoints. Each must refuse a bad file with a message, never crash or hang.
#include <exception>
#include <string_view>

#include "fuzz_support.hpp"
#include "report/inventory.hpp"
#include "report/merge.hpp"
#include "report/resume_state.hpp"
#include "report/sweep_state.hpp"
#include "report/triage.hpp"

using namespace sfmc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string& path = fuzz::as_file(data, size, ".report");
  try {
    std::vector<Finding> findings = read_findings(path);
    std::vector<SecretGroup> groups = group_by_secret(findings);
    for (const SecretGroup& g : groups) (void)group_json(g).dump();
  } catch (const std::runtime_error&) {
    // a clear "not a report" is the right answer to most inputs
  }
  try {
    (void)Baseline::load(path);
  } catch (const std::runtime_error&) {
  }
  try {
    ShardReport shard = read_shard_report(path, fuzz::engine().rules());
    std::vector<ShardReport> one;
    one.push_back(std::move(shard));
    (void)merge_shards(std::move(one));
  } catch (const std::runtime_error&) {
  }
  try {
    (void)SweepState::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.state");
  } catch (const std::runtime_error&) {
  }
  try {
    // The roots of the seed checkpoint (fuzz/make_seeds.sh): its path and the position
    // inside it are then reached too.
    static const std::vector<std::string> roots = {"tree"};
    (void)ResumeState::parse(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.resume", roots);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
