// Loose objects (one zlib stream of "<type> <size>\0<content>") as the history sweep
// reads them: the blob reader's own loose-object reader (BlobReader::read_loose: the
// stated size checked against what the stream holds, damage reported, what is there
// scanned), then the sweep's path for commits, tags and trees (libgit2's header read,
// the size bound, the raw commit / tag / tree parsers).
//
// Input: the first byte's bit 0 set, the rest is the object's inflated text
// ("blob 12\0..."), which the harness deflates (so the fuzzer mutates headers, not
// deflate streams); else the rest is the loose file's bytes as they are.
#include <git2.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "engine/blob_scanner.hpp"
#include "fuzz_support.hpp"
#include "sources/git/git_handle.hpp"
#include "sources/git/object_source.hpp"
#include "sources/git/objects.hpp"
#include "testing/hostile_pack.hpp"

using namespace sfmc;

namespace {

// The id every input is stored under (any fixed one will do: hashes are not verified).
const char* kHex = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

struct Repo {
  std::string dir, object_file;
  std::unique_ptr<git::BlobReader> reader;
};

Repo& repo() {
  static Repo r = [] {
    Repo x;
    git::ensure_initialised();
    x.dir = "/tmp/sfmc-fuzz-loose-" + std::to_string(::getpid());
    std::filesystem::remove_all(x.dir);
    git_repository* raw = nullptr;
    if (git_repository_init(&raw, x.dir.c_str(), true) != 0) std::abort();
    git_repository_free(raw);
    const std::string hex = kHex;
    std::filesystem::create_directories(x.dir + "/objects/" + hex.substr(0, 2));
    x.object_file = x.dir + "/objects/" + hex.substr(0, 2) + "/" + hex.substr(2);
    x.reader = std::make_unique<git::BlobReader>(x.dir);
    return x;
  }();
  return r;
}

volatile uint64_t sink;
void touch(std::string_view s) {
  uint64_t h = s.size();
  for (unsigned char c : s) h = h * 31 + c;
  sink = sink + h;
}

// The sweep's bound on commits, tags and trees read through libgit2 (history_scan.cpp).
constexpr std::size_t kMaxMetadataBytes = std::size_t{64} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  Repo& r = repo();
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string file = (data[0] & 1) ? zlib_compress(rest, 1) : std::string(rest);
  {
    std::ofstream out(r.object_file, std::ios::binary | std::ios::trunc);
    out << file;
  }

  // Blobs: the blob reader, as the sweep's ObjectSource hands it loose ids.
  static BlobScanner scanner(fuzz::engine(), 4096);
  DecodeOptions options;  // the decoders under scan_content are fuzz_decode's
  options.archives = options.base64 = options.mail = options.pdf = false;
  std::vector<InputResult> results;
  InputItem item;
  item.kind = InputItem::Kind::git_blob;
  git_oid oid;
  git_oid_fromstr(&oid, kHex);
  item.object_id = git::to_id(oid);
  item.path = kHex;
  auto ctx = scanner.context(0, options, item.object_id, results);
  r.reader->read(item, *ctx);
  for (const InputResult& res : results)
    if (res.skipped) touch(res.skipped->detail);

  // Commits, tags, trees: libgit2 reads them (a fresh object database: no cache of the
  // previous input), bounded as the sweep bounds them, then our parsers.
  git_odb* odb_raw = nullptr;
  if (git_odb_open(&odb_raw, (r.dir + "/objects").c_str()) != 0) return 0;
  git::Odb odb(odb_raw);
  std::size_t stated = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&stated, &type, odb.get(), &oid) < 0 || type == GIT_OBJECT_BLOB) return 0;
  if (stated > kMaxMetadataBytes) return 0;
  git_odb_object* obj = nullptr;
  if (git_odb_read(&obj, odb.get(), &oid) < 0) return 0;
  git::OdbObject owned(obj);
  std::string_view content(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
  if (type == GIT_OBJECT_COMMIT) {
    if (auto c = git::parse_commit(content)) touch(c->message);
  } else if (type == GIT_OBJECT_TAG) {
    if (auto t = git::parse_tag(content)) touch(t->name), touch(t->message);
  } else if (type == GIT_OBJECT_TREE) {
    (void)git::for_each_tree_entry(content, [](const git::TreeEntry& e) { touch(e.name); });
  }
  return 0;
}
