#pragma once
// Reads a git pack file directly, for the history sweep. libgit2 reads one object at a
// time, re-resolving delta chains through a shared cache; here the pack is planned
// once (every object's type, size and delta base from its header) and each delta
// family is decoded depth first, so every object is inflated exactly once and only
// blob families are inflated at all.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sources/git/git_handle.hpp"

namespace sfmc::git {

class PackFile {
 public:
  enum Type : uint8_t { none = 0, commit = 1, tree = 2, blob = 3, tag = 4, ofs_delta = 6, ref_delta = 7 };

  // Maps `pack` (read only) and reads its version-2 index `idx`. Throws GitError.
  PackFile(const std::string& pack, const std::string& idx);
  ~PackFile();
  PackFile(const PackFile&) = delete;
  PackFile& operator=(const PackFile&) = delete;

  std::size_t size() const { return ids_.size(); }  // objects, in pack order
  const ObjectId& id(std::size_t i) const { return ids_[i]; }
  Type final_type(std::size_t i) const { return final_type_[i]; }
  uint64_t object_size(std::size_t i) const { return sizes_[i]; }  // for deltas: the delta's size
  // Objects whose base is not in this pack or whose header is damaged: read them another way.
  const std::vector<std::size_t>& unresolved() const { return unresolved_; }
  // Non-delta blobs: the roots of the blob delta families, in pack order.
  const std::vector<std::size_t>& blob_roots() const { return blob_roots_; }
  // Non-delta objects of every type: the roots of all delta families, in pack order.
  const std::vector<std::size_t>& roots() const { return roots_; }
  const std::vector<uint32_t>& children(std::size_t i) const { return children_[i]; }

  // Inflates object i's own data (the content of a base object, the delta of a delta).
  // False with `error` set when the data is damaged.
  bool inflate(std::size_t i, std::string& out, std::string& error) const;

  // Decodes the family rooted at `root` depth first; `visit(index, content)` sees every
  // member's full content. A damaged member is reported through `failed(index, why)`
  // and its descendants are skipped (they are reported too).
  void decode_family(std::size_t root, const std::function<void(std::size_t, std::string_view)>& visit,
                     const std::function<void(std::size_t, const std::string&)>& failed) const;

  static bool apply_delta(std::string_view base, std::string_view delta, std::string& out, std::string& error);

  // Whether the pack holds object `id` (binary search in the index's own id order).
  bool contains(const ObjectId& id) const;

 private:
  void plan();

  std::string path_;
  const unsigned char* data_ = nullptr;
  std::size_t length_ = 0;
  std::vector<ObjectId> ids_;          // pack order
  std::vector<uint32_t> by_id_;        // pack-order indexes in id order (the index file's order)
  std::vector<uint64_t> offsets_;      // pack order, ascending
  std::vector<uint64_t> data_offsets_; // where each object's zlib stream starts
  std::vector<uint64_t> sizes_;
  std::vector<Type> types_;            // as stored
  std::vector<Type> final_type_;       // deltas resolved to their family's type
  std::vector<int64_t> base_;          // index of a delta's base, -1 otherwise
  std::vector<std::vector<uint32_t>> children_;
  std::vector<std::size_t> blob_roots_;
  std::vector<std::size_t> roots_;
  std::vector<std::size_t> unresolved_;
};

// Every pack of a repository, in name order.
std::vector<std::string> pack_files(git_repository* repo);

// Loose objects of the repository's own object folder, by id; nullopt when the
// repository borrows objects from elsewhere (alternates), which only libgit2 lists.
std::optional<std::vector<ObjectId>> loose_object_ids(git_repository* repo);

}  // namespace sfmc::git
