#include "sources/git/provenance.hpp"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace sfmc::git {

namespace {

struct IdHash {
  std::size_t operator()(const ObjectId& id) const {
    std::size_t h;
    std::memcpy(&h, id.data(), sizeof h);  // ids are uniformly distributed already
    return h;
  }
};

// Paths are interned: trees are shared by thousands of commits, and their hits are
// lifted from subtree to parent once per distinct tree, not once per commit.
class PathTable {
 public:
  uint32_t intern(std::string path) {
    auto [it, inserted] = ids_.try_emplace(std::move(path), static_cast<uint32_t>(paths_.size()));
    if (inserted) paths_.push_back(&it->first);
    return it->second;
  }
  const std::string& operator[](uint32_t id) const { return *paths_[id]; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<const std::string*> paths_;  // keys of ids_: node-based, so they stay put
};

struct Hit {
  uint32_t path;  // relative to the tree the hit list belongs to
  ObjectId blob;
};
using Hits = std::shared_ptr<const std::vector<Hit>>;
using IdSet = std::unordered_set<ObjectId, IdHash>;

// The target blobs inside one tree, memoised by tree id: trees are shared by many
// commits, and most hold none of the targets.
class TreeSearch {
 public:
  TreeSearch(git_repository* repo, const IdSet& targets, PathTable& paths) : repo_(repo), targets_(targets), paths_(paths) {
    for (const ObjectId& t : targets) prefixes_.set(prefix(t));
  }

  Hits hits(const git_oid& tree_id) {
    ObjectId key = to_id(tree_id);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    auto out = std::make_shared<std::vector<Hit>>();
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, repo_, &tree_id) == 0) {
      Tree tree(raw);
      for (std::size_t i = 0, n = git_tree_entrycount(raw); i < n; ++i) {
        const git_tree_entry* e = git_tree_entry_byindex(raw, i);
        switch (git_tree_entry_type(e)) {
          case GIT_OBJECT_BLOB: {
            const git_oid* id = git_tree_entry_id(e);
            // One bit per 16-bit id prefix turns away nearly every blob without hashing it.
            if (!prefixes_.test(static_cast<std::size_t>(id->id[0]) << 8 | id->id[1])) break;
            ObjectId blob = to_id(*id);
            if (targets_.count(blob)) out->push_back({paths_.intern(git_tree_entry_name(e)), blob});
            break;
          }
          case GIT_OBJECT_TREE: {
            Hits sub = hits(*git_tree_entry_id(e));
            if (sub->empty()) break;
            std::string prefix = std::string(git_tree_entry_name(e)) + "/";
            for (const Hit& h : *sub) out->push_back({paths_.intern(prefix + paths_[h.path]), h.blob});
            break;
          }
          default:
            break;  // submodule commits live in another repository
        }
      }
    }
    Hits shared = out->empty() ? empty_ : Hits(std::move(out));
    memo_.emplace(key, shared);
    return shared;
  }

 private:
  static std::size_t prefix(const ObjectId& id) { return static_cast<std::size_t>(id[0]) << 8 | id[1]; }

  git_repository* repo_;
  const IdSet& targets_;
  std::bitset<65536> prefixes_;
  PathTable& paths_;
  std::unordered_map<ObjectId, Hits, IdHash> memo_;
  Hits empty_ = std::make_shared<const std::vector<Hit>>();
};

std::string iso_date(int64_t t, int offset_minutes) {
  time_t local = static_cast<time_t>(t + int64_t{offset_minutes} * 60);
  struct tm tm {};
  gmtime_r(&local, &tm);
  char buf[64];  // room for any year tm can hold
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace

CommitInfo describe_commit(git_commit* c) {
  CommitInfo info;
  info.id = hex(*git_commit_id(c));
  const git_signature* a = git_commit_author(c);
  if (a) info.author = std::string(a->name ? a->name : "") + " <" + (a->email ? a->email : "") + ">";
  info.time = git_commit_time(c);
  info.date = iso_date(info.time, git_commit_time_offset(c));
  return info;
}

std::vector<RefTip> list_ref_tips(git_repository* repo) {
  std::vector<std::string> names;
  git_reference_foreach_name(
      repo,
      [](const char* name, void* payload) {
        static_cast<std::vector<std::string>*>(payload)->push_back(name);
        return 0;
      },
      &names);
  std::sort(names.begin(), names.end());
  std::vector<RefTip> tips;
  for (const std::string& name : names) {
    git_reference* ref = nullptr;
    if (git_reference_lookup(&ref, repo, name.c_str()) != 0) continue;
    Reference owned(ref);
    git_object* peeled = nullptr;
    if (git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) != 0) continue;  // e.g. a tag of a blob
    Object p(peeled);
    tips.push_back({name, to_id(*git_object_id(peeled))});
  }
  return tips;
}

std::vector<std::string> refs_reaching(git_repository* repo, const std::vector<RefTip>& tips, const ObjectId& commit) {
  std::vector<std::string> out;
  git_oid target = to_oid(commit);
  for (const RefTip& t : tips) {
    git_oid tip = to_oid(t.commit);
    if (git_oid_equal(&tip, &target) || git_graph_descendant_of(repo, &tip, &target) == 1) out.push_back(t.name);
  }
  return out;
}

std::map<ObjectId, BlobProvenance> attribute_blobs(git_repository* repo, const std::set<ObjectId>& blobs) {
  std::map<ObjectId, BlobProvenance> out;
  if (blobs.empty()) return out;
  std::vector<RefTip> tips = list_ref_tips(repo);

  // Every commit reachable from a ref, each once. Not libgit2's revwalk: it gives up
  // at the first missing parent, which every shallow clone and partial clone has.
  // The commit graph is kept (ids and parents) to answer "which refs reach it" below.
  IdSet targets(blobs.begin(), blobs.end());
  PathTable paths;
  TreeSearch search(repo, targets, paths);
  // Per (blob, path id): the earliest commit holding it there, as an index into `commits`.
  struct KeyHash {
    std::size_t operator()(const std::pair<ObjectId, uint32_t>& k) const { return IdHash{}(k.first) ^ (k.second * 0x9e3779b97f4a7c15ull); }
  };
  std::unordered_map<std::pair<ObjectId, uint32_t>, uint32_t, KeyHash> first;
  std::vector<CommitInfo> commits;
  std::unordered_map<ObjectId, uint32_t, IdHash> index;
  std::vector<ObjectId> ids;
  std::vector<std::vector<ObjectId>> parent_ids;
  std::vector<ObjectId> pending;
  for (const RefTip& t : tips) pending.push_back(t.commit);
  while (!pending.empty()) {
    ObjectId cid = pending.back();
    pending.pop_back();
    if (index.count(cid)) continue;
    git_oid oid = to_oid(cid);
    git_commit* c = nullptr;
    if (git_commit_lookup(&c, repo, &oid) != 0) continue;  // beyond a shallow boundary, or not fetched
    Commit commit(c);
    index.emplace(cid, static_cast<uint32_t>(ids.size()));
    ids.push_back(cid);
    parent_ids.emplace_back();
    for (unsigned i = 0, n = git_commit_parentcount(c); i < n; ++i) {
      parent_ids.back().push_back(to_id(*git_commit_parent_id(c, i)));
      pending.push_back(parent_ids.back().back());
    }
    Hits hits = search.hits(*git_commit_tree_id(c));
    if (hits->empty()) continue;
    commits.push_back(describe_commit(c));
    const uint32_t me = static_cast<uint32_t>(commits.size() - 1);
    const CommitInfo& info = commits.back();
    for (const Hit& h : *hits) {
      auto [it, inserted] = first.try_emplace({h.blob, h.path}, me);
      // Earliest committer date; equal dates resolved by id, so the answer never
      // depends on the order of the walk.
      const CommitInfo& kept = commits[it->second];
      if (!inserted && (info.time < kept.time || (info.time == kept.time && info.id < kept.id))) it->second = me;
    }
  }
  // Sorted by (blob, path) so that what follows is independent of hash order.
  std::map<std::pair<ObjectId, std::string>, CommitInfo> first_at_path;
  for (const auto& [key, at] : first) first_at_path.emplace(std::make_pair(key.first, paths[key.second]), commits[at]);

  for (const auto& [key, info] : first_at_path) {
    BlobProvenance& p = out[key.first];
    p.paths.push_back(key.second);
    if (!p.reachable || info.time < p.first.time || (info.time == p.first.time && key.second < p.path)) {
      p.first = info;
      p.path = key.second;
    }
    p.reachable = true;
  }

  // Which refs reach each first commit: one pass over the graph per 64 refs, a bit per
  // ref pushed from children to parents in topological order. (git_graph_descendant_of
  // per pair took a minute on 20,000 commits.)
  const std::size_t n = ids.size();
  std::vector<std::vector<uint32_t>> parents(n);
  std::vector<uint32_t> children(n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (const ObjectId& p : parent_ids[i])
      if (auto it = index.find(p); it != index.end()) {
        parents[i].push_back(it->second);
        ++children[it->second];
      }
  std::vector<uint32_t> topo;  // children before parents
  topo.reserve(n);
  for (uint32_t i = 0; i < n; ++i)
    if (children[i] == 0) topo.push_back(i);
  for (std::size_t k = 0; k < topo.size(); ++k)
    for (uint32_t p : parents[topo[k]])
      if (--children[p] == 0) topo.push_back(p);
  std::map<uint32_t, std::set<std::string>> refs_of;  // first commit -> refs reaching it
  for (const auto& [key, info] : first_at_path) {
    git_oid oid;
    git_oid_fromstr(&oid, info.id.c_str());
    refs_of.try_emplace(index.at(to_id(oid)));
  }
  for (std::size_t chunk = 0; chunk < tips.size(); chunk += 64) {
    std::vector<uint64_t> mask(n, 0);
    for (std::size_t t = chunk; t < tips.size() && t < chunk + 64; ++t)
      if (auto it = index.find(tips[t].commit); it != index.end()) mask[it->second] |= uint64_t{1} << (t - chunk);
    for (uint32_t c : topo)
      for (uint32_t p : parents[c]) mask[p] |= mask[c];
    for (auto& [c, names] : refs_of)
      for (uint64_t m = mask[c]; m; m &= m - 1) names.insert(tips[chunk + static_cast<std::size_t>(__builtin_ctzll(m))].name);
  }
  std::map<ObjectId, std::set<std::string>> refs;
  for (const auto& [key, info] : first_at_path) {
    git_oid oid;
    git_oid_fromstr(&oid, info.id.c_str());
    const std::set<std::string>& names = refs_of[index.at(to_id(oid))];
    refs[key.first].insert(names.begin(), names.end());
  }
  for (auto& [blob, p] : out) {
    std::sort(p.paths.begin(), p.paths.end());
    p.refs.assign(refs[blob].begin(), refs[blob].end());
  }
  return out;
}

}  // namespace sfmc::git

namespace sfmc::git {

std::set<std::string> paths_at_head(git_repository* repo, const std::set<std::string>& paths) {
  std::set<std::string> present;
  git_object* obj = nullptr;
  if (paths.empty() || git_revparse_single(&obj, repo, "HEAD^{tree}") != 0) return present;
  Tree tree(reinterpret_cast<git_tree*>(obj));
  for (const std::string& p : paths) {
    git_tree_entry* e = nullptr;
    if (git_tree_entry_bypath(&e, tree.get(), p.c_str()) == 0) {
      present.insert(p);
      git_tree_entry_free(e);
    }
  }
  return present;
}

RepositoryIdentity describe_repository(git_repository* repo) {
  RepositoryIdentity id;
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) id.head_commit = hex(head);
  git_reference* ref = nullptr;
  if (git_repository_head_detached(repo) != 1 && git_repository_head(&ref, repo) == 0) {
    Reference owned(ref);
    if (git_reference_is_branch(ref)) id.branch = git_reference_shorthand(ref);
  }
  git_strarray names{};
  if (git_remote_list(&names, repo) == 0) {
    std::string chosen;
    for (std::size_t i = 0; i < names.count; ++i)
      if (std::string(names.strings[i]) == "origin") chosen = "origin";
    if (chosen.empty() && names.count > 0) chosen = names.strings[0];
    git_remote* remote = nullptr;
    if (!chosen.empty() && git_remote_lookup(&remote, repo, chosen.c_str()) == 0) {
      if (const char* url = git_remote_url(remote)) id.remote_url = url;
      git_remote_free(remote);
    }
    git_strarray_dispose(&names);
  }
  return id;
}

}  // namespace sfmc::git
