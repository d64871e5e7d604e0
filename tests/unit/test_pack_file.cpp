// The pack reader against packs git itself wrote: every object of every type decoded
// by delta family must hash to its own id, under any base-cache budget.
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>

#include "sources/git/pack_file.hpp"
#include "testing/hostile_pack.hpp"
#include "support.hpp"

using namespace sfmc;
using sfmc::git::PackFile;

namespace {

bool have_git() { return std::system("git --version >/dev/null 2>&1") == 0; }

int run(const std::string& command) { return std::system(command.c_str()); }

// A repository with edits on several files across many commits, packed with long
// delta chains, so blobs, trees and commits all come as delta families.
std::filesystem::path packed_repository(const sfmc::test::TempDir& dir) {
  const std::string repo = (dir.path() / "repo").string();
  std::string script = "set -e; export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null; git init -q -b main '" + repo +
                       "'; cd '" + repo + "'; mkdir -p a/b; "
                       "for i in $(seq 1 40); do "
                       "  seq 1 $((200 + i)) >a/big.txt; echo \"line $i\" >>a/b/notes.txt; echo $i >a/b/n$((i % 5)).txt; "
                       "  git add -A; GIT_AUTHOR_DATE=2026-01-01T00:00:$((i + 10))Z GIT_COMMITTER_DATE=2026-01-01T00:00:$((i + 10))Z "
                       "  git -c user.name=T -c user.email=t@example.com commit -q -m \"commit $i\"; "
                       "done; git -c user.name=T -c user.email=t@example.com tag -a v1 -m v1; git tag -a v2 -m v2 v1 2>/dev/null || true; "
                       "git repack -q -a -d -f --depth=50 --window=50";
  REQUIRE(run("bash -c \"" + std::string([&] {
                std::string q;
                for (char c : script) q += c == '"' || c == '$' || c == '\\' ? std::string("\\") + c : std::string(1, c);
                return q;
              }()) + "\"") == 0);
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(repo) / ".git/objects/pack"))
    if (e.path().extension() == ".pack") return e.path();
  FAIL("git wrote no pack");
  return {};
}

git::ObjectId object_hash(PackFile::Type type, std::string_view content) {
  static const char* names[] = {"", "commit", "tree", "blob", "tag"};
  std::string header = std::string(names[type]) + " " + std::to_string(content.size());
  header.push_back('\0');
  header.append(content);
  git::ObjectId id;
  unsigned int length = 0;
  EVP_Digest(header.data(), header.size(), id.data(), &length, EVP_sha1(), nullptr);
  return id;
}

}  // namespace

TEST_CASE("every family of every type decodes to objects that hash to their ids", "[git][pack]") {
  if (!have_git()) {
    WARN("git is not installed");
    return;
  }
  sfmc::test::TempDir dir;
  std::filesystem::path pack_path = packed_repository(dir);
  std::string idx = pack_path.string();
  idx.replace(idx.size() - 5, 5, ".idx");
  PackFile pack(pack_path.string(), idx);
  CHECK(pack.damaged().empty());
  CHECK(pack.unresolved().empty());

  // Budget 0 drops every base that is not needed this instant: rebuilding from the
  // root must give the same objects as the default budget.
  for (std::size_t budget : {PackFile::kDefaultBaseCacheBytes, std::size_t{0}}) {
    std::map<PackFile::Type, std::size_t> decoded, deltas;
    std::size_t wrong = 0, failed = 0;
    for (PackFile::Type type : {PackFile::commit, PackFile::tree, PackFile::blob, PackFile::tag}) {
      for (std::size_t root : pack.roots(type))
        pack.decode_family(
            root,
            [&](std::size_t i, std::string_view content) {
              ++decoded[type];
              if (i != root) ++deltas[type];
              if (pack.final_type(i) != type || object_hash(type, content) != pack.id(i)) ++wrong;
            },
            [&](std::size_t, const std::string&, std::string_view) { ++failed; }, budget);
    }
    CHECK(wrong == 0);
    CHECK(failed == 0);
    std::size_t total = 0;
    for (auto& [t, n] : decoded) total += n;
    CHECK(total == pack.size());
    CHECK(decoded[PackFile::commit] == 40);
    CHECK(decoded[PackFile::tag] >= 1);
    // The fixture is only worth something if git did make delta families of these types.
    CHECK(deltas[PackFile::blob] > 0);
    CHECK(deltas[PackFile::tree] > 0);
  }
}

TEST_CASE("a delta stating more than its bound is refused before its result is allocated", "[git][pack]") {
  // Base "hello"; the delta copies it 16 times: 80 bytes from 34 of instructions.
  std::string delta = {'\x05', '\x50'};
  for (int k = 0; k < 16; ++k) delta += std::string{'\x90', '\x05'};
  std::string out, error;
  REQUIRE(PackFile::apply_delta("hello", delta, out, error, 80));
  CHECK(out.size() == 80);
  CHECK(out.substr(75) == "hello");
  out.clear();
  CHECK_FALSE(PackFile::apply_delta("hello", delta, out, error, 79));
  CHECK(error.find("states 80 bytes") != std::string::npos);
  CHECK(out.empty());  // nothing was allocated for it
}

TEST_CASE("deltas copying their base many times over are damaged objects, not gigabytes", "[git][pack]") {
  // 17 KB of pack: 16 MiB of zeros, a delta copying them 16 times, one copying that 256 times.
  sfmc::test::TempDir dir;
  sfmc::write_hostile_pack("delta-bomb", dir.path(), [] { return std::string("no-secret-here"); });
  PackFile pack((dir.path() / "pack-delta-bomb.pack").string(), (dir.path() / "pack-delta-bomb.idx").string());
  CHECK(pack.damaged().empty());  // every size stated is true: only decoding can tell
  std::size_t decoded = 0, largest = 0;
  std::vector<std::string> failures;
  for (std::size_t root : pack.blob_roots())
    pack.decode_family(
        root,
        [&](std::size_t, std::string_view content) {
          ++decoded;
          largest = std::max(largest, content.size());
        },
        [&](std::size_t, const std::string& why, std::string_view) { failures.push_back(why); });
  CHECK(decoded == 2);  // the intact blob and the 16 MiB root
  CHECK(largest == 0xffffff);
  REQUIRE(failures.size() == 2);
  CHECK(failures[0].find("its delta result states 268435440 bytes, more than the compressed bytes of its delta chain") == 0);
  CHECK(failures[1].find("is damaged: its delta result states 268435440 bytes") != std::string::npos);
}
