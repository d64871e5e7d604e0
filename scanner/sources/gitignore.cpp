#include "sources/gitignore.hpp"

#include <fnmatch.h>

#include <sstream>

namespace sfmc {

GitIgnore GitIgnore::below(const std::string& base, const std::string& text) const {
  auto layer = std::make_shared<Layer>();
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
    layer->rules.push_back(std::move(r));
  }
  if (layer->rules.empty()) return *this;
  layer->parent = layer_;
  GitIgnore out;
  out.layer_ = std::move(layer);
  return out;
}

bool GitIgnore::matches(const Rule& r, const std::string& relative, bool is_dir) {
  if (r.dir_only && !is_dir) return false;
  if (!r.base.empty() && relative.compare(0, r.base.size() + 1, r.base + "/") != 0) return false;
  std::string below = r.base.empty() ? relative : relative.substr(r.base.size() + 1);
  if (r.anchored) {
    // "**" crosses folders; otherwise '*' stays within one, as in git.
    int flags = r.pattern.find("**") == std::string::npos ? FNM_PATHNAME : 0;
    if (fnmatch(r.pattern.c_str(), below.c_str(), flags) == 0) return true;
    // "dir/sub" also ignores everything below it.
    for (std::size_t at = below.find('/'); at != std::string::npos; at = below.find('/', at + 1))
      if (fnmatch(r.pattern.c_str(), below.substr(0, at).c_str(), flags) == 0) return true;
    return false;
  }
  std::string name = below.substr(below.find_last_of('/') == std::string::npos ? 0 : below.find_last_of('/') + 1);
  return fnmatch(r.pattern.c_str(), name.c_str(), 0) == 0;
}

bool GitIgnore::ignored(const std::string& relative, bool is_dir) const {
  // The last matching rule decides: the deepest folder's, the last of its file.
  for (const Layer* l = layer_.get(); l; l = l->parent.get())
    for (auto r = l->rules.rbegin(); r != l->rules.rend(); ++r)
      if (matches(*r, relative, is_dir)) return !r->negate;
  return false;
}

}  // namespace sfmc
