#pragma once
// Objects read one by one through libgit2: loose objects, and pack objects the pack
// reader cannot resolve itself (history_sweep.hpp); also the blobs of staged and
// pushed changes.
#include <memory>
#include <string>
#include <vector>

#include "sources/git/git_handle.hpp"
#include "sources/git/object_reader.hpp"
#include "sources/input.hpp"

namespace sfmc::git {

class ObjectSource final : public InputSource {
 public:
  // These objects, in this order.
  ObjectSource(std::string repository_path, std::vector<ObjectId> ids)
      : path_(std::move(repository_path)), ids_(std::move(ids)) {}
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override;
  std::size_t size() const { return ids_.size(); }

 private:
  std::string path_;
  std::vector<ObjectId> ids_;
  std::size_t next_ = 0;
};

// Every object id in the repository's object database (packs, loose objects,
// alternates), sorted, each once.
std::vector<ObjectId> all_object_ids(git_repository* repo);

// Reads blobs: loose objects of the repository's own object folder itself (libgit2
// believes a loose header's size: one stating 4 GB over a few bytes would yield 4 GB of
// zeros), everything else through a libgit2 object database of its own. Other object
// types are passed over. Items name blobs by id.
class BlobReader final : public InputReader {
 public:
  // With `packs`, blobs the packs hold are read from them first (in parallel, unlike
  // libgit2's reads); the rest as above.
  explicit BlobReader(const std::string& repository_path, std::shared_ptr<const ObjectReader> packs = nullptr);
  void read(const InputItem& item, InputContext& ctx) override;

 private:
  bool read_loose(const InputItem& item, InputContext& ctx);

  Repository repo_;
  Odb odb_;
  std::string objects_;  // the repository's own objects folder
  std::shared_ptr<const ObjectReader> packs_;
  std::string content_;  // reused: one blob at a time
};

// Items listing specific blobs (staged or pushed changes) use the same reader.
class BlobListSource final : public InputSource {
 public:
  BlobListSource(std::string repository_path, std::vector<InputItem> items,
                 std::shared_ptr<const ObjectReader> packs = nullptr)
      : path_(std::move(repository_path)), items_(std::move(items)), packs_(std::move(packs)) {}
  std::optional<InputItem> next() override {
    if (next_ >= items_.size()) return std::nullopt;
    return std::move(items_[next_++]);
  }
  std::unique_ptr<InputReader> make_reader() const override { return std::make_unique<BlobReader>(path_, packs_); }

 private:
  std::string path_;
  std::vector<InputItem> items_;
  std::shared_ptr<const ObjectReader> packs_;
  std::size_t next_ = 0;
};

}  // namespace sfmc::git
