// The change modes' own object reader and revision walk, held to what git and libgit2
// say about repositories git wrote: every object read from the packs is libgit2's
// object, and every range walks to the commits `git rev-list A..B` lists.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "sources/git/commit_walk.hpp"
#include "sources/git/object_reader.hpp"
#include "support.hpp"

using namespace sfmc;
using sfmc::git::ObjectId;

namespace {

bool have_git() { return std::system("git --version >/dev/null 2>&1") == 0; }

std::string run_output(const std::string& command) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  REQUIRE(::pclose(p) == 0);
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t eol = text.find('\n', at);
    if (eol == std::string::npos) eol = text.size();
    if (eol > at) out.push_back(text.substr(at, eol - at));
    at = eol + 1;
  }
  return out;
}

ObjectId id_of(const std::string& hex40) {
  git_oid oid;
  REQUIRE(git_oid_fromstr(&oid, hex40.c_str()) == 0);
  return git::to_id(oid);
}

// Four branches that fork and merge at random (fixed seed), with some committer dates
// out of order and long commit messages; packed with long delta chains, then one
// commit more left loose.
std::string dag_repository(const sfmc::test::TempDir& dir) {
  const std::string repo = (dir.path() / "dag").string();
  const std::string script = R"SH(set -e
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q -b main "$1"; cd "$1"
g() { git -c user.name=T -c user.email=t@example.com "$@"; }
RANDOM=7
t=1767225600
seq 1 300 >file.txt; g add -A; GIT_COMMITTER_DATE="@$t +0000" GIT_AUTHOR_DATE="@$t +0000" g commit -q -m root
for b in b1 b2 b3; do git branch $b; done
for i in $(seq 1 120); do
  b=$(( RANDOM % 4 )); [ $b = 0 ] && br=main || br=b$b
  git checkout -q $br
  t=$(( t + 60 )); d=$t
  [ $(( RANDOM % 9 )) = 0 ] && d=$(( t - 86400 * (RANDOM % 5) ))   # a skewed clock
  if [ $(( RANDOM % 5 )) = 0 ]; then
    o=$(( RANDOM % 4 )); [ $o = 0 ] && other=main || other=b$o
    if [ $other != $br ]; then
      GIT_COMMITTER_DATE="@$d +0000" GIT_AUTHOR_DATE="@$d +0000" g merge -q --no-edit -s ours $other
      continue
    fi
  fi
  echo "edit $i on $br" >>f_$br.txt; sed -i "$(( RANDOM % 300 + 1 ))s/.*/changed $i/" file.txt
  g add -A
  # Long messages of their own (random hex: nothing for a delta to share).
  msg="change $i on $br

$(od -An -tx1 -N$(( RANDOM % 900 )) /dev/urandom)"
  GIT_COMMITTER_DATE="@$d +0000" GIT_AUTHOR_DATE="@$d +0000" g commit -q -m "$msg"
done
git checkout -q main
g tag -a v1 -m "tag message" main~3
git repack -q -a -d -f --depth=50 --window=50
echo loose >loose.txt; g add -A; GIT_COMMITTER_DATE="@$(( t + 60 )) +0000" g commit -q -m loose
)SH";
  const std::string file = (dir.path() / "make.sh").string();
  {
    std::ofstream out(file);
    out << script;
  }
  REQUIRE(std::system(("bash '" + file + "' '" + repo + "' >/dev/null 2>&1").c_str()) == 0);
  return repo;
}

// That history, opened: the repository and a reader over its packs.
struct Dag {
  sfmc::test::TempDir dir;
  std::string path = dag_repository(dir);
  git::Repository repo = (git::ensure_initialised(), git::open_repository(path));
  git::ObjectReader reader{repo.get()};
};

}  // namespace

TEST_CASE("objects read from the packs are libgit2's objects, loose ones come from libgit2", "[git][walk]") {
  if (!have_git()) {
    WARN("git is not installed");
    return;
  }
  Dag dag;
  const std::string& repo_path = dag.path;
  const git::ObjectReader& reader = dag.reader;
  git_odb* raw_odb = nullptr;
  REQUIRE(git_repository_odb(&raw_odb, dag.repo.get()) == 0);
  git::Odb odb(raw_odb);

  std::vector<std::string> all = lines(run_output("git -C '" + repo_path + "' cat-file --batch-all-objects --batch-check='%(objectname) %(deltabase)'"));
  REQUIRE(all.size() > 300);
  std::size_t deltas = 0, mismatched = 0;
  for (const std::string& line : all) {
    if (line.substr(41) != std::string(40, '0')) ++deltas;
    const ObjectId id = id_of(line.substr(0, 40));
    std::string content;
    git_object_t type = reader.read(id, content);
    git_oid oid = git::to_oid(id);
    git_odb_object* obj = nullptr;
    REQUIRE(git_odb_read(&obj, odb.get(), &oid) == 0);
    git::OdbObject owned(obj);
    if (type != git_odb_object_type(obj) ||
        content != std::string_view(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj)))
      ++mismatched;
  }
  CHECK(mismatched == 0);
  CHECK(deltas > 100);  // the reader did apply chains of deltas
  // The last commit's objects are loose: the packs cannot give them, libgit2 does.
  const git::ObjectReader::Counts counts = reader.counts();
  CHECK(counts.libgit2 >= 3);  // its commit, tree and blob
  CHECK(counts.packed + counts.libgit2 == all.size());

  git_object_t type = GIT_OBJECT_INVALID;
  std::string content;
  const ObjectId loose_head = id_of(lines(run_output("git -C '" + repo_path + "' rev-parse HEAD"))[0]);
  CHECK_FALSE(reader.read_from_packs(loose_head, type, content));
  ObjectId absent{};
  absent.fill(0xab);
  CHECK_THROWS_AS(reader.read(absent, content), git::GitError);
  CHECK_FALSE(reader.exists(absent));
  CHECK(reader.exists(loose_head));
}

TEST_CASE("a commit's head read alone parses as the whole commit does", "[git][walk]") {
  if (!have_git()) {
    WARN("git is not installed");
    return;
  }
  Dag dag;
  const std::string& repo_path = dag.path;
  const git::ObjectReader& reader = dag.reader;
  std::size_t shorter = 0, stored_whole = 0;
  for (const std::string& line :
       lines(run_output("git -C '" + repo_path + "' rev-list --all | git -C '" + repo_path +
                        "' cat-file --batch-check='%(objectname) %(deltabase)'"))) {
    const std::string hex40 = line.substr(0, 40);
    const bool is_delta = line.substr(41) != std::string(40, '0');
    std::string whole, head;
    REQUIRE(reader.read(id_of(hex40), whole) == GIT_OBJECT_COMMIT);
    REQUIRE(reader.read_commit_head(id_of(hex40), head) == GIT_OBJECT_COMMIT);
    REQUIRE(whole.compare(0, head.size(), head) == 0);  // a prefix
    // A commit stored whole is inflated only up to its committer line once its message
    // runs past the first chunk inflated (512 bytes); one stored as a delta is built whole.
    if (!is_delta && whole.size() > 512) {
      ++stored_whole;
      CHECK(head.size() < whole.size());
    }
    if (head.size() < whole.size()) ++shorter;
    std::optional<git::RawCommit> a = git::parse_commit(whole), b = git::parse_commit(head);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->tree == b->tree);
    CHECK(a->parents == b->parents);
    CHECK(a->time == b->time);
    CHECK(a->time > 1767225600 - 86400 * 6);
  }
  CHECK(stored_whole >= 10);
  CHECK(shorter >= stored_whole);
}

TEST_CASE("every range walks to the commits git rev-list lists", "[git][walk]") {
  if (!have_git()) {
    WARN("git is not installed");
    return;
  }
  Dag dag;
  const std::string& repo_path = dag.path;
  const git::ObjectReader& reader = dag.reader;
  std::vector<std::string> commits = lines(run_output("git -C '" + repo_path + "' rev-list --all"));
  REQUIRE(commits.size() > 100);
  // Pairs of commits spread over the history, both ways round, plus several tips at once.
  std::size_t ranges = 0, extra = 0;
  for (std::size_t a = 0; a < commits.size(); a += 7) {
    for (std::size_t b = 3; b < commits.size(); b += 11) {
      const std::string expected_text = run_output("git -C '" + repo_path + "' rev-list " + commits[b] + " ^" + commits[a]);
      std::set<ObjectId> expected;
      for (const std::string& h : lines(expected_text)) expected.insert(id_of(h));
      std::set<ObjectId> got;
      for (const git::WalkedCommit& w : git::walk_commits(reader, {id_of(commits[b])}, {id_of(commits[a])})) got.insert(w.id);
      // Like git, the walk may keep a commit the excluded side reaches only through a
      // skewed date; it may never drop one.
      for (const ObjectId& id : expected) REQUIRE(got.count(id) == 1);
      extra += got.size() - expected.size();
      ++ranges;
    }
  }
  CHECK(ranges > 100);
  CHECK(extra == 0);  // git's own walk, same slop: the same answer on this history
  // Several included and excluded tips, as a push of several branches gives.
  const std::string expected_text = run_output("git -C '" + repo_path + "' rev-list main b1 ^b2 ^b3");
  std::set<ObjectId> expected;
  for (const std::string& h : lines(expected_text)) expected.insert(id_of(h));
  auto tip = [&](const char* name) { return id_of(lines(run_output("git -C '" + repo_path + "' rev-parse " + name))[0]); };
  std::set<ObjectId> got;
  for (const git::WalkedCommit& w : git::walk_commits(reader, {tip("main"), tip("b1")}, {tip("b2"), tip("b3")}))
    got.insert(w.id);
  CHECK(got == expected);
  // Each walked commit names its tree and parents as git does.
  for (const git::WalkedCommit& w : git::walk_commits(reader, {tip("main")}, {tip("main~5")})) {
    const std::string h = git::hex(w.id);
    CHECK(git::hex(w.tree) == lines(run_output("git -C '" + repo_path + "' rev-parse " + h + "^{tree}"))[0]);
    std::vector<std::string> parents = lines(run_output("git -C '" + repo_path + "' log -1 --format=%P " + h));
    std::string joined;
    for (const ObjectId& p : w.parents) joined += (joined.empty() ? "" : " ") + git::hex(p);
    CHECK(joined == (parents.empty() ? "" : parents[0]));
    CHECK(w.missing_parents.empty());
  }
  // A tip that is no commit is an error, not an empty range.
  ObjectId absent{};
  absent.fill(0xcd);
  CHECK_THROWS_AS(git::walk_commits(reader, {absent}, {}), git::GitError);
  // An excluded tip that is not there excludes nothing.
  CHECK(git::walk_commits(reader, {tip("main")}, {absent}).size() ==
        lines(run_output("git -C '" + repo_path + "' rev-list main")).size());
}

TEST_CASE("the refs reaching each commit are git's --contains, in one pass over many refs", "[git][walk]") {
  if (!have_git()) {
    WARN("git is not installed");
    return;
  }
  Dag dag;
  const std::string& repo_path = dag.path;
  const std::string git_c = "git -C '" + repo_path + "' ";
  // A tag on every fourth commit: refs of every age, on every branch.
  REQUIRE(std::system((git_c + "rev-list --all | awk 'NR % 4 == 0 { print \"create refs/tags/t\" NR, $1 }' | " + git_c +
                       "update-ref --stdin").c_str()) == 0);
  const git::ObjectReader& reader = dag.reader;
  std::vector<std::string> ref_lines = lines(run_output(git_c + "for-each-ref --format='%(objectname) %(refname)' refs/heads refs/tags"));
  REQUIRE(ref_lines.size() > 30);
  std::vector<ObjectId> tips;
  std::vector<std::string> names;
  for (const std::string& l : ref_lines) {
    // Annotated tags peel to their commit, as list_ref_tips gives them.
    tips.push_back(id_of(lines(run_output(git_c + "rev-parse " + l.substr(0, 40) + "^{commit}"))[0]));
    names.push_back(l.substr(41));
  }
  std::vector<std::string> all = lines(run_output(git_c + "rev-list --all"));
  std::vector<ObjectId> asked;
  for (std::size_t i = 0; i < all.size(); i += 9) asked.push_back(id_of(all[i]));
  ObjectId absent{};
  absent.fill(0xee);
  asked.push_back(absent);
  std::vector<std::vector<uint32_t>> reached = git::tips_reaching(reader, tips, asked);
  REQUIRE(reached.size() == asked.size());
  CHECK(reached.back().empty());  // not a commit of this repository: no ref reaches it
  std::size_t nonempty = 0;
  for (std::size_t i = 0; i + 1 < asked.size(); ++i) {
    std::set<std::string> expected, got;
    for (const std::string& r : lines(run_output(git_c + "for-each-ref --format='%(refname)' --contains " + git::hex(asked[i]) + " refs/heads refs/tags")))
      expected.insert(r);
    for (uint32_t t : reached[i]) got.insert(names[t]);
    CHECK(got == expected);
    if (!got.empty()) ++nonempty;
  }
  CHECK(nonempty > 5);
}
