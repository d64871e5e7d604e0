#include "sources/git/object_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unordered_map>

#include "compress/inflate.hpp"
#include "sources/git/pack_file.hpp"

namespace sfmc::git {

namespace {

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// Objects larger than this are left to libgit2: the packs' headers are untrusted, and
// only the entry's own bytes (unknown here without planning the pack) could bound them.
constexpr uint64_t kMaxObjectBytes = uint64_t{64} << 20;
// git's deepest chains are a few hundred deltas (--depth=250 for aggressive packing).
constexpr int kMaxChain = 4096;

// Inflates the start of a commit, up to the end of its committer line (or all of it
// when it has none): a revision walk needs only the header, and git/git's commit
// messages are several times longer than their headers. zlib, because it can stop
// part way; one stream per thread, reset for each object.
bool inflate_commit_head(const unsigned char* at, uint64_t available, uint64_t size, std::string& out) {
  struct Stream {
    z_stream zs{};
    bool ok = inflateInit(&zs) == Z_OK;
    ~Stream() {
      if (ok) inflateEnd(&zs);
    }
  };
  thread_local Stream s;
  if (!s.ok || inflateReset(&s.zs) != Z_OK) return false;
  out.resize(static_cast<std::size_t>(std::min<uint64_t>(size, 512)));
  s.zs.next_in = const_cast<Bytef*>(at);
  s.zs.avail_in = static_cast<uInt>(std::min<uint64_t>(available, UINT32_MAX));
  std::size_t produced = 0, searched = 0;
  while (true) {
    s.zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    s.zs.avail_out = static_cast<uInt>(out.size() - produced);
    const int rc = inflate(&s.zs, Z_NO_FLUSH);
    produced = out.size() - s.zs.avail_out;
    if (rc == Z_STREAM_END) {
      out.resize(produced);
      return produced == size;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) return false;
    std::string_view text(out.data(), produced);
    // The header ends at the first empty line; the committer line is its last field
    // the walk reads (a signature may follow it).
    std::size_t from = searched >= 11 ? searched - 11 : 0;
    std::size_t c = text.find("\ncommitter ", from);
    std::size_t blank = text.find("\n\n", from);
    if (c != std::string_view::npos && (blank == std::string_view::npos || c < blank)) {
      if (std::size_t eol = text.find('\n', c + 1); eol != std::string_view::npos) {
        out.resize(eol + 1);
        return true;
      }
    } else if (blank != std::string_view::npos) {
      out.resize(blank + 1);
      return true;
    }
    searched = produced;
    if (produced == out.size()) {
      if (out.size() >= size) return false;  // the stream runs on past its stated size
      out.resize(static_cast<std::size_t>(std::min<uint64_t>(size, out.size() * 4)));
    } else if (rc == Z_BUF_ERROR) {
      return false;  // no progress: the input ended
    }
  }
}

// An entry's compressed bytes end where the next entry starts, which only a planned
// pack knows. Deflate never grows data by more than a few bytes per block, so a bound
// just above the inflated size is tried first: handing the whole rest of a pack of
// hundreds of megabytes to the inflater made small objects cost several microseconds.
bool inflate_entry(const unsigned char* at, uint64_t available, uint64_t size, std::string& out) {
  std::string error;
  const uint64_t likely = std::min<uint64_t>(available, size + size / 64 + 64);
  if (compress::inflate_sized({reinterpret_cast<const char*>(at), likely}, size, out, error)) return true;
  return likely < available && compress::inflate_sized({reinterpret_cast<const char*>(at), available}, size, out, error);
}

struct Mapping {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data) ::munmap(const_cast<unsigned char*>(data), size);
  }
  bool map(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st{};
    bool ok = fstat(fd, &st) == 0 && st.st_size > 0;
    if (ok) {
      void* m = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      ok = m != MAP_FAILED;
      if (ok) {
        data = static_cast<const unsigned char*>(m);
        size = static_cast<std::size_t>(st.st_size);
      }
    }
    ::close(fd);
    return ok;
  }
};

}  // namespace

struct ObjectReader::Pack {
  Mapping idx, pack;
  uint32_t count = 0;
  const unsigned char* fanout = nullptr;
  const unsigned char* ids = nullptr;
  const unsigned char* offsets = nullptr;
  const unsigned char* large = nullptr;
  std::size_t large_count = 0;

  // Checks the index's layout; false when it is not one this reader knows.
  bool open(const std::string& pack_path) {
    std::string idx_path = std::filesystem::path(pack_path).replace_extension(".idx").string();
    if (!idx.map(idx_path) || !pack.map(pack_path)) return false;
    const unsigned char* p = idx.data;
    if (idx.size < 8 + 256 * 4 || std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2) return false;
    if (pack.size < 32 || std::memcmp(pack.data, "PACK", 4) != 0) return false;
    fanout = p + 8;
    count = be32(fanout + 255 * 4);
    ids = fanout + 256 * 4;
    const std::size_t ids_at = 8 + 256 * 4;
    const std::size_t off_at = ids_at + std::size_t{count} * 24;  // ids, then CRCs
    const std::size_t large_at = off_at + std::size_t{count} * 4;
    if (idx.size < large_at + 40) return false;  // and the two trailing checksums
    offsets = p + off_at;
    large = p + large_at;
    large_count = (idx.size - 40 - large_at) / 8;
    for (int b = 1; b < 256; ++b)
      if (be32(fanout + (b - 1) * 4) > be32(fanout + b * 4)) return false;
    return true;
  }

  // The object's offset in the pack, or false when this pack does not hold it.
  bool find(const ObjectId& id, uint64_t& offset) const {
    uint32_t lo = id[0] ? be32(fanout + (id[0] - 1) * 4) : 0, hi = be32(fanout + id[0] * 4);
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      int cmp = std::memcmp(ids + std::size_t{mid} * 20, id.data(), 20);
      if (cmp == 0) {
        uint64_t off = be32(offsets + std::size_t{mid} * 4);
        if (off & 0x80000000u) {
          std::size_t k = off & 0x7fffffffu;
          if (k >= large_count) return false;
          off = (uint64_t{be32(large + k * 8)} << 32) | be32(large + k * 8 + 4);
        }
        offset = off;
        return true;
      }
      if (cmp < 0) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }
};

// Recent delta bases, shared by the threads: the trees of consecutive commits are
// deltas on one another, so a chain read once is mostly read again for the next one.
// Sharded so that threads seldom meet on a lock; a shard over its share is emptied.
struct ObjectReader::BaseCache {
  static constexpr std::size_t kShards = 16, kShardBytes = (std::size_t{48} << 20) / kShards;
  struct Entry {
    git_object_t type;
    std::shared_ptr<const std::string> content;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<uint64_t, Entry> entries;
    std::size_t bytes = 0;
  };
  Shard shards[kShards];

  static uint64_t key(std::size_t pack, uint64_t offset) { return offset ^ (uint64_t{pack} << 52); }
  Shard& shard(uint64_t k) { return shards[(k * 0x9E3779B97F4A7C15ull) >> 60]; }

  bool get(uint64_t k, git_object_t& type, std::shared_ptr<const std::string>& content) {
    Shard& s = shard(k);
    std::lock_guard<std::mutex> lock(s.mutex);
    auto it = s.entries.find(k);
    if (it == s.entries.end()) return false;
    type = it->second.type;
    content = it->second.content;
    return true;
  }
  void put(uint64_t k, git_object_t type, const std::string& content) {
    if (content.size() > kShardBytes / 4) return;
    auto copy = std::make_shared<const std::string>(content);
    Shard& s = shard(k);
    std::lock_guard<std::mutex> lock(s.mutex);
    if (s.bytes + content.size() > kShardBytes) {
      s.entries.clear();
      s.bytes = 0;
    }
    if (s.entries.try_emplace(k, Entry{type, std::move(copy)}).second) s.bytes += content.size();
  }
};

struct ObjectReader::Counters {
  std::atomic<uint64_t> packed{0}, libgit2{0};
};

ObjectReader::ObjectReader(git_repository* repo)
    : cache_(std::make_unique<BaseCache>()), counters_(std::make_unique<Counters>()) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo), "cannot open the object database");
  odb_.reset(odb);
  // The repository's own packs, then those of the object folders it borrows from
  // (objects/info/alternates: `git clone --shared` or `--reference`), one level deep;
  // anything further is libgit2's to find.
  std::vector<std::string> paths = pack_files(repo);
  const std::filesystem::path objects = std::filesystem::path(git_repository_commondir(repo)) / "objects";
  std::ifstream alternates(objects / "info" / "alternates");
  for (std::string line; std::getline(alternates, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::filesystem::path dir = std::filesystem::path(line).is_absolute() ? std::filesystem::path(line) : objects / line;
    std::vector<std::string> borrowed;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir / "pack", ec))
      if (e.path().extension() == ".pack") borrowed.push_back(e.path().string());
    std::sort(borrowed.begin(), borrowed.end());
    paths.insert(paths.end(), borrowed.begin(), borrowed.end());
  }
  for (const std::string& path : paths) {
    auto pack = std::make_unique<Pack>();
    if (pack->open(path)) packs_.push_back(std::move(pack));
  }
}

ObjectReader::~ObjectReader() = default;

ObjectReader::Counts ObjectReader::counts() const { return {counters_->packed.load(), counters_->libgit2.load()}; }

bool ObjectReader::read_packed(const ObjectId& id, git_object_t& type, std::string& content, bool head_only) const {
  for (std::size_t k = 0; k < packs_.size(); ++k) {
    uint64_t offset = 0;
    if (!packs_[k]->find(id, offset)) continue;
    if (!read_at(k, offset, type, content, head_only)) return false;
    counters_->packed.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  return false;
}

// Resolves the chain from the object at `offset` down to a base (or a cached step),
// then applies the deltas back up. Any doubt (a header, a size, a base elsewhere)
// returns false: the caller then asks libgit2.
bool ObjectReader::read_at(std::size_t pack_index, uint64_t offset, git_object_t& type, std::string& content,
                           bool head_only) const {
  const Pack& pack = *packs_[pack_index];
  const unsigned char* data = pack.pack.data;
  const uint64_t end = pack.pack.size - 20;  // the trailing checksum
  struct Step {
    uint64_t offset, data_at, size;
  };
  std::vector<Step> deltas;  // from the object asked for down towards its base
  std::shared_ptr<const std::string> cached;
  git_object_t base_type = GIT_OBJECT_INVALID;
  uint64_t at0 = offset;
  while (true) {
    if (deltas.size() > static_cast<std::size_t>(kMaxChain)) return false;
    if (!deltas.empty() && cache_->get(BaseCache::key(pack_index, at0), base_type, cached)) break;
    if (at0 < 12 || at0 >= end) return false;
    PackFile::EntryHeader h;
    if (PackFile::parse_entry_header(data, at0, end, h) != PackFile::EntryProblem::none) return false;
    if (h.size > kMaxObjectBytes) return false;
    const uint64_t at = h.data_at;
    if (h.type >= PackFile::commit && h.type <= PackFile::tag) {
      base_type = static_cast<git_object_t>(h.type);
      if (head_only && deltas.empty() && h.type == PackFile::commit) {
        if (!inflate_commit_head(data + at, end - at, h.size, content)) return false;
      } else if (!inflate_entry(data + at, end - at, h.size, content)) {
        return false;
      }
      break;
    }
    if (h.type == PackFile::ofs_delta) {
      if (h.base_back == 0 || h.base_back > at0) return false;
      deltas.push_back({at0, at, h.size});
      at0 -= h.base_back;
      continue;
    }
    // A REF delta: its base named by id, in this pack (the usual case for a thin pack
    // made whole), else not ours to chase.
    ObjectId base_id;
    std::memcpy(base_id.data(), h.base_id, 20);
    uint64_t base_off = 0;
    if (!pack.find(base_id, base_off) || base_off == at0) return false;
    deltas.push_back({at0, at, h.size});
    at0 = base_off;
  }
  if (cached) content.assign(*cached);
  if (deltas.empty()) {
    type = base_type;
    return true;
  }
  // Each base on the way up may serve the next read (the tree of the next commit).
  if (!cached) cache_->put(BaseCache::key(pack_index, at0), base_type, content);
  std::string delta, next, error;
  for (std::size_t k = deltas.size(); k-- > 0;) {
    const Step& s = deltas[k];
    if (!inflate_entry(data + s.data_at, end - s.data_at, s.size, delta)) return false;
    if (!PackFile::apply_delta(content, delta, next, error, kMaxObjectBytes)) return false;
    content.swap(next);
    if (k > 0) cache_->put(BaseCache::key(pack_index, s.offset), base_type, content);
  }
  type = base_type;
  return true;
}

git_object_t ObjectReader::read_commit_head(const ObjectId& id, std::string& content) const {
  git_object_t type = GIT_OBJECT_INVALID;
  return read_packed(id, type, content, true) ? type : read(id, content);
}

git_object_t ObjectReader::read(const ObjectId& id, std::string& content) const {
  git_object_t type = GIT_OBJECT_INVALID;
  if (read_packed(id, type, content, false)) return type;
  counters_->libgit2.fetch_add(1, std::memory_order_relaxed);
  git_oid oid = to_oid(id);
  git_odb_object* raw = nullptr;
  check(git_odb_read(&raw, odb_.get(), &oid), "cannot read object " + hex(id));
  OdbObject obj(raw);
  content.assign(static_cast<const char*>(git_odb_object_data(raw)), git_odb_object_size(raw));
  return git_odb_object_type(raw);
}

bool ObjectReader::exists(const ObjectId& id) const {
  uint64_t offset = 0;
  for (const auto& p : packs_)
    if (p->find(id, offset)) return true;
  git_oid oid = to_oid(id);
  return git_odb_exists(odb_.get(), &oid) == 1;
}

bool ObjectReader::read_from_packs(const ObjectId& id, git_object_t& type, std::string& content) const {
  return read_packed(id, type, content, false);
}

}  // namespace sfmc::git
