#pragma once
// Thin RAII over libgit2: owning pointers, errors as exceptions with libgit2's words,
// and object ids as hex.
#include <git2.h>

#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace sfmc::git {

// Initialises libgit2 once per process, with hash verification of every object read
// turned off: it cost 2.5x on full-history reads, and the scanner only reads.
void ensure_initialised();

struct GitError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws GitError("<what>: <libgit2's last error>") when rc < 0.
void check(int rc, const std::string& what);
std::string last_error();

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Repository = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using Odb = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;
using OdbObject = std::unique_ptr<git_odb_object, Deleter<git_odb_object, git_odb_object_free>>;
using Commit = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using Object = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using Revwalk = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using Diff = std::unique_ptr<git_diff, Deleter<git_diff, git_diff_free>>;
using Index = std::unique_ptr<git_index, Deleter<git_index, git_index_free>>;
using Reference = std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;

using ObjectId = std::array<unsigned char, 20>;
// Ids are uniformly distributed already: their first bytes are the hash.
struct ObjectIdHash {
  std::size_t operator()(const ObjectId& id) const {
    std::size_t h;
    std::memcpy(&h, id.data(), sizeof h);
    return h;
  }
};
ObjectId to_id(const git_oid& oid);
// A partial clone (git clone --filter=...): blobs its filter left on the server are
// missing by design.
bool is_partial_clone(git_repository* repo);
// The 20 bytes of an id inside an object (a tree entry's).
inline ObjectId to_id(const unsigned char* id20) {
  ObjectId id;
  std::memcpy(id.data(), id20, id.size());
  return id;
}
git_oid to_oid(const ObjectId& id);
std::string hex(const git_oid& oid);
std::string hex(const ObjectId& id);

// Opens the repository at or around `path` (worktrees and bare repositories too).
Repository open_repository(const std::string& path);

}  // namespace sfmc::git
