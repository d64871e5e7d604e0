#include <catch2/catch.hpp>
#include <sys/stat.h>

#include <dirent.h>
#include <sys/resource.h>

#include "sources/file_walker.hpp"
#include "sources/folder_listing.hpp"
#include "support.hpp"

using namespace sfmc;
namespace fs = std::filesystem;

namespace {

struct Walked {
  std::vector<std::string> files;                        // relative to the root
  std::vector<std::pair<std::string, SkipReason>> skipped;
};

Walked walk_with(const fs::path& root, const WalkOptions& options) {
  FileWalker w({root.string()}, options);
  Walked out;
  while (auto item = w.next()) {
    std::string rel = fs::path(item->path).lexically_relative(root).generic_string();
    if (item->kind == InputItem::Kind::skipped) out.skipped.emplace_back(rel, item->skip->reason);
    else out.files.push_back(rel);
  }
  return out;
}

// Walks as the user asked, and again with folders listed ahead by threads, which must
// change nothing, not even the order.
Walked walk(const fs::path& root, WalkOptions options = {}) {
  Walked serial = walk_with(root, options);
  for (unsigned threads : {1u, 4u}) {
    options.listing_threads = threads;
    Walked listed_ahead = walk_with(root, options);
    CHECK(listed_ahead.files == serial.files);
    CHECK(listed_ahead.skipped == serial.skipped);
  }
  return serial;
}

}  // namespace

TEST_CASE("files come out depth first in name order", "[walker]") {
  test::TempDir d;
  for (const char* p : {"b.txt", "a/z.txt", "a/b/c.txt", "c/d.txt", "A.txt"}) d.write(p, "x");
  CHECK(walk(d.path()).files == std::vector<std::string>{"A.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c/d.txt"});
}

TEST_CASE("excludes match names at any depth, or paths when they hold a slash", "[walker]") {
  test::TempDir d;
  for (const char* p : {"keep.txt", "x.log", "deep/y.log", "node_modules/m/i.js", "src/gen/out.txt", "src/ok.txt"})
    d.write(p, "x");
  WalkOptions o;
  o.excludes = {"*.log", "node_modules", "src/gen/*"};
  CHECK(walk(d.path(), o).files == std::vector<std::string>{"keep.txt", "src/ok.txt"});
}

TEST_CASE("symlinks are skipped with a reason unless followed, and loops are caught", "[walker]") {
  test::TempDir d;
  d.write("real/file.txt", "x");
  fs::create_symlink(d.path() / "real", d.path() / "link");
  fs::create_symlink(d.path() / "real" / "file.txt", d.path() / "file-link");
  fs::create_symlink(d.path(), d.path() / "real" / "loop");
  fs::create_symlink(d.path() / "missing", d.path() / "dangling");

  Walked plain = walk(d.path());
  CHECK(plain.files == std::vector<std::string>{"real/file.txt"});
  CHECK(plain.skipped.size() == 4);
  for (const auto& [path, reason] : plain.skipped) CHECK(reason == SkipReason::symlink);

  Walked followed = walk(d.path(), WalkOptions{true, {}});
  CHECK(followed.files == std::vector<std::string>{"file-link", "link/file.txt", "real/file.txt"});
  // link/loop and real/loop both lead back to the root: two loops, and one broken link.
  std::vector<std::pair<std::string, SkipReason>> want = {
      {"dangling", SkipReason::unreadable},
      {"link/loop", SkipReason::symlink_loop},
      {"real/loop", SkipReason::symlink_loop},
  };
  CHECK(followed.skipped == want);
}

TEST_CASE("fifos are never opened, missing roots are reported", "[walker]") {
  test::TempDir d;
  d.write("a.txt", "x");
  REQUIRE(mkfifo((d.path() / "pipe").c_str(), 0600) == 0);
  Walked w = walk(d.path());
  CHECK(w.files == std::vector<std::string>{"a.txt"});
  REQUIRE(w.skipped.size() == 1);
  CHECK(w.skipped[0] == std::make_pair(std::string("pipe"), SkipReason::special_file));

  FileWalker missing({(d.path() / "nope").string(), "-"}, {});
  auto first = missing.next();
  REQUIRE(first);
  CHECK(first->kind == InputItem::Kind::skipped);
  CHECK(first->skip->reason == SkipReason::not_found);
  auto second = missing.next();
  REQUIRE(second);
  CHECK(second->kind == InputItem::Kind::standard_input);
  CHECK_FALSE(missing.next());
}

TEST_CASE("max depth counts a root's own entries as depth 1", "[walker]") {
  test::TempDir d;
  for (const char* p : {"a.txt", "x/b.txt", "x/y/c.txt"}) d.write(p, "x");
  WalkOptions o;
  o.max_depth = 1;
  CHECK(walk(d.path(), o).files == std::vector<std::string>{"a.txt"});
  o.max_depth = 2;
  CHECK(walk(d.path(), o).files == std::vector<std::string>{"a.txt", "x/b.txt"});
}

TEST_CASE(".gitignore rules are honoured like git's when asked", "[walker]") {
  test::TempDir d;
  for (const char* p : {"keep.txt", "debug.log", "build/out.bin", "src/gen/x.c", "src/main.c", "src/sub/notes.tmp",
                        "src/sub/important.tmp", "docs/build/page.html", ".git/config", "nested/deep/secret.env"})
    d.write(p, "x");
  d.write(".gitignore", "# comment\n*.log\n/build/\nsrc/gen\n*.tmp\n!important.tmp\n");
  d.write("nested/.gitignore", "deep/*.env\n");
  WalkOptions o;
  o.respect_gitignore = true;
  std::vector<std::string> want = {".gitignore", "docs/build/page.html", "keep.txt", "nested/.gitignore",
                                   "src/main.c", "src/sub/important.tmp"};
  CHECK(walk(d.path(), o).files == want);
  // Without the option, everything but .git, which is skipped unless asked for.
  CHECK(walk(d.path()).files.size() == 11);
  WalkOptions internals;
  internals.git_internals = true;
  CHECK(walk(d.path(), internals).files.size() == 12);
}

TEST_CASE("one_file_system does not walk into another file system", "[walker]") {
  test::TempDir d;
  d.write("here.txt", "x");
  struct stat a{}, b{};
  if (stat(d.path().c_str(), &a) != 0 || stat("/proc/self", &b) != 0 || a.st_dev == b.st_dev) {
    WARN("no second file system to test with");
    return;
  }
  // A symlink into /proc, followed: the walk would leave the root's file system there.
  fs::create_symlink("/proc/self/fdinfo", d.path() / "elsewhere");
  WalkOptions o;
  o.follow_symlinks = true;
  o.one_file_system = true;
  Walked w = walk(d.path(), o);
  CHECK(w.files == std::vector<std::string>{"here.txt"});
  REQUIRE(w.skipped.size() == 1);
  CHECK(w.skipped[0].second == SkipReason::other_file_system);
}

TEST_CASE("folders listed ahead come out in the walk's order, however few may be open", "[walker]") {
  test::TempDir d;
  // 3 levels of 6 folders (258 folders), a file in each, and files beside the folders.
  for (char a = '0'; a < '6'; ++a)
    for (char b = '0'; b < '6'; ++b) {
      const std::string middle = std::string("d") + a + "/d" + b;
      d.write(middle + "/z.txt", "x");
      for (char c = '0'; c < '6'; ++c) d.write(middle + "/d" + c + "/f.txt", "x");
    }
  Walked serial = walk_with(d.path(), {});
  REQUIRE(serial.files.size() == 6 * 6 * 6 + 36);
  CHECK(std::is_sorted(serial.files.begin(), serial.files.end()));
  // The lister keeps a quarter of the descriptors the process may open (16 at least):
  // with 80 allowed, far fewer folders than the tree holds are listed ahead at a time.
  rlimit saved{};
  REQUIRE(getrlimit(RLIMIT_NOFILE, &saved) == 0);
  rlimit low = saved;
  low.rlim_cur = std::min<rlim_t>(saved.rlim_cur, 80);
  REQUIRE(setrlimit(RLIMIT_NOFILE, &low) == 0);
  for (unsigned threads : {1u, 2u, 8u, 32u}) {
    WalkOptions o;
    o.listing_threads = threads;
    Walked w = walk_with(d.path(), o);
    CHECK(w.files == serial.files);
    CHECK(w.skipped.empty());
  }
  // A walk stopped early (the scan ended) leaves nothing running or open.
  {
    WalkOptions o;
    o.listing_threads = 8;
    FileWalker w({d.path().string()}, o);
    for (int i = 0; i < 5; ++i) REQUIRE(w.next());
  }
  REQUIRE(setrlimit(RLIMIT_NOFILE, &saved) == 0);
}

TEST_CASE("an entry's type, when the listing does not say, is learnt by a stat", "[walker]") {
  test::TempDir d;
  d.write("sub/f.txt", "x");
  d.write("g.txt", "x");
  fs::create_symlink(d.path() / "g.txt", d.path() / "link");
  REQUIRE(mkfifo((d.path() / "pipe").c_str(), 0600) == 0);
  WalkOptions o;
  o.excludes = {"g.*"};
  WalkRules rules(o);
  FolderRequest r;
  r.path = d.path().string();
  FolderListing listing = list_folder(r, rules);
  REQUIRE(listing.dir);
  REQUIRE(listing.entries.size() == 4);  // g.txt link pipe sub
  std::vector<unsigned char> given;
  for (FolderEntry& e : listing.entries) {
    given.push_back(e.type);
    e.type = DT_UNKNOWN;  // as FUSE file systems that fill no types answer
  }
  // g.txt is excluded: the walk passes over it, so no stat is spent on it.
  std::vector<std::size_t> unknown = types_to_learn(listing, r, rules);
  CHECK(unknown == std::vector<std::size_t>{1, 2, 3});
  learn_types(listing, unknown.data(), unknown.data() + unknown.size());
  CHECK(listing.entries[0].type == DT_UNKNOWN);
  for (std::size_t i : unknown) CHECK(listing.entries[i].type == given[i]);
  CHECK(listing.entries[3].type == DT_DIR);
  // An entry gone between the listing and its stat is an error the walk reports.
  fs::remove(d.path() / "sub" / "f.txt");
  fs::remove(d.path() / "sub");
  listing.entries[3].type = DT_UNKNOWN;
  learn_types(listing, unknown.data() + 2, unknown.data() + 3);
  CHECK(listing.entries[1].stat_error == 0);
  CHECK(listing.entries[3].stat_error == ENOENT);
}
