#include "sources/gitignore.hpp"

#include <fnmatch.h>

#include <sstream>

namespace sfmc {

void GitIgnore::add(const std::string& base, const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    while (!line.empty() && line.back() == ' ' && (line.size() < 2 || line[line.size() - 2] != '\\')) line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    Rule r;
    r.base = base;
    if (line[0] == '!') {
      r.negate = true;
      line.erase(0, 1);
    } else if (line[0] == '\\') {
      line.erase(0, 1);  // "\#file" and "\!file" name files
    }
    if (!line.empty() && line.back() == '/') {
      r.dir_only = true;
      line.pop_back();
    }
    if (line.find('/') != std::string::npos) r.anchored = true;
    if (!line.empty() && line[0] == '/') line.erase(0, 1);
    if (line.rfind("**/", 0) == 0 && line.find('/', 3) == std::string::npos) {
      line.erase(0, 3);  // "**/name" is any "name"
      r.anchored = false;
    }
    if (line.empty()) continue;
    r.pattern = line;
    rules_.push_back(std::move(r));
  }
}

void GitIgnore::leave(const std::string& base) {
  while (!rules_.empty() && rules_.back().base == base && !base.empty()) rules_.pop_back();
}

bool GitIgnore::ignored(const std::string& relative, bool is_dir) const {
  bool ignored = false;
  for (const Rule& r : rules_) {
    if (r.dir_only && !is_dir) continue;
    if (!r.base.empty() && relative.compare(0, r.base.size() + 1, r.base + "/") != 0) continue;
    std::string below = r.base.empty() ? relative : relative.substr(r.base.size() + 1);
    bool match;
    if (r.anchored) {
      // "**" crosses folders; otherwise '*' stays within one, as in git.
      int flags = r.pattern.find("**") == std::string::npos ? FNM_PATHNAME : 0;
      match = fnmatch(r.pattern.c_str(), below.c_str(), flags) == 0;
      // "dir/sub" also ignores everything below it.
      if (!match) {
        for (std::size_t at = below.find('/'); at != std::string::npos && !match; at = below.find('/', at + 1))
          match = fnmatch(r.pattern.c_str(), below.substr(0, at).c_str(), flags) == 0;
      }
    } else {
      std::string name = below.substr(below.find_last_of('/') == std::string::npos ? 0 : below.find_last_of('/') + 1);
      match = fnmatch(r.pattern.c_str(), name.c_str(), 0) == 0;
    }
    if (match) ignored = !r.negate;
  }
  return ignored;
}

}  // namespace sfmc
