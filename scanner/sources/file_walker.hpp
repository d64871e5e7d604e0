#pragma once
// Enumerates the files under the paths a user gave, depth first with each folder's
// entries sorted by name, so that output order never depends on the file system or on
// thread scheduling. Everything that is not scanned comes out as a skipped item with
// its reason: nothing is dropped silently.
#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/gitignore.hpp"
#include "sources/input.hpp"

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
};

class FileWalker final : public InputSource {
 public:
  FileWalker(std::vector<std::string> roots, WalkOptions options);
  ~FileWalker() override;
  // The next input, or nullopt when every root has been walked.
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override;

 private:
  struct Frame;
  std::optional<InputItem> next_item();
  bool excluded(const std::string& relative, const std::string& name) const;
  // Opens a folder (relative to its parent's handle when there is one) and pushes it.
  void push_dir(const std::string& path, const std::string& relative, int parent_fd, const std::string& name, int depth);

  std::vector<std::string> roots_;
  std::size_t next_root_ = 0;
  WalkOptions options_;
  std::vector<std::unique_ptr<Frame>> stack_;
  std::vector<InputItem> ready_;  // items produced while opening a folder (e.g. it is unreadable)
  dev_t root_dev_ = 0;
  GitIgnore ignore_;
};

}  // namespace sfmc
