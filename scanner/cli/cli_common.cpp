#include "cli/cli_common.hpp"

#include <iostream>

namespace sfmc::cli {

void print_error(const std::string& message) { std::cerr << "sfmc-scan: error: " << message << '\n'; }

void add_rule_options(CLI::App& cmd, RuleOptions& o) {
  cmd.add_option("--rules", o.rules_path, "Rule file or folder of .toml files (default: the bundled rules/)");
  cmd.add_option("--checksum", o.checksum,
                 "Candidates whose checksum fails: require (drop), report (keep as checksum-invalid), ignore (do not check)")
      ->check(CLI::IsMember({"require", "report", "ignore"}))
      ->capture_default_str();
  cmd.add_flag("--no-cache", o.no_cache, "Compile the rules even if a cached database exists, and write none");
  cmd.add_option("--cache-dir", o.cache_dir,
                 "Where compiled rule databases are cached (default: $SFMC_CACHE_DIR, $XDG_CACHE_HOME/sfmc-scan or ~/.cache/sfmc-scan)");
}

std::unique_ptr<ScanEngine> load_engine(const RuleOptions& o) {
  try {
    std::string path = o.rules_path.empty() ? default_rules_path() : o.rules_path;
    RuleSet rules = load_rules(path);
    ChecksumPolicy policy = o.checksum == "require" ? ChecksumPolicy::require
                            : o.checksum == "ignore" ? ChecksumPolicy::ignore
                                                     : ChecksumPolicy::report;
    DatabaseCacheOptions cache;
    cache.enabled = !o.no_cache;
    cache.dir = o.cache_dir;
    return std::make_unique<ScanEngine>(std::move(rules), policy, cache);
  } catch (const RuleError& e) {
    print_error(std::string("rules: ") + e.what());
  } catch (const std::exception& e) {
    print_error(e.what());
  }
  return nullptr;
}

}  // namespace sfmc::cli
