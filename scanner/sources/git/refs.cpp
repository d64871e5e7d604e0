#include "sources/git/refs.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace sfmc::git {

namespace {

bool hex_id(const std::string& text, ObjectId& out) {
  if (text.size() < 40) return false;
  git_oid oid;
  if (git_oid_fromstrn(&oid, text.c_str(), 40) != 0) return false;
  out = to_id(oid);
  return true;
}

// A pseudo-ref file: one id per line at the start of the line (FETCH_HEAD and
// MERGE_HEAD may hold several); "ref: ..." (a symbolic HEAD) names a branch that is
// a ref of its own already.
void read_pseudo_ref(const fs::path& file, const std::string& name, std::vector<Tip>& out) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    ObjectId id;
    if (hex_id(line, id)) out.push_back({name, id});
  }
}

void pseudo_refs(const fs::path& gitdir, const std::string& prefix, std::vector<Tip>& out) {
  for (const char* name : {"HEAD", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"})
    read_pseudo_ref(gitdir / name, prefix + name, out);
}

}  // namespace

std::vector<Tip> read_tips(git_repository* repo) {
  std::vector<Tip> refs;
  git_reference_iterator* raw = nullptr;
  check(git_reference_iterator_new(&raw, repo), "cannot read the refs");
  std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator, git_reference_iterator_free>> it(raw);
  for (;;) {
    git_reference* ref = nullptr;
    int rc = git_reference_next(&ref, it.get());
    if (rc == GIT_ITEROVER) break;
    check(rc, "cannot read the refs");
    Reference owned(ref);
    if (git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC) {
      git_reference* resolved = nullptr;
      if (git_reference_resolve(&resolved, ref) != 0) continue;  // points at a ref that does not exist
      Reference r(resolved);
      if (const git_oid* id = git_reference_target(resolved)) refs.push_back({git_reference_name(ref), to_id(*id)});
      continue;
    }
    if (const git_oid* id = git_reference_target(ref)) refs.push_back({git_reference_name(ref), to_id(*id)});
  }
  std::sort(refs.begin(), refs.end(), [](const Tip& a, const Tip& b) { return a.name < b.name; });

  std::vector<Tip> pseudo;
  fs::path common = git_repository_commondir(repo);
  fs::path own = git_repository_path(repo);
  pseudo_refs(common, "", pseudo);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(common / "worktrees", ec))
    if (e.is_directory(ec)) pseudo_refs(e.path(), "worktrees/" + e.path().filename().string() + "/", pseudo);
  // Opened from a linked worktree whose folder is elsewhere: its own gitdir too.
  if (fs::weakly_canonical(own, ec) != fs::weakly_canonical(common, ec) &&
      fs::weakly_canonical(own, ec).parent_path() != fs::weakly_canonical(common / "worktrees", ec))
    pseudo_refs(own, "", pseudo);
  std::sort(pseudo.begin(), pseudo.end(), [](const Tip& a, const Tip& b) { return std::tie(a.name, a.target) < std::tie(b.name, b.target); });
  pseudo.erase(std::unique(pseudo.begin(), pseudo.end(),
                           [](const Tip& a, const Tip& b) { return a.name == b.name && a.target == b.target; }),
               pseudo.end());
  pseudo.insert(pseudo.end(), std::make_move_iterator(refs.begin()), std::make_move_iterator(refs.end()));
  return pseudo;
}

}  // namespace sfmc::git
