#include "sources/git/changes.hpp"

#include <algorithm>
#include <bitset>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <tbb/parallel_for.h>

#include "core/bounded_line.hpp"

namespace sfmc::git {

namespace {

bool is_zero(const std::string& sha) { return sha.find_first_not_of('0') == std::string::npos; }

constexpr uint32_t kTreeMode = 0040000, kGitlinkMode = 0160000;

struct TreeEntry {
  std::string name;
  uint32_t mode = 0;
  ObjectId id{};
  bool is_tree() const { return mode == kTreeMode; }
  bool is_gitlink() const { return mode == kGitlinkMode; }
  bool is_blob() const { return !is_tree() && !is_gitlink(); }
};

// A tree's entries sorted by name (names are unique within a tree), and a filter of
// every blob below it: "does this tree hold blob B anywhere" descends only into
// subtrees whose filter admits B.
struct ParsedTree {
  std::vector<TreeEntry> entries;
  std::unique_ptr<std::bitset<2048>> filter;  // built on first use

  const TreeEntry* find(const std::string& name) const {
    auto it = std::lower_bound(entries.begin(), entries.end(), name,
                               [](const TreeEntry& e, const std::string& n) { return e.name < n; });
    return it != entries.end() && it->name == name ? &*it : nullptr;
  }
};

void set_bits(std::bitset<2048>& f, const ObjectId& id) {
  f.set((id[0] | id[1] << 8) & 2047);
  f.set((id[2] | id[3] << 8) & 2047);
  f.set((id[4] | id[5] << 8) & 2047);
}
bool may_hold(const std::bitset<2048>& f, const ObjectId& id) {
  return f.test((id[0] | id[1] << 8) & 2047) && f.test((id[2] | id[3] << 8) & 2047) && f.test((id[4] | id[5] << 8) & 2047);
}

// Trees read straight from the object database and parsed here, each once per run:
// the commits of a range share nearly all of their subtrees.
class TreeStore {
 public:
  explicit TreeStore(git_repository* repo) {
    git_odb* odb = nullptr;
    check(git_repository_odb(&odb, repo), "cannot open the object database");
    odb_.reset(odb);
  }

  // Throws GitError when the tree cannot be read: a change set that silently lacks a
  // tree would silently lack its blobs.
  const ParsedTree& get(const ObjectId& id) { return get_mutable(id); }

  bool holds(const ObjectId& tree_id, const ObjectId& blob) {
    const ParsedTree& t = get(tree_id);
    if (!may_hold(filter(tree_id), blob)) return false;
    for (const TreeEntry& e : t.entries) {
      if (e.is_blob() && e.id == blob) return true;
      if (e.is_tree() && holds(e.id, blob)) return true;
    }
    return false;
  }

  // The entry at a slash-separated path, if any.
  std::optional<TreeEntry> at(ObjectId tree_id, const std::string& path) {
    std::size_t start = 0;
    while (true) {
      std::size_t slash = path.find('/', start);
      const TreeEntry* e = get(tree_id).find(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (!e) return std::nullopt;
      if (slash == std::string::npos) return *e;
      if (!e->is_tree()) return std::nullopt;
      tree_id = e->id;
      start = slash + 1;
    }
  }

 private:
  ParsedTree& get_mutable(const ObjectId& id) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = trees_.find(id); it != trees_.end()) return *it->second;
    }
    // Read and parsed outside the lock: the object database reads in parallel.
    auto tree = std::make_unique<ParsedTree>();
    git_oid oid = to_oid(id);
    git_odb_object* raw = nullptr;
    check(git_odb_read(&raw, odb_.get(), &oid), "cannot read tree " + hex(id));
    OdbObject obj(raw);
    if (git_odb_object_type(raw) != GIT_OBJECT_TREE) throw GitError("object " + hex(id) + " is not a tree");
    const char* p = static_cast<const char*>(git_odb_object_data(raw));
    const char* end = p + git_odb_object_size(raw);
    while (p < end) {
      TreeEntry e;
      while (p < end && *p != ' ') e.mode = e.mode * 8 + static_cast<uint32_t>(*p++ - '0');
      const char* name = ++p;
      while (p < end && *p) ++p;
      if (end - p < 21) throw GitError("tree " + hex(id) + " is damaged");
      e.name.assign(name, p);
      std::memcpy(e.id.data(), p + 1, 20);
      p += 21;
      tree->entries.push_back(std::move(e));
    }
    // Git's order is by name with a "/" after folder names: nearly always name order
    // already ("a.c" before the folder "a" is the exception), so sorted only when needed.
    auto by_name = [](const TreeEntry& a, const TreeEntry& b) { return a.name < b.name; };
    if (!std::is_sorted(tree->entries.begin(), tree->entries.end(), by_name))
      std::sort(tree->entries.begin(), tree->entries.end(), by_name);
    std::lock_guard<std::mutex> lock(mutex_);
    return *trees_.emplace(id, std::move(tree)).first->second;  // another thread's copy wins if it was first
  }

  // Not thread-safe: filters are built and read by one thread only.
  const std::bitset<2048>& filter(const ObjectId& tree_id) {
    ParsedTree& t = get_mutable(tree_id);
    if (t.filter) return *t.filter;
    auto f = std::make_unique<std::bitset<2048>>();
    for (std::size_t i = 0; i < t.entries.size(); ++i) {
      // filter() below may grow trees_; the trees themselves stay put.
      const TreeEntry& e = t.entries[i];
      if (e.is_blob()) set_bits(*f, e.id);
      else if (e.is_tree()) *f |= filter(e.id);
    }
    t.filter = std::move(f);
    return *t.filter;
  }

  Odb odb_;
  std::mutex mutex_;  // guards trees_
  std::unordered_map<ObjectId, std::unique_ptr<ParsedTree>, ObjectIdHash> trees_;  // node-based: references stay valid
};

struct Changed {
  ObjectId blob{};
  std::optional<ObjectId> old;  // the blob at this path before, if it was one
};

using Removed = std::vector<std::pair<std::string, ObjectId>>;

// Every blob below `tree`, for a subtree that went away whole.
void list_blobs(TreeStore& store, const ObjectId& tree, const std::string& prefix, Removed& out) {
  for (const TreeEntry& e : store.get(tree).entries) {
    if (e.is_tree()) list_blobs(store, e.id, prefix + e.name + "/", out);
    else if (e.is_blob()) out.emplace_back(prefix + e.name, e.id);
  }
}

// Every blob path under `tree` whose content differs from `before` (none: everything
// is new), and the blob paths `before` has that `tree` lacks. Identical subtrees are
// skipped by id; a mode change alone is no change.
void diff_trees(TreeStore& store, const std::optional<ObjectId>& before, const ObjectId& tree, const std::string& prefix,
                std::map<std::string, Changed>& out, Removed& removed, std::set<std::string>& gitlinks) {
  static const ParsedTree kEmpty;
  const ParsedTree& old_tree = before ? store.get(*before) : kEmpty;
  const ParsedTree& new_tree = store.get(tree);
  // Both are sorted by name: one merge over the two, not a search per entry.
  auto old_it = old_tree.entries.begin();
  const auto old_end = old_tree.entries.end();
  for (const TreeEntry& e : new_tree.entries) {
    const TreeEntry* o = nullptr;
    for (; old_it != old_end; ++old_it) {
      const int cmp = old_it->name.compare(e.name);
      if (cmp > 0) break;
      if (cmp == 0) {
        o = &*old_it++;
        break;
      }
      // Only in the old tree: gone.
      if (old_it->is_tree()) list_blobs(store, old_it->id, prefix + old_it->name + "/", removed);
      else if (old_it->is_blob()) removed.emplace_back(prefix + old_it->name, old_it->id);
    }
    if (o && o->id == e.id && o->is_tree() == e.is_tree()) continue;
    std::string path = prefix + e.name;
    if (o && o->is_tree() && !e.is_tree()) list_blobs(store, o->id, path + "/", removed);
    if (o && o->is_blob() && e.is_tree()) removed.emplace_back(path, o->id);
    if (e.is_tree()) {
      diff_trees(store, o && o->is_tree() ? std::optional(o->id) : std::nullopt, e.id, path + "/", out, removed, gitlinks);
    } else if (e.is_gitlink()) {
      gitlinks.insert(path);
    } else {
      Changed c{e.id, std::nullopt};
      if (o && o->is_blob()) c.old = o->id;
      out.emplace(std::move(path), c);
    }
  }
  for (; old_it != old_end; ++old_it) {
    if (old_it->is_tree()) list_blobs(store, old_it->id, prefix + old_it->name + "/", removed);
    else if (old_it->is_blob()) removed.emplace_back(prefix + old_it->name, old_it->id);
  }
}

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// A new path's lines are compared with the files the same commit removed: a file
// moved and edited keeps its old lines, without guessing which file it came from by
// similarity. The ones with the same name first; a bounded number.
std::vector<ObjectId> moved_from(const std::string& path, const Removed& removed) {
  constexpr std::size_t kMax = 16;
  std::vector<ObjectId> out;
  const std::string name = base_name(path);
  for (const auto& [p, id] : removed)
    if (out.size() < kMax && base_name(p) == name) out.push_back(id);
  for (const auto& [p, id] : removed)
    if (out.size() < kMax && base_name(p) != name) out.push_back(id);
  return out;
}

// Walks the commits `walk` yields and keeps the earliest introduction of each (path, blob).
ChangeSet changes_of_walk(git_repository* repo, git_revwalk* walk) {
  ChangeSet out;
  TreeStore store(repo);
  struct Node {
    git_oid id;
    ObjectId tree{};
    std::vector<ObjectId> parent_trees;
    std::map<std::string, Changed> changed;  // against the first parent
    Removed removed;                         // likewise
    std::set<std::string> gitlinks;
  };
  std::vector<Node> nodes;
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, walk)) == 0) {
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo, &id), "cannot read commit " + hex(id));
    Commit commit(raw);
    out.commits.push_back(to_id(id));
    Node n{id, to_id(*git_commit_tree_id(raw)), {}, {}, {}, {}};
    for (unsigned p = 0, count = git_commit_parentcount(raw); p < count; ++p) {
      git_commit* parent = nullptr;
      if (git_commit_lookup(&parent, repo, git_commit_parent_id(raw, p)) != 0) {
        // Beyond a shallow clone's boundary: compared with nothing, so everything counts.
        out.notes.push_back({".", SkipReason::shallow,
                             "parent " + hex(*git_commit_parent_id(raw, p)) + " of " + hex(id) +
                                 " is not in the repository: the commit's whole tree was scanned"});
        continue;
      }
      n.parent_trees.push_back(to_id(*git_commit_tree_id(parent)));
      git_commit_free(parent);
    }
    nodes.push_back(std::move(n));
  }
  if (rc != GIT_ITEROVER)  // e.g. a parent beyond a shallow clone's boundary
    out.notes.push_back({".", SkipReason::shallow, "history walk stopped early: " + last_error()});

  // Candidates: what differs from the first parent. Reading trees is most of the work,
  // and commits are independent, so in parallel.
  tbb::parallel_for(std::size_t{0}, nodes.size(), [&](std::size_t i) {
    Node& n = nodes[i];
    diff_trees(store, n.parent_trees.empty() ? std::nullopt : std::optional(n.parent_trees[0]), n.tree, "", n.changed,
               n.removed, n.gitlinks);
  });

  std::map<std::pair<std::string, ObjectId>, Change> earliest;
  std::set<std::string> gitlinks;
  for (Node& n : nodes) {
    gitlinks.insert(n.gitlinks.begin(), n.gitlinks.end());
    // A merge keeps only what differs from every other parent too.
    std::map<std::string, std::vector<ObjectId>> olds;
    for (auto it = n.changed.begin(); it != n.changed.end();) {
      const ObjectId blob = it->second.blob;
      std::vector<ObjectId>& previous = olds[it->first];
      if (it->second.old) previous.push_back(*it->second.old);
      bool is_new = true;
      for (std::size_t p = 0; p < n.parent_trees.size() && is_new; ++p) {
        if (p > 0) {
          std::optional<TreeEntry> there = store.at(n.parent_trees[p], it->first);
          if (there && there->is_blob()) {
            if (there->id == blob) is_new = false;
            else previous.push_back(there->id);
          }
        }
        // A blob the parent holds anywhere (a rename, a copy, a revert) adds nothing.
        if (is_new && store.holds(n.parent_trees[p], blob)) is_new = false;
      }
      it = is_new ? std::next(it) : n.changed.erase(it);
    }
    if (n.changed.empty()) continue;
    for (auto& [path, previous] : olds)
      if (previous.empty() && n.changed.count(path)) previous = moved_from(path, n.removed);
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo, &n.id), "cannot read commit " + hex(n.id));
    Commit commit(raw);
    CommitInfo info = describe_commit(raw);
    for (auto& [path, c] : n.changed) {
      Change ch{c.blob, olds[path], path, info};
      auto [it, inserted] = earliest.try_emplace({path, c.blob}, ch);
      if (!inserted && std::tie(info.time, info.id) < std::tie(it->second.commit->time, it->second.commit->id))
        it->second = std::move(ch);
    }
  }
  for (const std::string& path : gitlinks)
    out.notes.push_back({path, SkipReason::submodule, "submodule: its content lives in another repository"});
  for (auto& [key, c] : earliest) out.changes.push_back(std::move(c));
  return out;
}

std::optional<ObjectId> resolve_commit(git_repository* repo, const std::string& spec) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, spec.c_str()) != 0) return std::nullopt;
  Object owned(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) return std::nullopt;
  Object p(peeled);
  return to_id(*git_object_id(peeled));
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
  std::optional<TreeStore> store;
  Removed removed;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED && d->old_file.mode != GIT_FILEMODE_COMMIT)
      removed.emplace_back(d->old_file.path, to_id(d->old_file.id));
  }
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED || git_oid_is_zero(&d->new_file.id)) continue;
    if (d->new_file.mode == GIT_FILEMODE_COMMIT) {
      out.notes.push_back({d->new_file.path, SkipReason::submodule, "submodule: its content lives in another repository"});
      continue;
    }
    ObjectId blob = to_id(d->new_file.id);
    Change c{blob, {}, d->new_file.path, std::nullopt};
    bool had = d->status != GIT_DELTA_ADDED && !git_oid_is_zero(&d->old_file.id) && d->old_file.mode != GIT_FILEMODE_COMMIT;
    if (had) {
      if (to_id(d->old_file.id) == blob) continue;  // a mode change adds no line
      c.old_blobs.push_back(to_id(d->old_file.id));
    } else if (head) {
      // A new path whose blob HEAD already holds (a rename, a copy) adds nothing. Only
      // asked for new paths, so a commit of edits never reads HEAD's whole tree.
      if (!store) store.emplace(repo);
      if (store->holds(to_id(*git_tree_id(head.get())), blob)) continue;
      c.old_blobs = moved_from(c.path, removed);
    }
    out.changes.push_back(std::move(c));
  }
  return out;
}

ChangeSet range_changes(git_repository* repo, const std::string& range) {
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo), "cannot walk history");
  Revwalk walk(raw);
  git_revwalk_sorting(raw, GIT_SORT_TIME);
  std::string spec = range.find("..") == std::string::npos ? range + "..HEAD" : range;
  if (spec.find("...") != std::string::npos) throw GitError("--range takes A..B, not A...B");
  check(git_revwalk_push_range(raw, spec.c_str()), "cannot resolve the range " + spec);
  std::optional<ObjectId> base = resolve_commit(repo, spec.substr(0, spec.find("..")));
  ChangeSet out = changes_of_walk(repo, raw);
  out.base = base;
  return out;
}

ChangeSet push_changes(git_repository* repo, std::istream& hook_input) {
  git_revwalk* raw = nullptr;
  check(git_revwalk_new(&raw, repo), "cannot walk history");
  Revwalk walk(raw);
  git_revwalk_sorting(raw, GIT_SORT_TIME);
  bool any = false;
  std::optional<ObjectId> base;
  std::vector<ObjectId> tags;  // annotated tags the push sends: their messages are scanned
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
    git_object* pushed = nullptr;
    if (git_object_lookup(&pushed, repo, &local, GIT_OBJECT_ANY) == 0) {
      if (git_object_type(pushed) == GIT_OBJECT_TAG) tags.push_back(to_id(local));
      git_object_free(pushed);
    }
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
        if (!base) base = to_id(remote);  // the remote's side: its configuration rules
        continue;
      }
    }
    git_revwalk_hide_glob(raw, "refs/remotes/*");
  }
  if (!any) return {};
  ChangeSet out = changes_of_walk(repo, raw);
  out.base = base;
  out.commits.insert(out.commits.end(), tags.begin(), tags.end());
  return out;
}

std::set<uint64_t> added_lines(git_repository* repo, const std::vector<ObjectId>& old_blobs, const ObjectId& blob) {
  Blob new_b;
  git_blob* raw = nullptr;
  git_oid new_id = to_oid(blob);
  check(git_blob_lookup(&raw, repo, &new_id), "cannot read blob " + hex(new_id));
  new_b.reset(raw);
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.context_lines = 0;
  opts.flags |= GIT_DIFF_FORCE_TEXT;  // secrets in binary files count too
  auto diff_against = [&](git_blob* old_b) {
    std::set<uint64_t> lines;
    check(git_diff_blobs(
              old_b, nullptr, new_b.get(), nullptr, &opts, nullptr, nullptr, nullptr,
              [](const git_diff_delta*, const git_diff_hunk*, const git_diff_line* l, void* payload) {
                if (l->origin == GIT_DIFF_LINE_ADDITION && l->new_lineno > 0)
                  static_cast<std::set<uint64_t>*>(payload)->insert(static_cast<uint64_t>(l->new_lineno));
                return 0;
              },
              &lines),
          "cannot diff blobs");
    return lines;
  };
  std::optional<std::set<uint64_t>> added;
  for (const ObjectId& old : old_blobs) {
    git_oid old_id = to_oid(old);
    git_blob* old_raw = nullptr;
    // A previous version that cannot be read is compared as nothing: every line counts.
    if (git_blob_lookup(&old_raw, repo, &old_id) != 0) continue;
    Blob old_b(old_raw);
    std::set<uint64_t> lines = diff_against(old_b.get());
    if (!added) {
      added = std::move(lines);
      continue;
    }
    // A merge adds a line only when no parent has it.
    std::set<uint64_t> both;
    std::set_intersection(added->begin(), added->end(), lines.begin(), lines.end(), std::inserter(both, both.end()));
    added = std::move(both);
  }
  return added ? *added : diff_against(nullptr);
}

std::optional<std::string> file_at(git_repository* repo, const ObjectId& commit, const std::string& path) {
  git_commit* raw = nullptr;
  git_oid id = to_oid(commit);
  if (git_commit_lookup(&raw, repo, &id) != 0) return std::nullopt;
  Commit c(raw);
  TreeStore store(repo);
  std::optional<TreeEntry> e = store.at(to_id(*git_commit_tree_id(raw)), path);
  if (!e || !e->is_blob()) return std::nullopt;
  git_blob* blob = nullptr;
  git_oid blob_id = to_oid(e->id);
  if (git_blob_lookup(&blob, repo, &blob_id) != 0) return std::nullopt;
  Blob b(blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob)), static_cast<std::size_t>(git_blob_rawsize(blob)));
}

}  // namespace sfmc::git
