#include <catch2/catch.hpp>
#include <sys/stat.h>

#include "sources/file_walker.hpp"
#include "support.hpp"

using namespace sfmc;
namespace fs = std::filesystem;

namespace {

struct Walked {
  std::vector<std::string> files;                        // relative to the root
  std::vector<std::pair<std::string, SkipReason>> skipped;
};

Walked walk(const fs::path& root, WalkOptions options = {}) {
  FileWalker w({root.string()}, options);
  Walked out;
  while (auto item = w.next()) {
    std::string rel = fs::path(item->path).lexically_relative(root).generic_string();
    if (item->kind == InputItem::Kind::skipped) out.skipped.emplace_back(rel, item->skip->reason);
    else out.files.push_back(rel);
  }
  return out;
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
