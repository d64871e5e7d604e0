#pragma once
// Reads a git pack file directly. libgit2 reads one object at a time, re-resolving
// delta chains through a shared cache; here the pack is planned once (every object's
// type, size and delta base from its header) and each delta family is decoded depth
// first, so every object is inflated once and only the families a caller asks for
// (blobs for the sweep; trees, commits and tags for history) are inflated at all.
//
// The pack is untrusted input: the planner checks every header against what the pack
// can hold before anything is allocated, detects delta cycles and bases that are not
// objects, and reports each such object as damaged instead of handing it on.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sources/git/git_handle.hpp"

namespace sfmc::git {

class PackFile {
 public:
  enum Type : uint8_t { none = 0, commit = 1, tree = 2, blob = 3, tag = 4, reserved = 5, ofs_delta = 6, ref_delta = 7 };

  // An object the pack cannot yield, and why (said in a warning).
  struct Damage {
    std::size_t object;
    std::string why;
  };

  // Maps `pack` (read only) and reads its version-2 index `idx`. Throws GitError when
  // either is not a pack at all; damage to single objects is recorded, not thrown.
  PackFile(const std::string& pack, const std::string& idx);
  ~PackFile();
  PackFile(const PackFile&) = delete;
  PackFile& operator=(const PackFile&) = delete;

  const std::string& path() const { return path_; }
  std::size_t size() const { return ids_.size(); }  // objects, in pack order
  const ObjectId& id(std::size_t i) const { return ids_[i]; }
  // The type of the object's content (a delta's is its family's); none when damaged or unresolved.
  Type final_type(std::size_t i) const { return final_type_[i]; }
  uint64_t object_size(std::size_t i) const { return sizes_[i]; }  // for deltas: the delta's size

  // Deltas whose chain leaves this pack (a ref-delta base held elsewhere): read them another way.
  const std::vector<std::size_t>& unresolved() const { return unresolved_; }
  // Objects this pack cannot yield at all (damaged headers, reserved types, delta cycles,
  // bases that are not objects, sizes the pack cannot hold), with the reason; by index.
  const std::vector<Damage>& damaged() const { return damaged_; }

  // The roots of the delta families of one type: its non-delta objects, in pack order.
  // decode_family(root) then yields every member, root and deltas, with full content.
  const std::vector<std::size_t>& roots(Type type) const;
  const std::vector<std::size_t>& blob_roots() const { return roots(blob); }
  // Deltas based on object i, the one with the largest family last (see decode_family).
  std::span<const uint32_t> children(std::size_t i) const {
    return {child_list_.data() + child_at_[i], child_list_.data() + child_at_[i + 1]};
  }

  // Called with each member of a family and its full content (valid during the call).
  using Visit = std::function<void(std::size_t object, std::string_view content)>;
  // Called with each member that cannot be decoded; `recovered` is the part of its
  // content that did decode before the damage (empty when none did, or for deltas).
  using Fail = std::function<void(std::size_t object, const std::string& why, std::string_view recovered)>;

  // Decodes the family rooted at `root` depth first, each object inflated once. A damaged
  // member is reported through `failed`, and so is each of its descendants. Memory: the
  // largest child is descended into last, after its parent's content is dropped, so at
  // most log2(family size) bases are held; beyond `base_cache_bytes` they are dropped too
  // and rebuilt from the root when needed. Thread-safe: families decode in parallel.
  void decode_family(std::size_t root, const Visit& visit, const Fail& failed,
                     std::size_t base_cache_bytes = kDefaultBaseCacheBytes) const;
  static constexpr std::size_t kDefaultBaseCacheBytes = std::size_t{64} << 20;

  // Inflates object i's own data (the content of a base object, the delta of a delta).
  // False with `error` set when the data is damaged; `out` then holds what did decode.
  bool inflate(std::size_t i, std::string& out, std::string& error) const;

  // An entry's header: type and size, then an OFS delta's base distance or a REF
  // delta's base id. Shared by the planner (read_header) and the single-object reader
  // (object_reader.cpp), so both read the same bytes the same way.
  struct EntryHeader {
    Type type = none;
    uint64_t size = 0;                       // of the object, or of the delta
    uint64_t base_back = 0;                  // ofs_delta: how far before the entry its base starts
    const unsigned char* base_id = nullptr;  // ref_delta: the base's 20-byte id, in the pack
    uint64_t data_at = 0;                    // where the compressed data starts
  };
  enum class EntryProblem {
    none,
    truncated_header,
    size_too_long,
    reserved_type,  // type 0 or 5
    truncated_base_offset,
    base_offset_too_long,
    truncated_base_id
  };
  // Parses the entry at `at`, reading no byte at or past `stop`. When the problem comes
  // after the size (a reserved type, a bad base), `type` and `size` are already set.
  static EntryProblem parse_entry_header(const unsigned char* data, uint64_t at, uint64_t stop, EntryHeader& out);

  // Applies a git delta. The instructions are checked against the base and the stated
  // result size before the result is allocated, and a stated result over `max_result`
  // bytes is refused before anything else. False with `error` when they do not fit.
  // With `copies`: the ranges of the result copied from the base, in result order (a
  // tree's entries that lie whole in one are its base's entries, unchanged).
  struct Copy {
    uint64_t to, from, length;
  };
  static bool apply_delta(std::string_view base, std::string_view delta, std::string& out, std::string& error,
                          uint64_t max_result = UINT64_MAX, std::vector<Copy>* copies = nullptr);

  // The largest content object i may decode to. A delta copies up to 16 MiB of its base
  // per 4-byte instruction, so a few kilobytes of deltas on deltas could state gigabytes
  // (and get them: the copies are real). As for archives (ArchiveLimits: 1000:1 past
  // 64 MiB), the bound is what zlib at its densest (1032:1) could expand the compressed
  // bytes of the object and every base of its chain to, and never under 64 MiB. A real
  // object is not refused in practice: only content over 64 MiB that compresses better
  // than zlib can (a delta copying its base many times over) would be.
  uint64_t max_content_size(std::size_t i) const;
  static constexpr uint64_t kContentFloorBytes = uint64_t{64} << 20;

  // Drops the pack's pages from this process's resident set (they stay in the page
  // cache and fault back in when read again): a whole-history sweep touches every page
  // of a pack of hundreds of megabytes, which would otherwise all count as its memory.
  // Safe while other threads decode: the mapping is read-only.
  void release_pages() const;

  // Whether the pack holds object `id` (binary search in the index's own id order).
  bool contains(const ObjectId& id) const;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t find(const ObjectId& id) const;  // its index, or npos
  int64_t base(std::size_t i) const { return base_[i]; }  // a delta's base in this pack, else -1

 private:
  void plan();
  void read_header(std::size_t i);
  void classify_orphans();
  bool rebuild(std::size_t object, std::string& out, std::string& error) const;

  std::string path_;
  const unsigned char* data_ = nullptr;
  std::size_t length_ = 0;
  std::vector<ObjectId> ids_;          // pack order
  std::vector<uint32_t> by_id_;        // pack-order indexes in id order (the index file's order)
  std::vector<uint64_t> offsets_;      // pack order, ascending
  std::vector<uint64_t> data_offsets_; // where each object's zlib stream starts; 0 when unusable
  std::vector<uint64_t> sizes_;
  std::vector<uint64_t> chain_bytes_;  // compressed bytes of the object and all its bases
  std::vector<Type> types_;            // as stored
  std::vector<Type> final_type_;       // deltas resolved to their family's type
  std::vector<int32_t> base_;          // index of a delta's base, -1 otherwise (indexes fit: see the constructor)
  // Deltas by base, in one array (a vector per object cost 30 MB on git/git's 849k objects):
  // object i's children are child_list_[child_at_[i] .. child_at_[i + 1]).
  std::vector<uint32_t> child_at_;
  std::vector<uint32_t> child_list_;
  std::vector<std::size_t> roots_[5];  // by type (commit..tag)
  std::vector<std::size_t> unresolved_;
  std::vector<Damage> damaged_;
};


// Every pack of a repository, in name order.
std::vector<std::string> pack_files(git_repository* repo);

// Loose objects of the repository's own object folder, by id; nullopt when the
// repository borrows objects from elsewhere (alternates), which only libgit2 lists.
std::optional<std::vector<ObjectId>> loose_object_ids(git_repository* repo);

}  // namespace sfmc::git
