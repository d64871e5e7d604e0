#pragma once
// What a walk of folders enters and what it passes over without a word (excludes,
// depth, .gitignore, .git folders): one place, asked by the walker and by the lister
// that lists folders ahead of it, so both make the same choice.
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "sources/gitignore.hpp"

namespace sfmc {

struct WalkOptions {
  bool follow_symlinks = false;
  std::vector<std::string> excludes;  // globs: without '/' they match a name, with '/' a path below the root
  int max_depth = -1;                 // entries deeper than this are not walked (1: a root's own entries); -1: no limit
  bool one_file_system = false;       // do not walk into folders on another file system than their root
  bool respect_gitignore = false;     // skip what .gitignore files (and .git folders) exclude
  // Read .git folders below a root as files. Off by default: packs are compressed
  // deltas, so reading them as bytes finds little and costs much; `sfmc-scan git`
  // reads history properly. Each one skipped is reported (git-internals).
  bool git_internals = false;
  // Folders listed at once, ahead of the walk: on a network mount or a bucket behind
  // FUSE each listing (and each stat a listing needs) waits on the store. 0: the walk
  // lists each folder itself when it gets there. The order of the walk is the same.
  unsigned listing_threads = 0;
  // With listing threads: how long the walk waits for a folder's listing before it
  // reports the folder (io-timeout) and goes on. 0: for ever.
  std::chrono::milliseconds listing_deadline{0};
  // If given, counts the listings and stats under way (a progress display shows it).
  std::atomic<unsigned>* requests_in_flight = nullptr;
};

class WalkRules {
 public:
  explicit WalkRules(WalkOptions options);
  const WalkOptions& options() const { return options_; }

  // Passed over silently: an --exclude glob matches, or deeper than --max-depth.
  bool passed_over(const std::string& relative, const std::string& name, int depth) const;
  // A folder (not a symlink to one) the walk enters, given the .gitignore rules in
  // force in its parent. Its .git folder is entered only when read as files.
  bool enters_folder(const std::string& relative, const std::string& name, int depth, const GitIgnore& ignore) const;

 private:
  WalkOptions options_;
};

}  // namespace sfmc
