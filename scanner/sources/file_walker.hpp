#pragma once
// Enumerates the files under the paths a user gave, depth first with each folder's
// entries sorted by name, so that output order never depends on the file system or on
// thread scheduling. Everything that is not scanned comes out as a skipped item with
// its reason: nothing is dropped silently.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/folder_lister.hpp"
#include "sources/folder_listing.hpp"
#include "sources/input.hpp"
#include "sources/walk_rules.hpp"

namespace sfmc {

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
  // Lists a folder (or takes its listing from the lister) and walks into it.
  void enter(FolderRequest request, FolderLister::Key key);

  std::vector<std::string> roots_;
  std::size_t next_root_ = 0;
  WalkRules rules_;
  std::unique_ptr<FolderLister> lister_;  // WalkOptions::listing_threads > 0
  std::vector<std::unique_ptr<Frame>> stack_;
  std::vector<InputItem> ready_;  // items produced while opening a folder (e.g. it is unreadable)
};

}  // namespace sfmc
