#pragma once
// One folder's listing, as the walk needs it: the folder opened once (its files are
// opened relative to it), its entries sorted by name with their types known, and the
// problems met on the way. On a network mount or a bucket behind FUSE a listing is the
// slow part of a walk, so it is a unit of its own: the walker lists a folder when it
// gets there, or a lister did so ahead of it (sources/folder_lister.hpp).
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "sources/gitignore.hpp"
#include "sources/input.hpp"
#include "sources/walk_rules.hpp"

namespace sfmc {

struct FolderEntry {
  std::string name;
  unsigned char type = 0;  // a dirent d_type; DT_UNKNOWN until learnt
  int stat_error = 0;      // errno when the type could not be learnt
};

// A folder to list, and what the walk knows of it beforehand.
struct FolderRequest {
  std::string path;      // as displayed
  std::string relative;  // below its root ("" for the root)
  std::shared_ptr<const DirHandle> parent;  // opened relative to it by `name`; null: by `path`
  std::string name;
  int depth = 0;         // a root is 0, its own entries are at depth 1
  dev_t root_dev = 0;    // its root's device (--one-file-system); unused for a root
  GitIgnore ignore;      // the rules in force in its parent
};

struct FolderListing {
  std::shared_ptr<const DirHandle> dir;  // null: not walked, `problems` say why
  dev_t dev = 0;
  ino_t ino = 0;
  dev_t root_dev = 0;                // for the requests of its subfolders
  std::vector<FolderEntry> entries;  // by name
  std::vector<InputItem> problems;   // skipped items, reported before its entries
  GitIgnore ignore;                  // the rules in force inside it
};

// Where an entry of a listed folder is: as displayed, and below its root.
std::string entry_path(const FolderRequest& folder, const std::string& name);
std::string entry_relative(const FolderRequest& folder, const std::string& name);
// The request that lists entry `e` of `folder` (listed as `listing`) as a folder.
FolderRequest subfolder_request(const FolderRequest& folder, const FolderListing& listing, const FolderEntry& e);

// Opens and lists a folder. Entries whose type the listing did not give (DT_UNKNOWN,
// as some network and FUSE file systems answer) are left so, for learn_types().
FolderListing list_folder(const FolderRequest& request, const WalkRules& rules);

// The entries of `listing` whose type is still to learn, leaving out those the walk
// passes over anyway: on a mount each one costs a stat.
std::vector<std::size_t> types_to_learn(const FolderListing& listing, const FolderRequest& request, const WalkRules& rules);

// Learns the types of those entries (one stat each, not following symlinks).
void learn_types(FolderListing& listing, const std::size_t* first, const std::size_t* last);

}  // namespace sfmc
