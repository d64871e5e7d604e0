#include "sources/git/object_source.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "sources/input_reader.hpp"

namespace fs = std::filesystem;

namespace sfmc::git {

namespace {

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

struct PackedObject {
  uint32_t pack;
  uint64_t offset;
  ObjectId id;
};

// Reads a version-2 pack index: the ids of a pack's objects and their offsets in it.
// A file that is not one (older format, truncated) contributes nothing: those
// objects are still read, in id order instead of pack order.
void read_pack_index(const fs::path& idx, uint32_t pack, std::vector<PackedObject>& out) {
  std::ifstream in(idx, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  if (data.size() < 8 + 256 * 4 || std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2) return;
  const uint32_t n = be32(p + 8 + 255 * 4);
  const std::size_t ids_at = 8 + 256 * 4, crc_at = ids_at + std::size_t{n} * 20, off_at = crc_at + std::size_t{n} * 4,
                    large_at = off_at + std::size_t{n} * 4;
  if (data.size() < large_at) return;
  for (uint32_t i = 0; i < n; ++i) {
    PackedObject o{pack, be32(p + off_at + std::size_t{i} * 4), {}};
    if (o.offset & 0x80000000u) {
      std::size_t at = large_at + (o.offset & 0x7fffffffu) * 8;
      if (at + 8 > data.size()) return;
      o.offset = (uint64_t{be32(p + at)} << 32) | be32(p + at + 4);
    }
    std::memcpy(o.id.data(), p + ids_at + std::size_t{i} * 20, 20);
    out.push_back(o);
  }
}

}  // namespace

std::vector<ObjectId> all_object_ids(git_repository* repo) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo), "cannot open the object database");
  Odb owned(odb);
  std::vector<ObjectId> all;
  check(git_odb_foreach(
            odb,
            [](const git_oid* oid, void* payload) {
              static_cast<std::vector<ObjectId>*>(payload)->push_back(to_id(*oid));
              return 0;
            },
            &all),
        "cannot list the object database");
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

ObjectSource::ObjectSource(std::string repository_path) : path_(std::move(repository_path)) {
  Repository repo = open_repository(path_);
  std::vector<ObjectId> all = all_object_ids(repo.get());

  std::vector<PackedObject> packed;
  fs::path pack_dir = fs::path(git_repository_commondir(repo.get())) / "objects" / "pack";
  std::vector<fs::path> indexes;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pack_dir, ec))
    if (e.path().extension() == ".idx") indexes.push_back(e.path());
  std::sort(indexes.begin(), indexes.end());
  for (uint32_t i = 0; i < indexes.size(); ++i) read_pack_index(indexes[i], i, packed);
  std::sort(packed.begin(), packed.end(),
            [](const PackedObject& a, const PackedObject& b) { return std::tie(a.pack, a.offset) < std::tie(b.pack, b.offset); });

  // Pack order first (an object in two packs comes once), then everything else by id.
  std::vector<ObjectId> seen;
  seen.reserve(packed.size());
  ids_.reserve(all.size());
  for (const PackedObject& o : packed) seen.push_back(o.id);
  std::sort(seen.begin(), seen.end());
  std::vector<bool> emitted(seen.size(), false);
  for (const PackedObject& o : packed) {
    auto it = std::lower_bound(seen.begin(), seen.end(), o.id);
    std::size_t k = static_cast<std::size_t>(it - seen.begin());
    if (emitted[k] || !std::binary_search(all.begin(), all.end(), o.id)) continue;
    emitted[k] = true;
    ids_.push_back(o.id);
  }
  for (const ObjectId& id : all)
    if (!std::binary_search(seen.begin(), seen.end(), id)) ids_.push_back(id);
}

std::optional<InputItem> ObjectSource::next() {
  if (next_ >= ids_.size()) return std::nullopt;
  InputItem item;
  item.kind = InputItem::Kind::git_blob;
  item.object_id = ids_[next_++];
  item.path = hex(item.object_id);
  return item;
}

std::unique_ptr<InputReader> ObjectSource::make_reader() const { return std::make_unique<BlobReader>(path_); }

BlobReader::BlobReader(const std::string& repository_path) : repo_(open_repository(repository_path)) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo_.get()), "cannot open the object database");
  odb_.reset(odb);
}

ReadOutcome BlobReader::read(const InputItem& item, StreamMatcher& matcher, const StreamMatcher::Sink& sink,
                             uint64_t max_size) {
  ReadOutcome out;
  git_oid oid = to_oid(item.object_id);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb_.get(), &oid) < 0) {
    out.problem = Skipped{item.path, SkipReason::unreadable, "cannot read object " + hex(oid) + ": " + last_error()};
    return out;
  }
  if (type != GIT_OBJECT_BLOB) return out;  // commits, trees, tags: not content
  if (max_size > 0 && size > max_size) {
    out.problem = Skipped{item.path, SkipReason::too_large,
                          std::to_string(size) + " bytes > --max-file-size " + std::to_string(max_size)};
    return out;
  }
  git_odb_object* obj = nullptr;
  if (git_odb_read(&obj, odb_.get(), &oid) < 0) {
    out.problem = Skipped{item.path, SkipReason::unreadable, "cannot read blob " + hex(oid) + ": " + last_error()};
    return out;
  }
  OdbObject owned(obj);
  std::string_view data(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
  match_buffer(data, matcher, sink);
  out.scanned = true;
  out.bytes = data.size();
  return out;
}

}  // namespace sfmc::git
