#pragma once
// Blobs that a set of commits, or the index, adds: what a pull-request CI step, a
// pre-push hook and a pre-commit hook scan. Only the lines those changes add count.
#include <istream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "sources/git/git_handle.hpp"
#include "sources/git/provenance.hpp"

namespace sfmc::git {

struct Change {
  ObjectId blob{};
  std::optional<ObjectId> old_blob;  // the path's content before the change, if any
  std::string path;
  std::optional<CommitInfo> commit;  // none for staged changes
};

struct ChangeSet {
  std::vector<Change> changes;
  std::vector<Skipped> notes;  // submodules not scanned, ...
};

// What `git commit` would record: index entries that differ from HEAD (staged only;
// the working tree and untracked files are not looked at).
ChangeSet staged_changes(git_repository* repo);

// Blobs introduced by the commits of `range` ("A..B", or "X" meaning X..HEAD). A
// merge introduces only what differs from every parent. Renames carry no new lines.
ChangeSet range_changes(git_repository* repo, const std::string& range);

// Reads git's pre-push hook input ("<local ref> <local sha> <remote ref> <remote sha>"
// lines) and returns what the push would send that the remote does not have.
ChangeSet push_changes(git_repository* repo, std::istream& hook_input);

// 1-based line numbers of `blob` that are not in `old_blob` (every line when there is none).
std::set<uint64_t> added_lines(git_repository* repo, const std::optional<ObjectId>& old_blob, const ObjectId& blob);

}  // namespace sfmc::git
