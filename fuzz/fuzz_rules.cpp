// The rule loader: TOML text to rules, then the compiled database and one match pass
// (a rule that loads must also compile or be refused with a message).
#include <exception>

#include "fuzz_support.hpp"

using namespace sfmc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    RuleSet rules = parse_rules(text, "fuzz.toml");
    if (rules.rules.empty() || rules.rules.size() > 8) return 0;
    DatabaseCacheOptions cache;
    cache.enabled = false;
    ScanEngine engine(std::move(rules), ChecksumPolicy::report, cache);
    (void)engine.scan_buffer(text, "fuzz.toml");
  } catch (const std::exception&) {
    // refused with a message: fine
  }
  return 0;
}
