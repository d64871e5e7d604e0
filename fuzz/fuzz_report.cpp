// The readers behind `report` (JSON Lines, JSON, SARIF) and `--baseline`.
#include <exception>

#include "fuzz_support.hpp"
#include "report/inventory.hpp"
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
  return 0;
}
