#pragma once
// Commits as findings show them, through libgit2: for the few commits findings name.
// Which refs reach them: commit_walk.hpp (change modes), history_graph.hpp (history).
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

// Which of `paths` HEAD's tree still has (none when HEAD is unborn): a history finding
// at a path that is gone is worth saying so.
std::set<std::string> paths_at_head(git_repository* repo, const std::set<std::string>& paths);

// What a report names the scanned repository by: its remote (origin, else the first
// one; empty without remotes), the commit HEAD is at and the branch (empty when detached).
struct RepositoryIdentity {
  std::string remote_url, head_commit, branch;
};
RepositoryIdentity describe_repository(git_repository* repo);


}  // namespace sfmc::git
