#pragma once
// Where a blob sits in history: the earliest commit (by committer date) whose tree
// holds it, at which path, by whom, and which refs reach it. Worked out in one walk
// over every commit reachable from any ref, only for the blobs that have findings,
// with each tree examined once however many commits share it.
#include <cstdint>
#include <map>
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

struct BlobProvenance {
  bool reachable = false;
  CommitInfo first;                 // earliest commit holding the blob
  std::string path;                 // its path in that commit
  std::vector<std::string> paths;   // every path it has anywhere in history, sorted
  std::vector<std::string> refs;    // refs from which a first commit at some path is reachable
};

struct RefTip {
  std::string name;
  ObjectId commit;
};

// Every ref (branches, tags, remote-tracking refs, stash, notes) that peels to a commit.
std::vector<RefTip> list_ref_tips(git_repository* repo);

std::map<ObjectId, BlobProvenance> attribute_blobs(git_repository* repo, const std::set<ObjectId>& blobs);

// Which of `paths` HEAD's tree still has (none when HEAD is unborn): a history finding
// at a path that is gone is worth saying so.
std::set<std::string> paths_at_head(git_repository* repo, const std::set<std::string>& paths);

// What a report names the scanned repository by: its remote (origin, else the first
// one; empty without remotes), the commit HEAD is at and the branch (empty when detached).
struct RepositoryIdentity {
  std::string remote_url, head_commit, branch;
};
RepositoryIdentity describe_repository(git_repository* repo);

// Refs (of `tips`) from which `commit` is reachable, sorted.
std::vector<std::string> refs_reaching(git_repository* repo, const std::vector<RefTip>& tips, const ObjectId& commit);

}  // namespace sfmc::git
