#include "sources/git/pack_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>

namespace fs = std::filesystem;

namespace sfmc::git {

namespace {

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

std::vector<std::string> pack_files(git_repository* repo) {
  std::vector<std::string> out;
  fs::path dir = fs::path(git_repository_commondir(repo)) / "objects" / "pack";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".pack" && fs::exists(fs::path(e.path()).replace_extension(".idx"))) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

PackFile::PackFile(const std::string& pack, const std::string& idx) : path_(pack) {
  // The index: ids sorted by id, with each object's offset.
  std::ifstream in(idx, std::ios::binary);
  std::string index((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const unsigned char*>(index.data());
  if (index.size() < 8 + 256 * 4 || std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2)
    throw GitError(idx + ": not a version-2 pack index");
  const uint32_t n = be32(p + 8 + 255 * 4);
  const std::size_t ids_at = 8 + 256 * 4, off_at = ids_at + std::size_t{n} * 24, large_at = off_at + std::size_t{n} * 4;
  if (index.size() < large_at) throw GitError(idx + ": truncated pack index");
  // (offset, position in the index): sorting these gives pack order and, inverted,
  // the id order of the pack-order indexes, without comparing a single id.
  std::vector<std::pair<uint64_t, uint32_t>> objects(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t off = be32(p + off_at + std::size_t{i} * 4);
    if (off & 0x80000000u) {
      std::size_t at = large_at + (off & 0x7fffffffu) * 8;
      if (at + 8 > index.size()) throw GitError(idx + ": truncated pack index");
      off = (uint64_t{be32(p + at)} << 32) | be32(p + at + 4);
    }
    objects[i] = {off, i};
  }
  std::sort(objects.begin(), objects.end());
  offsets_.resize(n);
  ids_.resize(n);
  by_id_.resize(n);
  for (uint32_t k = 0; k < n; ++k) {
    offsets_[k] = objects[k].first;
    std::memcpy(ids_[k].data(), p + ids_at + std::size_t{objects[k].second} * 20, 20);
    by_id_[objects[k].second] = k;
  }

  int fd = ::open(pack.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw GitError(pack + ": " + std::strerror(errno));
  struct stat st{};
  if (fstat(fd, &st) != 0 || st.st_size < 32) {
    ::close(fd);
    throw GitError(pack + ": not a pack file");
  }
  length_ = static_cast<std::size_t>(st.st_size);
  void* m = ::mmap(nullptr, length_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) throw GitError(pack + ": cannot map: " + std::strerror(errno));
  data_ = static_cast<const unsigned char*>(m);
  ::madvise(m, length_, MADV_WILLNEED);
  if (std::memcmp(data_, "PACK", 4) != 0) throw GitError(pack + ": not a pack file");
  plan();
}

PackFile::~PackFile() {
  if (data_) ::munmap(const_cast<unsigned char*>(data_), length_);
}

// Reads every object's header: type, size, where its data starts and, for deltas,
// which object is the base. Then resolves each family's type from its root.
void PackFile::plan() {
  const std::size_t n = ids_.size();
  data_offsets_.assign(n, 0);
  sizes_.assign(n, 0);
  types_.assign(n, none);
  final_type_.assign(n, none);
  base_.assign(n, -1);
  children_.assign(n, {});
  const std::size_t end = length_ - 20;  // the trailing checksum

  for (std::size_t i = 0; i < n; ++i) {
    uint64_t at = offsets_[i];
    if (at >= end) {
      unresolved_.push_back(i);
      continue;
    }
    unsigned char c = data_[at++];
    Type type = static_cast<Type>((c >> 4) & 7);
    uint64_t size = c & 15;
    for (int shift = 4; (c & 0x80) && at < end; shift += 7) {
      c = data_[at++];
      size |= uint64_t{c & 0x7fu} << shift;
    }
    types_[i] = type;
    sizes_[i] = size;
    if (type == ofs_delta) {
      if (at >= end) { unresolved_.push_back(i); continue; }
      c = data_[at++];
      uint64_t back = c & 0x7f;
      while ((c & 0x80) && at < end) {
        c = data_[at++];
        back = ((back + 1) << 7) | (c & 0x7f);
      }
      uint64_t base_off = back <= offsets_[i] ? offsets_[i] - back : UINT64_MAX;
      auto it = std::lower_bound(offsets_.begin(), offsets_.begin() + static_cast<long>(i), base_off);
      if (it == offsets_.begin() + static_cast<long>(i) || *it != base_off) {
        unresolved_.push_back(i);
        continue;
      }
      base_[i] = it - offsets_.begin();
    } else if (type == ref_delta) {
      if (at + 20 > end) { unresolved_.push_back(i); continue; }
      ObjectId base_id;
      std::memcpy(base_id.data(), data_ + at, 20);
      at += 20;
      auto it = std::lower_bound(by_id_.begin(), by_id_.end(), base_id,
                                 [&](uint32_t k, const ObjectId& id) { return ids_[k] < id; });
      if (it == by_id_.end() || ids_[*it] != base_id) {
        unresolved_.push_back(i);  // a base in another pack: libgit2 reads it
        continue;
      }
      base_[i] = static_cast<int64_t>(*it);
    } else if (type < commit || type > tag) {
      unresolved_.push_back(i);
      continue;
    }
    data_offsets_[i] = at;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (base_[i] >= 0) children_[static_cast<std::size_t>(base_[i])].push_back(static_cast<uint32_t>(i));

  // Families: types flow from each root down its delta tree.
  std::vector<std::size_t> stack;
  for (std::size_t i = 0; i < n; ++i) {
    if (types_[i] < commit || types_[i] > tag || data_offsets_[i] == 0) continue;
    final_type_[i] = types_[i];
    if (types_[i] == blob) blob_roots_.push_back(i);
    roots_.push_back(i);
    stack.assign(children_[i].begin(), children_[i].end());
    while (!stack.empty()) {
      std::size_t k = stack.back();
      stack.pop_back();
      final_type_[k] = types_[i];
      stack.insert(stack.end(), children_[k].begin(), children_[k].end());
    }
  }
  // Deltas whose chain never reaches a root here (a cycle or a damaged base) go to libgit2.
  for (std::size_t i = 0; i < n; ++i)
    if (final_type_[i] == none && data_offsets_[i] != 0) unresolved_.push_back(i);
  std::sort(unresolved_.begin(), unresolved_.end());
  unresolved_.erase(std::unique(unresolved_.begin(), unresolved_.end()), unresolved_.end());
}

bool PackFile::contains(const ObjectId& id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id, [&](uint32_t k, const ObjectId& x) { return ids_[k] < x; });
  return it != by_id_.end() && ids_[*it] == id;
}

std::optional<std::vector<ObjectId>> loose_object_ids(git_repository* repo) {
  fs::path objects = fs::path(git_repository_commondir(repo)) / "objects";
  std::error_code ec;
  if (fs::exists(objects / "info" / "alternates", ec)) return std::nullopt;
  std::vector<ObjectId> out;
  static const char* digits = "0123456789abcdef";
  auto nibble = [](char c) -> int { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) {
      const char dir[3] = {digits[a], digits[b], 0};
      for (const auto& e : fs::directory_iterator(objects / dir, ec)) {
        std::string name = e.path().filename().string();
        if (name.size() != 38 || name.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
        ObjectId id;
        id[0] = static_cast<unsigned char>(a * 16 + b);
        for (int k = 0; k < 19; ++k) id[k + 1] = static_cast<unsigned char>(nibble(name[2 * k]) * 16 + nibble(name[2 * k + 1]));
        out.push_back(id);
      }
    }
  std::sort(out.begin(), out.end());  // directory listings come in no particular order
  return out;
}

bool PackFile::inflate(std::size_t i, std::string& out, std::string& error) const {
  uint64_t start = data_offsets_[i];
  uint64_t stop = i + 1 < offsets_.size() ? offsets_[i + 1] : length_ - 20;
  if (start == 0 || stop <= start) {
    error = "damaged object header";
    return false;
  }
  out.resize(sizes_[i]);
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    error = "zlib cannot start";
    return false;
  }
  zs.next_in = const_cast<Bytef*>(data_ + start);
  zs.avail_in = static_cast<uInt>(std::min<uint64_t>(stop - start, UINT32_MAX));
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  // An empty object still has a zlib stream to finish.
  unsigned char spare;
  if (out.empty()) {
    zs.next_out = &spare;
    zs.avail_out = 1;
  }
  int rc = ::inflate(&zs, Z_FINISH);
  std::size_t produced = out.empty() ? 0 : out.size() - zs.avail_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || produced != sizes_[i]) {
    error = "damaged compressed data (zlib " + std::to_string(rc) + ")";
    return false;
  }
  return true;
}

bool PackFile::apply_delta(std::string_view base, std::string_view delta, std::string& out, std::string& error) {
  const auto* d = reinterpret_cast<const unsigned char*>(delta.data());
  const auto* e = d + delta.size();
  auto varint = [&](uint64_t& v) {
    v = 0;
    for (int shift = 0; d < e; shift += 7) {
      unsigned char c = *d++;
      v |= uint64_t{c & 0x7fu} << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  };
  uint64_t src = 0, dst = 0;
  if (!varint(src) || !varint(dst) || src != base.size()) {
    error = "delta does not fit its base";
    return false;
  }
  out.resize(dst);
  char* o = out.data();
  char* oe = o + dst;
  while (d < e) {
    unsigned char op = *d++;
    if (op & 0x80) {  // copy from the base
      uint64_t off = 0, len = 0;
      for (int b = 0; b < 4; ++b)
        if (op & (1u << b)) {
          if (d >= e) { error = "truncated delta"; return false; }
          off |= uint64_t{*d++} << (8 * b);
        }
      for (int b = 0; b < 3; ++b)
        if (op & (0x10u << b)) {
          if (d >= e) { error = "truncated delta"; return false; }
          len |= uint64_t{*d++} << (8 * b);
        }
      if (len == 0) len = 0x10000;
      if (off + len > base.size() || len > static_cast<uint64_t>(oe - o)) {
        error = "delta copies outside its base";
        return false;
      }
      std::memcpy(o, base.data() + off, len);
      o += len;
    } else if (op) {  // insert literal bytes
      if (op > e - d || op > oe - o) {
        error = "delta inserts past its end";
        return false;
      }
      std::memcpy(o, d, op);
      d += op;
      o += op;
    } else {
      error = "delta holds a reserved instruction";
      return false;
    }
  }
  if (o != oe) {
    error = "delta result has the wrong size";
    return false;
  }
  return true;
}

void PackFile::decode_family(std::size_t root, const std::function<void(std::size_t, std::string_view)>& visit,
                             const std::function<void(std::size_t, const std::string&)>& failed) const {
  // One content per level of the delta tree being descended: memory is bounded by the
  // chain depth, never by the family's size.
  struct Level {
    std::size_t object;
    std::string content;
    std::size_t next_child = 0;
  };
  std::vector<Level> path;
  std::string error, delta;
  auto fail_subtree = [&](std::size_t i, const std::string& why) {
    std::vector<std::size_t> stack{i};
    while (!stack.empty()) {
      std::size_t k = stack.back();
      stack.pop_back();
      failed(k, k == i ? why : "its delta base is damaged: " + why);
      stack.insert(stack.end(), children_[k].begin(), children_[k].end());
    }
  };
  path.push_back({root, {}, 0});
  if (!inflate(root, path.back().content, error)) {
    fail_subtree(root, error);
    return;
  }
  visit(root, path.back().content);
  while (!path.empty()) {
    Level& top = path.back();
    const std::vector<uint32_t>& kids = children_[top.object];
    if (top.next_child == kids.size()) {
      path.pop_back();
      continue;
    }
    std::size_t child = kids[top.next_child++];
    Level next{child, {}, 0};
    if (!inflate(child, delta, error) || !apply_delta(top.content, delta, next.content, error)) {
      fail_subtree(child, error);
      continue;
    }
    visit(child, next.content);
    if (children_[child].empty()) continue;  // a leaf: nothing will need its content
    path.push_back(std::move(next));
  }
}

}  // namespace sfmc::git
