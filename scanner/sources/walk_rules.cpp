#include "sources/walk_rules.hpp"

#include <fnmatch.h>

namespace sfmc {

WalkRules::WalkRules(WalkOptions options) : options_(std::move(options)) {
  for (std::string& g : options_.excludes)
    if (g.rfind("./", 0) == 0) g.erase(0, 2);
}

bool WalkRules::passed_over(const std::string& relative, const std::string& name, int depth) const {
  if (options_.max_depth >= 0 && depth > options_.max_depth) return true;
  for (const std::string& g : options_.excludes) {
    const std::string& subject = g.find('/') == std::string::npos ? name : relative;
    if (fnmatch(g.c_str(), subject.c_str(), 0) == 0) return true;
  }
  return false;
}

bool WalkRules::enters_folder(const std::string& relative, const std::string& name, int depth,
                              const GitIgnore& ignore) const {
  if (passed_over(relative, name, depth)) return false;
  if (options_.respect_gitignore && !ignore.empty() && ignore.ignored(relative, true)) return false;
  if (name == ".git") return options_.git_internals && !options_.respect_gitignore;
  return true;
}

}  // namespace sfmc
