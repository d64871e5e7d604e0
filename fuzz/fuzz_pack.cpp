// The pack reader over a whole pack: the planner (headers, sizes against what the pack
// can hold, OFS and REF delta bases, bases inside other objects, delta cycles, damage
// passed down a family) and the decoder (every family of every type, with a base cache
// small enough to force rebuilding), then the raw commit, tag and tree parsers on what
// decodes, as the history sweep does. Then the single-object reader of the change
// modes (sources/git/object_reader) over the same pack, held to the planner: every
// object the planner decoded whole, the reader gives byte for byte or not at all (it
// then leaves the object to libgit2), and no object makes it crash.
//
// The harness writes the .pack and its version-2 .idx itself, from one of two inputs
// (the first byte picks the base cache budget; see fuzz/README.md):
//  - "PACK...": a real pack file (git's own, as the seeds are). Its objects are found
//    the way `git index-pack` finds them, by inflating each one to its end; the walk
//    stops at the first object that does not inflate (it is the last one indexed).
//  - otherwise a list of entries, each `kind:u8 length:u16le body[length]`, laid end to
//    end after a pack header. kind bit 0: body is `hlen:u8 header[hlen] content` and the
//    entry is the header then zlib(content) (so the fuzzer mutates delta instructions
//    and object text, not deflate streams); else body is the entry as is. Bit 1: the
//    index does not list the entry. Bit 2: the index lists it at its offset + (kind >> 4)
//    (inside the object). Bit 3: its offset goes through the index's large-offset table.
// The i-th object the index lists has the id {i >> 8, i & 255, 0, ...}: a REF delta
// names its base that way.
#include <zlib.h>

#include <cstring>
#include <string>
#include <vector>

#include <filesystem>
#include <map>

#include "fuzz_support.hpp"
#include "sources/git/git_handle.hpp"
#include "sources/git/object_reader.hpp"
#include "sources/git/objects.hpp"
#include "sources/git/pack_file.hpp"
#include "testing/hostile_pack.hpp"

using namespace sfmc;
using git::PackFile;

namespace {

struct Listed {
  uint64_t offset;
  bool large;
};

// Where the zlib stream at `at` ends, or 0 when it does not inflate to its end.
std::size_t stream_end(const std::string& pack, std::size_t at, std::size_t stop) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return 0;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(pack.data() + at));
  z.avail_in = static_cast<uInt>(stop - at);
  unsigned char sink[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = sink;
    z.avail_out = sizeof sink;
    rc = ::inflate(&z, Z_NO_FLUSH);
  }
  const std::size_t end = rc == Z_STREAM_END ? at + z.total_in : 0;
  inflateEnd(&z);
  return end;
}

// A real pack: index its objects as index-pack would find them.
void walk(const std::string& pack, std::vector<Listed>& listed) {
  if (pack.size() < 32) return;
  const std::size_t stop = pack.size() - 20;
  std::size_t at = 12;
  while (at < stop && listed.size() < 65536) {
    const std::size_t start = at;
    unsigned char c = static_cast<unsigned char>(pack[at++]);
    const int type = (c >> 4) & 7;
    while (c & 0x80 && at < stop) c = static_cast<unsigned char>(pack[at++]);
    if (type == PackFile::ofs_delta) {
      do c = at < stop ? static_cast<unsigned char>(pack[at++]) : 0;
      while (c & 0x80);
    } else if (type == PackFile::ref_delta) {
      at += 20;
    }
    listed.push_back({start, false});
    if (at >= stop) return;
    const std::size_t end = stream_end(pack, at, stop);
    if (end == 0) return;
    at = end;
  }
}

// The entry list: the pack's bytes and what the index lists.
std::string build(const uint8_t* data, std::size_t size, std::vector<Listed>& listed) {
  std::string pack("PACK");
  put_be32(pack, 2);
  put_be32(pack, 0);
  std::size_t at = 0;
  while (at + 3 <= size && listed.size() < 65536) {
    const uint8_t kind = data[at];
    std::size_t length = data[at + 1] | (std::size_t{data[at + 2]} << 8);
    at += 3;
    length = std::min(length, size - at);
    const char* body = reinterpret_cast<const char*>(data + at);
    at += length;
    const uint64_t offset = pack.size();
    if ((kind & 1) && length > 0) {
      const std::size_t hlen = std::min<std::size_t>(static_cast<unsigned char>(body[0]), length - 1);
      pack.append(body + 1, hlen);
      pack += zlib_compress(std::string_view(body + 1 + hlen, length - 1 - hlen), 1);
    } else {
      pack.append(body, length);
    }
    if (kind & 2) continue;
    listed.push_back({offset + ((kind & 4) ? (kind >> 4) : 0), (kind & 8) != 0});
  }
  const std::size_t n = listed.size();
  for (int k = 0; k < 4; ++k) pack[8 + k] = static_cast<char>((n >> (24 - 8 * k)) & 0xff);
  pack.append(20, '\0');  // the checksum: the reader does not verify it
  return pack;
}

std::string index_for(const std::vector<Listed>& listed) {
  const std::size_t n = listed.size();
  std::string idx("\377tOc");
  put_be32(idx, 2);
  for (int b = 0; b < 256; ++b) put_be32(idx, static_cast<uint32_t>(std::min<std::size_t>(n, (std::size_t{static_cast<unsigned>(b)} + 1) << 8)));
  for (std::size_t i = 0; i < n; ++i) {
    idx.push_back(static_cast<char>(i >> 8));
    idx.push_back(static_cast<char>(i & 255));
    idx.append(18, '\0');
  }
  idx.append(n * 4, '\0');  // CRCs: not read
  std::string large;
  for (const Listed& l : listed) {
    if (l.large || l.offset >= 0x80000000u) {
      put_be32(idx, 0x80000000u | static_cast<uint32_t>(large.size() / 8));
      put_be32(large, static_cast<uint32_t>(l.offset >> 32));
      put_be32(large, static_cast<uint32_t>(l.offset));
    } else {
      put_be32(idx, static_cast<uint32_t>(l.offset));
    }
  }
  idx += large;
  idx.append(40, '\0');
  return idx;
}

volatile uint64_t sink;  // so what decodes is read, and ASan sees every byte of it

void touch(std::string_view content) {
  uint64_t h = content.size();
  for (unsigned char c : content) h = h * 31 + c;
  sink = sink + h;
}

// A bare repository of this process's own, whose one pack each input replaces.
const std::string& fuzz_repository() {
  static const std::string path = [] {
    git_libgit2_init();
    std::string dir = "/tmp/sfmc-fuzz-" + std::to_string(::getpid()) + "-repo";
    std::filesystem::remove_all(dir);
    git_repository* repo = nullptr;
    if (git_repository_init(&repo, dir.c_str(), 1) == 0) git_repository_free(repo);
    return dir;
  }();
  return path;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

// Objects the planner decoded whole, by index: the reader must agree with each.
struct Decoded {
  PackFile::Type type;
  std::string content;
};

void read_one_by_one(const PackFile& pf, const std::string& pack, const std::string& idx,
                     const std::map<std::size_t, Decoded>& decoded) {
  const std::string dir = fuzz_repository() + "/objects/pack/";
  write_file(dir + "pack-fuzz.idx", idx);
  write_file(dir + "pack-fuzz.pack", pack);
  git_repository* raw = nullptr;
  if (git_repository_open(&raw, fuzz_repository().c_str()) != 0) return;
  git::Repository repo(raw);
  git::ObjectReader reader(repo.get());
  std::string content;
  for (std::size_t i = 0; i < pf.size() && i < 4096; ++i) {
    git_object_t type = GIT_OBJECT_INVALID;
    content.clear();
    if (!reader.read_from_packs(pf.id(i), type, content)) continue;
    touch(content);
    auto it = decoded.find(i);
    if (it == decoded.end()) continue;
    // Both read the same bytes: a different answer means one of them misreads a pack.
    if (static_cast<int>(type) != static_cast<int>(it->second.type) || content != it->second.content) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const std::size_t budgets[4] = {PackFile::kDefaultBaseCacheBytes, 0, 4096, 1 << 16};
  const std::size_t base_cache = budgets[data[0] & 3];
  ++data, --size;
  std::vector<Listed> listed;
  std::string pack;
  if (size >= 4 && std::memcmp(data, "PACK", 4) == 0) {
    pack.assign(reinterpret_cast<const char*>(data), size);
    walk(pack, listed);
  } else {
    pack = build(data, size, listed);
  }
  const std::string pack_path = fuzz::as_file(reinterpret_cast<const uint8_t*>(pack.data()), pack.size(), ".pack");
  const std::string idx = index_for(listed);
  const std::string idx_path = fuzz::as_file(reinterpret_cast<const uint8_t*>(idx.data()), idx.size(), ".idx");

  std::unique_ptr<PackFile> p;
  try {
    p = std::make_unique<PackFile>(pack_path, idx_path);
  } catch (const git::GitError&) {
    return 0;  // not a pack at all: the sweep skips it with a warning
  }
  const PackFile& pf = *p;
  pf.release_pages();
  for (const PackFile::Damage& d : pf.damaged()) touch(d.why), touch(git::hex(pf.id(d.object)));
  for (std::size_t i : pf.unresolved()) touch(git::hex(pf.id(i)));
  std::map<std::size_t, Decoded> decoded;
  for (PackFile::Type t : {PackFile::commit, PackFile::tag, PackFile::blob, PackFile::tree})
    for (std::size_t root : pf.roots(t))
      pf.decode_family(
          root,
          [&](std::size_t i, std::string_view content) {
            touch(content);
            if (decoded.size() < 4096) decoded[i] = Decoded{pf.final_type(i), std::string(content)};
            switch (pf.final_type(i)) {
              case PackFile::commit:
                if (auto c = git::parse_commit(content)) touch(c->message);
                break;
              case PackFile::tag:
                if (auto tag = git::parse_tag(content)) touch(tag->name), touch(tag->message);
                break;
              case PackFile::tree:
                (void)git::for_each_tree_entry(content, [](const git::TreeEntry& e) { touch(e.name); });
                break;
              default:
                break;
            }
          },
          [&](std::size_t i, const std::string& why, std::string_view recovered) {
            touch(why);
            touch(recovered);
            (void)pf.final_type(i);
          },
          base_cache);
  if (pf.size() > 0) (void)pf.find(pf.id(pf.size() - 1));
  read_one_by_one(pf, pack, idx, decoded);
  return 0;
}
