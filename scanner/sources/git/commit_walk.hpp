#pragma once
// The commits a range or a push sends: those reachable from the included tips and from
// none of the excluded ones, found the way git's rev-list finds them (newest first by
// committer date; a commit reached from an excluded tip marks its ancestors excluded;
// the walk ends a few steps after only excluded commits are left to visit). Commits
// are read through ObjectReader: libgit2's revision walk reads and parses every commit
// on both sides before it yields the first, one thread, and on git/git's 200-commit
// ranges it was a third of the run.
//
// Like git's, the walk may include a commit that an excluded tip reaches only through
// a commit dated far in the future (clock skew): it is then scanned once more, never
// left out. A commit whose parent is missing (a shallow clone's boundary) is compared
// with nothing, and said so.
#include <cstdint>
#include <string>
#include <vector>

#include "sources/git/git_handle.hpp"
#include "sources/git/history_graph.hpp"
#include "sources/git/object_reader.hpp"
#include "sources/git/objects.hpp"

namespace sfmc::git {

struct WalkedCommit {
  ObjectId id{};
  ObjectId tree{};
  int64_t time = 0;  // committer date
  std::vector<ObjectId> parents;          // those the repository has
  std::vector<ObjectId> missing_parents;  // named by the commit, but not in the repository
};

// Throws GitError when an included tip cannot be read as a commit; an excluded one that
// cannot be is left out (the walk then keeps more, never less).
std::vector<WalkedCommit> walk_commits(const ObjectReader& reader, const std::vector<ObjectId>& include,
                                       const std::vector<ObjectId>& exclude);

// For each of `commits`: the tips from which it is reachable (indexes into `tips`).
// Every commit the tips reach is read once (its header only), whatever the number of
// tips, then HistoryGraph answers 64 commits per pass: asking libgit2 whether each
// ref descends from each commit took minutes on a clone with git/git's 1,000 tags.
// A commit the walk cannot read ends that line of history (a shallow boundary).
std::vector<std::vector<uint32_t>> tips_reaching(const ObjectReader& reader, const std::vector<ObjectId>& tips,
                                                 const std::vector<ObjectId>& commits);

}  // namespace sfmc::git
