// The default rules: a folder on disk when there is one to prefer, otherwise the copy
// of rules/*.toml compiled into the binary, so a copied or installed binary never
// depends on the source tree it was built from.
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "embedded_rules.hpp"
#include "rules/rule.hpp"

namespace fs = std::filesystem;

namespace sfmc {

namespace {

// A folder of rules to read instead of the compiled-in copy, if any.
std::optional<std::string> rules_folder_on_disk() {
  if (const char* env = std::getenv("SFMC_RULES"); env && *env) return std::string(env);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  fs::path bin = exe.parent_path();
  // An installation: <prefix>/bin/sfmc-scan and <prefix>/share/sfmc-scan/rules, which
  // an administrator may edit (the checksum assumption is data).
  fs::path installed = bin.parent_path() / "share" / "sfmc-scan" / "rules";
  if (fs::is_directory(installed, ec)) return installed.string();
  // A binary in the folder it was built in reads the source tree, so an edited rule
  // takes effect without a rebuild. Compared by identity, not by name: a build folder
  // reached through a symbolic link is still the build folder.
  if (fs::equivalent(bin, SFMC_BUILD_BIN_DIR, ec) && fs::is_directory(SFMC_SOURCE_RULES_DIR, ec))
    return std::string(SFMC_SOURCE_RULES_DIR);
  return std::nullopt;
}

}  // namespace

RuleSet load_default_rules() {
  if (std::optional<std::string> folder = rules_folder_on_disk()) return load_rules(*folder);
  std::vector<RuleFileText> files;
  for (const EmbeddedFile& f : kEmbeddedRuleFiles)
    files.push_back({"built-in:rules/" + std::string(f.name), std::string(f.text)});
  return parse_rule_files(files);
}

std::string default_rules_origin() { return rules_folder_on_disk().value_or("built-in"); }

}  // namespace sfmc
