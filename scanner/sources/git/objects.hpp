#pragma once
// The raw formats of git's commit, tag and tree objects, read without libgit2: the
// history graph is built from whole packs of them, where a lookup per object costs
// more than the decoding.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "sources/git/git_handle.hpp"

namespace sfmc::git {

struct RawCommit {
  ObjectId tree{};
  std::vector<ObjectId> parents;
  int64_t time = 0;              // committer date, seconds since the epoch
  std::string_view message;      // after the headers (may be empty)
  std::size_t message_at = 0;    // where the message starts in the object
};

// nullopt when `data` is not a commit object (no tree header).
std::optional<RawCommit> parse_commit(std::string_view data);

struct RawTag {
  ObjectId target{};
  int target_type = 0;           // PackFile::Type numbering: 1 commit, 2 tree, 3 blob, 4 tag
  std::string_view name;
  std::string_view message;
  std::size_t message_at = 0;
};

std::optional<RawTag> parse_tag(std::string_view data);

struct TreeEntry {
  enum Kind : uint8_t { blob, tree, gitlink };
  Kind kind;
  std::string_view name;
  const unsigned char* id;  // 20 bytes inside the tree object
};

// The entry at `p` (before `end`): where the next one starts, or nullptr when the
// bytes there are not a whole entry (a malformed tree).
inline const char* parse_tree_entry(const char* p, const char* end, TreeEntry& e) {
  // Every tree of a history goes through here (tens of millions of entries): the mode
  // and name are scanned by hand, they are a few bytes each.
  const char* space = p;
  while (space < end && *space != ' ') ++space;
  if (space == end) return nullptr;
  const char* nul = space + 1;
  while (nul < end && *nul != 0) ++nul;
  if (end - nul < 21) return nullptr;
  // Modes are octal text without leading zeros: 40000 a tree, 160000 a submodule commit.
  const std::size_t mode_length = static_cast<std::size_t>(space - p);
  e.kind = mode_length == 5 && p[0] == '4' ? TreeEntry::tree
           : mode_length == 6 && p[0] == '1' && p[1] == '6' ? TreeEntry::gitlink
                                                             : TreeEntry::blob;
  e.name = std::string_view(space + 1, static_cast<std::size_t>(nul - space - 1));
  e.id = reinterpret_cast<const unsigned char*>(nul + 1);
  return nul + 21;
}

// Calls `visit(entry)` for each entry; false when the tree is malformed (the entries
// before the damage have been visited).
template <typename Visit>
bool for_each_tree_entry(std::string_view data, Visit&& visit) {
  const char* p = data.data();
  const char* end = p + data.size();
  while (p < end) {
    TreeEntry e;
    const char* next = parse_tree_entry(p, end, e);
    if (!next) return false;
    visit(e);
    p = next;
  }
  return true;
}

}  // namespace sfmc::git
