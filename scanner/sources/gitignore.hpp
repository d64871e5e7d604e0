#pragma once
// .gitignore rules for --respect-gitignore: the patterns of each folder on the way
// down, the deepest and last matching one deciding, as git does.
//
// A value, cheap to copy: each folder's rules are a layer on its parent's, shared, so
// folders listed ahead of the walk (sources/folder_lister.hpp) each hold the rules in
// force there without a walk-wide stack to push and pop.
#include <memory>
#include <string>
#include <vector>

namespace sfmc {

class GitIgnore {
 public:
  // The rules in force inside folder `base` ("" for the root of the walk, else "a/b"):
  // these, then the patterns of `text`, its .gitignore.
  GitIgnore below(const std::string& base, const std::string& text) const;
  bool ignored(const std::string& relative, bool is_dir) const;
  bool empty() const { return layer_ == nullptr; }

 private:
  struct Rule {
    std::string base;     // folder of the .gitignore
    std::string pattern;  // without '!', leading '/' and trailing '/'
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // held a '/' before its end: relative to `base`, not any name
  };
  struct Layer {
    std::shared_ptr<const Layer> parent;
    std::vector<Rule> rules;
  };
  static bool matches(const Rule& r, const std::string& relative, bool is_dir);
  std::shared_ptr<const Layer> layer_;
};

}  // namespace sfmc
