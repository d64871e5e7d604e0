#include "sources/git/changes.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/bounded_line.hpp"

namespace sfmc::git {

namespace {

bool is_zero(const std::string& sha) { return sha.find_first_not_of('0') == std::string::npos; }

Tree tree_of(git_repository* repo, const git_oid& commit_id) {
  git_commit* c = nullptr;
  check(git_commit_lookup(&c, repo, &commit_id), "cannot read commit " + hex(commit_id));
  Commit commit(c);
  git_tree* t = nullptr;
  check(git_commit_tree(&t, c), "cannot read the tree of commit " + hex(commit_id));
  return Tree(t);
}

// (path -> new blob, old blob) for every file `diff` adds or changes; submodules noted.
std::map<std::string, std::pair<ObjectId, std::optional<ObjectId>>> added_blobs(git_diff* diff, ChangeSet& out) {
  std::map<std::string, std::pair<ObjectId, std::optional<ObjectId>>> blobs;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED || git_oid_is_zero(&d->new_file.id)) continue;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
      out.notes.push_back({d->new_file.path, SkipReason::submodule, "submodule: its content lives in another repository"});
      continue;
    }
    std::optional<ObjectId> old;
    if (d->status != GIT_DELTA_ADDED && !git_oid_is_zero(&d->old_file.id) && d->old_file.mode != GIT_FILEMODE_COMMIT)
      old = to_id(d->old_file.id);
    if (old && *old == to_id(d->new_file.id)) continue;  // a pure rename or mode change adds no line
    blobs[d->new_file.path] = {to_id(d->new_file.id), old};
  }
  return blobs;
}

Diff diff_trees(git_repository* repo, git_tree* from, git_tree* to) {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  git_diff* diff = nullptr;
  check(git_diff_tree_to_tree(&diff, repo, from, to, &opts), "cannot diff trees");
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  git_diff_find_similar(diff, &find);
  return Diff(diff);
}

// Walks the commits `walk` yields, newest first, and keeps the earliest introduction
// of each (path, blob).
ChangeSet changes_of_walk(git_repository* repo, git_revwalk* walk) {
  ChangeSet out;
  std::map<std::pair<std::string, ObjectId>, Change> earliest;
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, walk)) == 0) {
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo, &id), "cannot read commit " + hex(id));
    Commit commit(raw);
    Tree tree = tree_of(repo, id);
    unsigned parents = git_commit_parentcount(raw);
    std::map<std::string, std::pair<ObjectId, std::optional<ObjectId>>> introduced;
    if (parents == 0) {
      Diff d = diff_trees(repo, nullptr, tree.get());
      introduced = added_blobs(d.get(), out);
    }
    for (unsigned p = 0; p < parents; ++p) {
      Tree parent_tree = tree_of(repo, *git_commit_parent_id(raw, p));
      Diff d = diff_trees(repo, parent_tree.get(), tree.get());
      auto against = added_blobs(d.get(), out);
      if (p == 0) {
        introduced = std::move(against);
        continue;
      }
      // A merge introduces a blob only where it differs from every parent.
      for (auto it = introduced.begin(); it != introduced.end();) {
        auto other = against.find(it->first);
        it = (other == against.end() || other->second.first != it->second.first) ? introduced.erase(it) : std::next(it);
      }
    }
    CommitInfo info = describe_commit(raw);
    for (auto& [path, blobs] : introduced) {
      Change c{blobs.first, blobs.second, path, info};
      auto [it, inserted] = earliest.try_emplace({path, blobs.first}, c);
      if (!inserted && info.time <= it->second.commit->time) it->second = c;
    }
  }
  if (rc != GIT_ITEROVER)  // e.g. a parent beyond a shallow clone's boundary
    out.notes.push_back({".", SkipReason::shallow, "history walk stopped early: " + last_error()});
  for (auto& [key, c] : earliest) out.changes.push_back(std::move(c));
  return out;
}

}  // namespace

ChangeSet staged_changes(git_repository* repo) {
  ChangeSet out;
  git_index* raw_index = nullptr;
  check(git_repository_index(&raw_index, repo), "cannot read the index");
  Index index(raw_index);
  Tree head;
  git_object* head_tree = nullptr;
  if (git_revparse_single(&head_tree, repo, "HEAD^{tree}") == 0) head.reset(reinterpret_cast<git_tree*>(head_tree));
  // else: no commit yet; everything staged is new.
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  git_diff* diff = nullptr;
  check(git_diff_tree_to_index(&diff, repo, head.get(), raw_index, &opts), "cannot compare the index with HEAD");
  Diff owned(diff);
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  git_diff_find_similar(diff, &find);
  for (auto& [path, blobs] : added_blobs(diff, out)) out.changes.push_back({blobs.first, blobs.second, path, std::nullopt});
  return out;
}

ChangeSet range_changes(git_repository* repo, const std::string& range) {
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo), "cannot walk history");
  Revwalk walk(raw);
  git_revwalk_sorting(raw, GIT_SORT_TIME);
  std::string spec = range.find("..") == std::string::npos ? range + "..HEAD" : range;
  check(git_revwalk_push_range(raw, spec.c_str()), "cannot resolve the range " + spec);
  return changes_of_walk(repo, raw);
}

ChangeSet push_changes(git_repository* repo, std::istream& hook_input) {
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo), "cannot walk history");
  Revwalk walk(raw);
  git_revwalk_sorting(raw, GIT_SORT_TIME);
  bool any = false;
  // git writes one short line per ref; anything else is not its hook input, and a
  // line that is not understood must not be passed over (its commits would go unscanned).
  constexpr std::size_t kMaxHookLine = 64 * 1024;
  std::string line;
  std::size_t n = 0;
  for (LineRead r; (r = read_bounded_line(hook_input, line, kMaxHookLine)) != LineRead::end;) {
    ++n;
    if (r == LineRead::too_long)
      throw GitError("pre-push input line " + std::to_string(n) + " is longer than " + std::to_string(kMaxHookLine) +
                               " bytes: not git's pre-push hook input");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::istringstream fields(line);
    std::string local_ref, local_sha, remote_ref, remote_sha, extra;
    if (!(fields >> local_ref >> local_sha >> remote_ref >> remote_sha) || (fields >> extra))
      throw GitError("pre-push input line " + std::to_string(n) +
                               " is not \"<local ref> <local sha> <remote ref> <remote sha>\"");
    if (is_zero(local_sha)) continue;  // a deletion sends no content
    git_oid local;
    check(git_oid_fromstr(&local, local_sha.c_str()), "pre-push input: bad object id " + local_sha);
    check(git_revwalk_push(raw, &local), "cannot walk from " + local_sha);
    any = true;
    git_oid remote;
    // What the remote already has needs no scan: its tip when we know it, else every
    // commit on any remote-tracking branch.
    if (!is_zero(remote_sha) && git_oid_fromstr(&remote, remote_sha.c_str()) == 0) {
      git_commit* c = nullptr;
      if (git_commit_lookup(&c, repo, &remote) == 0) {
        git_commit_free(c);
        git_revwalk_hide(raw, &remote);
        continue;
      }
    }
    git_revwalk_hide_glob(raw, "refs/remotes/*");
  }
  if (!any) return {};
  return changes_of_walk(repo, raw);
}

std::set<uint64_t> added_lines(git_repository* repo, const std::optional<ObjectId>& old_blob, const ObjectId& blob) {
  Blob old_b, new_b;
  git_blob* raw = nullptr;
  git_oid new_id = to_oid(blob);
  check(git_blob_lookup(&raw, repo, &new_id), "cannot read blob " + hex(new_id));
  new_b.reset(raw);
  if (old_blob) {
    git_oid old_id = to_oid(*old_blob);
    if (git_blob_lookup(&raw, repo, &old_id) == 0) old_b.reset(raw);
  }
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.flags |= GIT_DIFF_FORCE_TEXT;  // secrets in binary files count too
  std::set<uint64_t> lines;
  check(git_diff_blobs(
            old_b.get(), nullptr, new_b.get(), nullptr, &opts, nullptr, nullptr, nullptr,
            [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* l, void* payload) {
              if (l->origin == GIT_DIFF_LINE_ADDITION && l->new_lineno > 0)
                static_cast<std::set<uint64_t>*>(payload)->insert(static_cast<uint64_t>(l->new_lineno));
              return 0;
            },
            &lines),
        "cannot diff blobs");
  return lines;
}

}  // namespace sfmc::git
