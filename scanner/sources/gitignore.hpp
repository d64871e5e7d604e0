#pragma once
// .gitignore rules for --respect-gitignore: the patterns of each folder on the way
// down, the deepest and last matching one deciding, as git does.
#include <string>
#include <vector>

namespace sfmc {

class GitIgnore {
 public:
  // Adds the patterns of `text` (a .gitignore file) for the folder at `base`
  // ("" for the root of the walk, else "a/b").
  void add(const std::string& base, const std::string& text);
  // Drops the patterns of folders no longer on the walk's path.
  void leave(const std::string& base);
  bool ignored(const std::string& relative, bool is_dir) const;
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    std::string base;     // folder of the .gitignore
    std::string pattern;  // without '!', leading '/' and trailing '/'
    bool negate = false;
    bool dir_only = false;
    bool anchored = false;  // held a '/' before its end: relative to `base`, not any name
  };
  std::vector<Rule> rules_;
};

}  // namespace sfmc
