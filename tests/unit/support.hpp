#pragma once
// Helpers shared by the unit tests: the bundled rules, temporary trees, generated tokens.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "engine/scan_engine.hpp"
#include "testing/token_factory.hpp"

namespace sfmc::test {

inline RuleSet bundled_rules() { return load_rules(SFMC_SOURCE_RULES_DIR); }

inline DatabaseCacheOptions no_cache() {
  DatabaseCacheOptions c;
  c.enabled = false;
  return c;
}

// One engine over the bundled rules, shared by the tests that do not change rules.
inline const ScanEngine& bundled_engine() {
  static ScanEngine engine(bundled_rules(), ChecksumPolicy::report, no_cache());
  return engine;
}

inline const Rule& secret_rule() { return *bundled_engine().rules().find("sfmc-client-secret"); }

// A fresh token every call; the seed is fixed so a failure can be replayed.
inline std::string make_token(const TokenVariant& v = {}) {
  static TokenFactory factory(20261122);
  return factory.token(secret_rule(), v);
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sfmc-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(const std::string& relative, const std::string& content) const {
    std::filesystem::path p = path_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::filesystem::path path_;
};

// Collects every result of a scan, in the order the engine delivered them.
struct CollectingSink : ResultSink {
  std::vector<InputResult> results;
  void on_input(InputResult&& r) override { results.push_back(std::move(r)); }
  std::vector<Finding> findings() const {
    std::vector<Finding> out;
    for (const InputResult& r : results) out.insert(out.end(), r.findings.begin(), r.findings.end());
    return out;
  }
};

}  // namespace sfmc::test
