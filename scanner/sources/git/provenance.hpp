#pragma once
// Commits as findings show them, and which refs reach a commit, through libgit2: for
// the few commits findings name. Whole-history attribution is history_graph.hpp.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sources/git/git_handle.hpp"

namespace sfmc::git {

struct CommitInfo {
  std::string id;      // hex
  std::string author;  // "Name <email>"
  std::string date;    // committer date, ISO 8601 with offset
  int64_t time = 0;    // committer date, seconds since the epoch
};

CommitInfo describe_commit(git_commit* c);
// Looked up by id; nullopt when the commit cannot be read.
std::optional<CommitInfo> describe_commit(git_repository* repo, const ObjectId& id);
// An annotated tag's tagger and date, in CommitInfo's shape (id: the tag object's).
std::optional<CommitInfo> describe_tag(git_repository* repo, const ObjectId& id);

struct RefTip {
  std::string name;
  ObjectId commit;
};

// Every tip (refs.hpp: refs, a detached HEAD, FETCH_HEAD, ...) that peels to a
// commit. Throws GitError when the refs cannot be read.
std::vector<RefTip> list_ref_tips(git_repository* repo);

// Refs (of `tips`) from which `commit` is reachable, sorted.
std::vector<std::string> refs_reaching(git_repository* repo, const std::vector<RefTip>& tips, const ObjectId& commit);

}  // namespace sfmc::git
