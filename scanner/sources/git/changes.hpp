#pragma once
// Blobs that a set of commits, or the index, adds: what a pull-request CI step, a
// pre-push hook and a pre-commit hook scan. Only the lines those changes add count.
//
// What a commit introduces is decided by blob ids, never by similarity: a blob that
// any parent already holds, at any path, is not new (so an exact rename or copy adds
// nothing), and a merge introduces only what differs from every parent. Trees are
// read and compared by id, so an unchanged subtree is never opened.
#include <istream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "sources/git/git_handle.hpp"
#include "sources/git/object_reader.hpp"
#include "sources/git/provenance.hpp"

namespace sfmc::git {

struct Change {
  ObjectId blob{};
  // The path's content in each parent that has it there (one for a plain commit, up
  // to one per parent for a merge; none when the path is new). A line is added when
  // no previous version has it.
  std::vector<ObjectId> old_blobs;
  std::string path;
  std::optional<CommitInfo> commit;  // none for staged changes
};

struct ChangeSet {
  std::vector<Change> changes;
  std::vector<Skipped> notes;  // submodules not scanned, ...
  // The commit on the base side of the range or push (what it is compared against),
  // when there is exactly one: the project configuration is read from its tree.
  std::optional<ObjectId> base;
  // Commits and annotated tags the range or push sends (message scanning).
  std::vector<ObjectId> commits;
  // The packs the changes were read from, for reading their blobs (none for staged ones).
  std::shared_ptr<const ObjectReader> objects;
};

// What `git commit` would record: index entries that differ from HEAD (staged only;
// the working tree and untracked files are not looked at).
ChangeSet staged_changes(git_repository* repo);

// Blobs introduced by the commits of `range` ("A..B", or "X" meaning X..HEAD).
ChangeSet range_changes(git_repository* repo, const std::string& range);

// Reads git's pre-push hook input ("<local ref> <local sha> <remote ref> <remote sha>"
// lines) and returns what the push would send that the remote does not have.
ChangeSet push_changes(git_repository* repo, std::istream& hook_input);

// 1-based line numbers of `blob` that none of `old_blobs` has (every line when there
// is none).
std::set<uint64_t> added_lines(git_repository* repo, const std::vector<ObjectId>& old_blobs, const ObjectId& blob);

// The content of the file at `path` (slash-separated) in `commit`'s tree, if there is
// a blob there.
std::optional<std::string> file_at(git_repository* repo, const ObjectId& commit, const std::string& path);

}  // namespace sfmc::git
