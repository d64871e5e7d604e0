#pragma once
// Reads single objects by id, straight from a repository's packs: the index is looked
// up in place (mapped, not loaded), the entry inflated with the fastest inflate this
// machine has, and delta chains applied here, with a cache of recent bases shared by
// every thread. The change modes (--range, --pre-push) read a few thousand commits and
// trees out of packs of a million objects: planning the whole pack, as the sweep's
// PackFile does, would cost more than the reads, and libgit2's reads serialise on its
// pack lock, so its threads do not add up.
//
// Whatever the packs cannot give (a loose object, an object of an alternate, a damaged
// entry, a delta whose base is elsewhere) is read through libgit2, which then says what
// is wrong: a reader that found less than libgit2 would let a change pass unseen.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sources/git/git_handle.hpp"

namespace sfmc::git {

class ObjectReader {
 public:
  // Maps every pack of `repo` that has a version-2 index. Packs that cannot be mapped
  // are left to libgit2. The reader keeps its own reference to the object database:
  // it may outlive `repo`.
  explicit ObjectReader(git_repository* repo);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // The object's type and content. Throws GitError (libgit2's words) when neither the
  // packs nor libgit2 can read it. Thread-safe.
  git_object_t read(const ObjectId& id, std::string& content) const;

  // Like read(), but of a commit only the header up to its committer line may be read
  // (what a revision walk needs); other objects whole.
  git_object_t read_commit_head(const ObjectId& id, std::string& content) const;

  // Only from the packs: false (nothing read) when they do not hold the object or
  // cannot give it, for callers that read the rest their own way.
  bool read_from_packs(const ObjectId& id, git_object_t& type, std::string& content) const;

  // Whether the object is in the repository at all (packs first, then libgit2).
  bool exists(const ObjectId& id) const;

  // How many reads the packs answered and how many went to libgit2 (for tests).
  struct Counts {
    uint64_t packed = 0, libgit2 = 0;
  };
  Counts counts() const;

 private:
  struct Pack;
  struct BaseCache;
  bool read_packed(const ObjectId& id, git_object_t& type, std::string& content, bool head_only) const;
  bool read_at(std::size_t pack, uint64_t offset, git_object_t& type, std::string& content, bool head_only) const;

  Odb odb_;
  std::vector<std::unique_ptr<Pack>> packs_;
  std::unique_ptr<BaseCache> cache_;
  struct Counters;
  std::unique_ptr<Counters> counters_;
};

}  // namespace sfmc::git
