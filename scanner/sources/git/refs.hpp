#pragma once
// The tips of history: every ref, and the pseudo-refs git itself counts (a detached
// HEAD, FETCH_HEAD, ORIG_HEAD, MERGE_HEAD, in the repository and each worktree). A
// commit only a detached HEAD points to is what a CI runner checks out for a pull
// request; it must count as history.
#include <string>
#include <vector>

#include "sources/git/git_handle.hpp"

namespace sfmc::git {

struct Tip {
  std::string name;  // "refs/heads/main", "HEAD", "worktrees/wt/HEAD", "FETCH_HEAD"
  ObjectId target;   // what it points to directly: a commit, or an annotated tag, ...
};

// Sorted by name (pseudo-refs first). Throws GitError when the refs cannot be read
// (a damaged packed-refs): a scan that silently saw no refs would look clean.
std::vector<Tip> read_tips(git_repository* repo);

}  // namespace sfmc::git
