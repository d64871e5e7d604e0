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
#include <unordered_set>

#include <tbb/parallel_for.h>

#include "core/bounded_line.hpp"
#include "sources/git/commit_walk.hpp"
#include "sources/git/object_reader.hpp"

namespace sfmc::git {

namespace {

bool is_zero(const std::string& sha) { return sha.find_first_not_of('0') == std::string::npos; }

constexpr uint32_t kTreeMode = 0040000, kGitlinkMode = 0160000;

struct PathEntry {
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
  std::vector<PathEntry> entries;
  std::once_flag filter_built;  // built on first use, by one thread
  std::bitset<2048> filter;

  const PathEntry* find(const std::string& name) const {
    auto it = std::lower_bound(entries.begin(), entries.end(), name,
                               [](const PathEntry& e, const std::string& n) { return e.name < n; });
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
  explicit TreeStore(const ObjectReader& reader) : reader_(reader) {}

  // Throws GitError when the tree cannot be read: a change set that silently lacks a
  // tree would silently lack its blobs.
  const ParsedTree& get(const ObjectId& id) { return get_mutable(id); }

  // Adds to `held` each of `candidates` (sorted) that the tree holds as a blob at any
  // depth. One pass over the tree for all of them, into the subtrees whose filter admits
  // one of them; a subtree met twice is read once.
  // Thread-safe.
  void find_held(const ObjectId& tree_id, const std::vector<ObjectId>& candidates, std::vector<ObjectId>& held) {
    // Most entries are no candidate: an open-addressed table of the candidates' first
    // eight bytes turns them away without comparing ids.
    std::size_t slots = 16;
    while (slots < candidates.size() * 4) slots *= 2;
    std::vector<uint64_t> prefix(slots, 0);
    std::vector<uint32_t> which(slots, UINT32_MAX);
    auto key = [](const ObjectId& id) {
      uint64_t k;
      std::memcpy(&k, id.data(), sizeof k);
      return k;
    };
    for (uint32_t c = 0; c < candidates.size(); ++c) {
      std::size_t at = key(candidates[c]) & (slots - 1);
      while (which[at] != UINT32_MAX) at = (at + 1) & (slots - 1);
      prefix[at] = key(candidates[c]);
      which[at] = c;
    }
    std::vector<bool> seen(candidates.size());
    std::size_t found = 0;  // distinct candidates held: when all are, the rest is not read
    std::vector<ObjectId> pending{tree_id};
    std::unordered_set<ObjectId, ObjectIdHash> visited{tree_id};
    while (!pending.empty() && found < candidates.size()) {
      const ParsedTree& t = get(pending.back());
      pending.pop_back();
      for (const PathEntry& e : t.entries) {
        if (e.is_tree()) {
          if (!visited.insert(e.id).second) continue;
          const std::bitset<2048>& f = filter(e.id);
          for (const ObjectId& c : candidates)
            if (may_hold(f, c)) {
              pending.push_back(e.id);
              break;
            }
          continue;
        }
        if (!e.is_blob()) continue;
        const uint64_t k = key(e.id);
        for (std::size_t at = k & (slots - 1); which[at] != UINT32_MAX; at = (at + 1) & (slots - 1)) {
          const uint32_t c = which[at];
          if (prefix[at] != k || candidates[c] != e.id || seen[c]) continue;
          seen[c] = true;
          held.push_back(e.id);
          ++found;
          break;
        }
      }
    }
  }

  // The entry at a slash-separated path, if any.
  std::optional<PathEntry> at(ObjectId tree_id, const std::string& path) {
    std::size_t start = 0;
    while (true) {
      std::size_t slash = path.find('/', start);
      const PathEntry* e = get(tree_id).find(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
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
      Shard& sh = shard(id);
      std::lock_guard<std::mutex> lock(sh.mutex);
      if (auto it = sh.trees.find(id); it != sh.trees.end()) return *it->second;
    }
    // Read and parsed outside the lock: the object database reads in parallel.
    auto tree = std::make_unique<ParsedTree>();
    thread_local std::string raw;
    if (reader_.read(id, raw) != GIT_OBJECT_TREE) throw GitError("object " + hex(id) + " is not a tree");
    const char* p = raw.data();
    const char* end = p + raw.size();
    while (p < end) {
      PathEntry e;
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
    auto by_name = [](const PathEntry& a, const PathEntry& b) { return a.name < b.name; };
    if (!std::is_sorted(tree->entries.begin(), tree->entries.end(), by_name))
      std::sort(tree->entries.begin(), tree->entries.end(), by_name);
    Shard& sh = shard(id);
    std::lock_guard<std::mutex> lock(sh.mutex);
    return *sh.trees.emplace(id, std::move(tree)).first->second;  // another thread's copy wins if it was first
  }

  // Built once per tree, whichever thread asks first (a tree cannot hold itself, so
  // the recursion cannot come back to a filter being built).
  const std::bitset<2048>& filter(const ObjectId& tree_id) {
    ParsedTree& t = get_mutable(tree_id);
    std::call_once(t.filter_built, [&] {
      std::bitset<2048> f;
      for (const PathEntry& e : t.entries) {
        if (e.is_blob()) set_bits(f, e.id);
        else if (e.is_tree()) f |= filter(e.id);
      }
      t.filter = f;
    });
    return t.filter;
  }

  // Sharded by id: the comparison threads look trees up constantly.
  struct Shard {
    std::mutex mutex;
    std::unordered_map<ObjectId, std::unique_ptr<ParsedTree>, ObjectIdHash> trees;  // node-based: references stay valid
  };
  Shard& shard(const ObjectId& id) { return shards_[id[19] % kShards]; }

  const ObjectReader& reader_;
  static constexpr std::size_t kShards = 16;
  Shard shards_[kShards];
};

struct Changed {
  ObjectId blob{};
  std::optional<ObjectId> old;  // the blob at this path before, if it was one
};

using Removed = std::vector<std::pair<std::string, ObjectId>>;

// Every blob below `tree`, for a subtree that went away whole.
void list_blobs(TreeStore& store, const ObjectId& tree, const std::string& prefix, Removed& out) {
  for (const PathEntry& e : store.get(tree).entries) {
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
  for (const PathEntry& e : new_tree.entries) {
    const PathEntry* o = nullptr;
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

// Keeps the earliest introduction of each (path, blob) by the commits of a walk.
ChangeSet changes_of_walk(git_repository* repo, const ObjectReader& reader, std::vector<WalkedCommit> walked) {
  ChangeSet out;
  TreeStore store(reader);
  struct Node {
    git_oid id;
    ObjectId tree{};
    std::vector<ObjectId> parent_trees;
    std::map<std::string, Changed> changed;  // against the first parent
    Removed removed;                         // likewise
    std::set<std::string> gitlinks;
    std::map<std::string, std::vector<ObjectId>> olds;  // each new path's previous versions
  };
  std::vector<Node> nodes;
  nodes.reserve(walked.size());
  std::unordered_map<ObjectId, ObjectId, ObjectIdHash> tree_of;
  for (const WalkedCommit& w : walked) tree_of.emplace(w.id, w.tree);
  std::string content;
  for (const WalkedCommit& w : walked) {
    out.commits.push_back(w.id);
    Node n{to_oid(w.id), w.tree, {}, {}, {}, {}, {}};
    for (const ObjectId& p : w.parents) {
      auto it = tree_of.find(p);
      if (it != tree_of.end()) {
        n.parent_trees.push_back(it->second);
        continue;
      }
      // A parent on the excluded side: read again (the walk read it once already).
      std::optional<RawCommit> parsed;
      if (reader.read_commit_head(p, content) != GIT_OBJECT_COMMIT || !(parsed = parse_commit(content)))
        throw GitError("cannot read commit " + hex(p));
      n.parent_trees.push_back(parsed->tree);
    }
    for (const ObjectId& p : w.missing_parents)
      // Beyond a shallow clone's boundary: compared with nothing, so everything counts.
      out.notes.push_back({".", SkipReason::shallow,
                           "parent " + hex(p) + " of " + hex(w.id) +
                               " is not in the repository: the commit's whole tree was scanned"});
    nodes.push_back(std::move(n));
  }

  // Candidates: what differs from the first parent. Reading trees is most of the work,
  // and commits are independent, so in parallel.
  // Then what no parent holds anywhere: a blob a parent has at any path (a rename, a
  // copy, a revert) adds nothing, and a merge keeps only what differs from every
  // parent. Each parent's tree is searched once for all of the commit's candidates.
  tbb::parallel_for(std::size_t{0}, nodes.size(), [&](std::size_t i) {
    Node& n = nodes[i];
    diff_trees(store, n.parent_trees.empty() ? std::nullopt : std::optional(n.parent_trees[0]), n.tree, "", n.changed,
               n.removed, n.gitlinks);
    if (n.changed.empty()) return;
    std::vector<ObjectId> candidates;
    for (const auto& [path, c] : n.changed) candidates.push_back(c.blob);
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<ObjectId> held;
    for (const ObjectId& parent : n.parent_trees) store.find_held(parent, candidates, held);
    std::sort(held.begin(), held.end());
    for (auto it = n.changed.begin(); it != n.changed.end();) {
      if (std::binary_search(held.begin(), held.end(), it->second.blob)) {
        it = n.changed.erase(it);
        continue;
      }
      std::vector<ObjectId>& previous = n.olds[it->first];
      if (it->second.old) previous.push_back(*it->second.old);
      for (std::size_t p = 1; p < n.parent_trees.size(); ++p) {
        std::optional<PathEntry> there = store.at(n.parent_trees[p], it->first);
        if (there && there->is_blob()) previous.push_back(there->id);  // not the blob: no parent holds it
      }
      if (previous.empty()) previous = moved_from(it->first, n.removed);
      ++it;
    }
  });

  std::map<std::pair<std::string, ObjectId>, Change> earliest;
  std::set<std::string> gitlinks;
  for (Node& n : nodes) {
    gitlinks.insert(n.gitlinks.begin(), n.gitlinks.end());
    if (n.changed.empty()) continue;
    std::map<std::string, std::vector<ObjectId>>& olds = n.olds;
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
  std::optional<ObjectReader> reader;
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
      if (!reader) reader.emplace(repo);
      if (!store) store.emplace(*reader);
      std::vector<ObjectId> held;
      store->find_held(to_id(*git_tree_id(head.get())), {blob}, held);
      if (!held.empty()) continue;
      c.old_blobs = moved_from(c.path, removed);
    }
    out.changes.push_back(std::move(c));
  }
  return out;
}

// A revision as a commit id: annotated tags are peeled. Throws GitError otherwise.
ObjectId commit_of(const git_object* obj, const std::string& spec) {
  git_object* peeled = nullptr;
  check(git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT), spec + " is not a commit");
  Object p(peeled);
  return to_id(*git_object_id(peeled));
}

ChangeSet range_changes(git_repository* repo, const std::string& range) {
  std::string spec = range.find("..") == std::string::npos ? range + "..HEAD" : range;
  if (spec.find("...") != std::string::npos) throw GitError("--range takes A..B, not A...B");
  git_revspec revspec;
  check(git_revparse(&revspec, repo, spec.c_str()), "cannot resolve the range " + spec);
  Object from(revspec.from), to(revspec.to);
  if (!to || !from || !(revspec.flags & GIT_REVSPEC_RANGE)) throw GitError("cannot resolve the range " + spec + ": not A..B");
  const ObjectId base = commit_of(from.get(), spec.substr(0, spec.find("..")));
  const ObjectId tip = commit_of(to.get(), spec.substr(spec.find("..") + 2));
  auto reader = std::make_shared<const ObjectReader>(repo);
  ChangeSet out = changes_of_walk(repo, *reader, walk_commits(*reader, {tip}, {base}));
  out.base = base;
  out.objects = std::move(reader);
  return out;
}

ChangeSet push_changes(git_repository* repo, std::istream& hook_input) {
  std::vector<ObjectId> include, exclude;
  bool hide_remotes = false;
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
    check(git_object_lookup(&pushed, repo, &local, GIT_OBJECT_ANY), "cannot walk from " + local_sha);
    Object owned(pushed);
    if (git_object_type(pushed) == GIT_OBJECT_TAG) tags.push_back(to_id(local));
    include.push_back(commit_of(pushed, local_sha));
    git_oid remote;
    // What the remote already has needs no scan: its tip when we know it, else every
    // commit on any remote-tracking branch.
    if (!is_zero(remote_sha) && git_oid_fromstr(&remote, remote_sha.c_str()) == 0) {
      git_commit* c = nullptr;
      if (git_commit_lookup(&c, repo, &remote) == 0) {
        git_commit_free(c);
        exclude.push_back(to_id(remote));
        if (!base) base = to_id(remote);  // the remote's side: its configuration rules
        continue;
      }
    }
    hide_remotes = true;
  }
  if (include.empty()) return {};
  if (hide_remotes) {
    // Remote-tracking refs that are not commits (a tag's tree, say) hide nothing.
    git_reference_iterator* it = nullptr;
    check(git_reference_iterator_glob_new(&it, repo, "refs/remotes/*"), "cannot list remote-tracking branches");
    git_reference* ref = nullptr;
    while (git_reference_next(&ref, it) == 0) {
      Reference owned(ref);
      git_object* target = nullptr;
      if (git_reference_peel(&target, ref, GIT_OBJECT_COMMIT) == 0) {
        exclude.push_back(to_id(*git_object_id(target)));
        git_object_free(target);
      }
    }
    git_reference_iterator_free(it);
  }
  auto reader = std::make_shared<const ObjectReader>(repo);
  ChangeSet out = changes_of_walk(repo, *reader, walk_commits(*reader, include, exclude));
  out.base = base;
  out.objects = std::move(reader);
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
  ObjectReader reader(repo);
  TreeStore store(reader);
  std::optional<PathEntry> e = store.at(to_id(*git_commit_tree_id(raw)), path);
  if (!e || !e->is_blob()) return std::nullopt;
  git_blob* blob = nullptr;
  git_oid blob_id = to_oid(e->id);
  if (git_blob_lookup(&blob, repo, &blob_id) != 0) return std::nullopt;
  Blob b(blob);
  return std::string(static_cast<const char*>(git_blob_rawcontent(blob)), static_cast<std::size_t>(git_blob_rawsize(blob)));
}

}  // namespace sfmc::git
