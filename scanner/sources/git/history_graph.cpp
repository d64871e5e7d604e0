#include "sources/git/history_graph.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_set>

namespace sfmc::git {

void GraphPart::add_commit(const ObjectId& id, const RawCommit& c) {
  commits.push_back({id, c.tree, c.time, static_cast<uint32_t>(parents.size()), static_cast<uint32_t>(c.parents.size())});
  parents.insert(parents.end(), c.parents.begin(), c.parents.end());
}

void GraphPart::add_tag(const ObjectId& id, const RawTag& t) { tags.push_back({id, t.target, t.target_type, std::string(t.name)}); }

HistoryGraph::HistoryGraph(std::vector<GraphPart> parts, std::vector<Tip> tips) : tips_(std::move(tips)) {
  struct Ref {
    const GraphPart* part;
    std::size_t at;
  };
  std::vector<Ref> order;
  for (const GraphPart& p : parts)
    for (std::size_t i = 0; i < p.commits.size(); ++i) order.push_back({&p, i});
  std::sort(order.begin(), order.end(),
            [](const Ref& a, const Ref& b) { return a.part->commits[a.at].id < b.part->commits[b.at].id; });
  order.erase(std::unique(order.begin(), order.end(),
                          [](const Ref& a, const Ref& b) { return a.part->commits[a.at].id == b.part->commits[b.at].id; }),
              order.end());
  const std::size_t n = order.size();
  ids_.resize(n);
  trees_.resize(n);
  times_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const GraphPart::CommitRec& c = order[i].part->commits[order[i].at];
    ids_[i] = c.id;
    trees_[i] = c.tree;
    times_[i] = c.time;
  }
  parents_at_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const GraphPart::CommitRec& c = order[i].part->commits[order[i].at];
    for (uint32_t k = 0; k < c.parent_count; ++k) {
      uint32_t p = find_commit(order[i].part->parents[c.parents_at + k]);
      if (p != npos) parents_.push_back(p);  // beyond a shallow boundary, or never fetched
    }
    parents_at_[i + 1] = static_cast<uint32_t>(parents_.size());
  }
  // The inverted graph: parent -> children.
  children_at_.assign(n + 1, 0);
  for (uint32_t p : parents_) ++children_at_[p + 1];
  std::partial_sum(children_at_.begin(), children_at_.end(), children_at_.begin());
  children_.resize(parents_.size());
  {
    std::vector<uint32_t> fill(children_at_.begin(), children_at_.end() - 1);
    for (uint32_t c = 0; c < n; ++c)
      for (uint32_t k = parents_at_[c]; k < parents_at_[c + 1]; ++k) children_[fill[parents_[k]]++] = c;
  }

  for (GraphPart& p : parts)
    for (GraphPart::TagRec& t : p.tags) tags_.push_back(std::move(t));
  std::sort(tags_.begin(), tags_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  tags_.erase(std::unique(tags_.begin(), tags_.end(), [](const auto& a, const auto& b) { return a.id == b.id; }), tags_.end());
  tag_tips_.assign(tags_.size(), {});
  auto find_tag = [&](const ObjectId& id) -> std::size_t {
    auto it = std::lower_bound(tags_.begin(), tags_.end(), id, [](const auto& t, const ObjectId& x) { return t.id < x; });
    return it != tags_.end() && it->id == id ? static_cast<std::size_t>(it - tags_.begin()) : SIZE_MAX;
  };

  // Tips peel through annotated tags (a chain of them, bounded in case of a loop).
  tip_commit_.assign(tips_.size(), npos);
  reachable_.assign(n, false);
  std::vector<uint32_t> stack;
  for (std::size_t k = 0; k < tips_.size(); ++k) {
    ObjectId at = tips_[k].target;
    for (int depth = 0; depth < 64; ++depth) {
      if (uint32_t c = find_commit(at); c != npos) {
        tip_commit_[k] = c;
        break;
      }
      std::size_t t = find_tag(at);
      if (t == SIZE_MAX) {
        other_targets_.push_back({at, static_cast<uint32_t>(k)});
        break;
      }
      tag_tips_[t].push_back(static_cast<uint32_t>(k));
      at = tags_[t].target;
    }
    if (tip_commit_[k] != npos && !reachable_[tip_commit_[k]]) {
      reachable_[tip_commit_[k]] = true;
      stack.push_back(tip_commit_[k]);
    }
  }
  std::sort(other_targets_.begin(), other_targets_.end());
  while (!stack.empty()) {
    uint32_t c = stack.back();
    stack.pop_back();
    for (uint32_t k = parents_at_[c]; k < parents_at_[c + 1]; ++k)
      if (!reachable_[parents_[k]]) {
        reachable_[parents_[k]] = true;
        stack.push_back(parents_[k]);
      }
  }
}

uint32_t HistoryGraph::find_commit(const ObjectId& id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  return it != ids_.end() && *it == id ? static_cast<uint32_t>(it - ids_.begin()) : npos;
}

std::vector<uint32_t> HistoryGraph::tips_on(const ObjectId& id) const {
  std::vector<uint32_t> out;
  for (auto it = std::lower_bound(other_targets_.begin(), other_targets_.end(), std::make_pair(id, uint32_t{0}));
       it != other_targets_.end() && it->first == id; ++it)
    out.push_back(it->second);
  return out;
}

std::optional<HistoryGraph::TagInfo> HistoryGraph::tag(const ObjectId& id) const {
  auto it = std::lower_bound(tags_.begin(), tags_.end(), id, [](const auto& t, const ObjectId& x) { return t.id < x; });
  if (it == tags_.end() || it->id != id) return std::nullopt;
  TagInfo info;
  info.name = it->name;
  for (uint32_t k : tag_tips_[static_cast<std::size_t>(it - tags_.begin())]) info.tips.push_back(tips_[k].name);
  info.reachable = !info.tips.empty();
  return info;
}

std::vector<uint32_t> HistoryGraph::by_date() const {
  std::vector<uint32_t> out(ids_.size());
  std::iota(out.begin(), out.end(), 0u);
  // Ids sort as their hex does: equal dates are resolved by id, never by walk order.
  std::sort(out.begin(), out.end(), [&](uint32_t a, uint32_t b) { return std::tie(times_[a], a) < std::tie(times_[b], b); });
  return out;
}

std::vector<std::vector<uint32_t>> HistoryGraph::tips_reaching(const std::vector<uint32_t>& commits) const {
  std::vector<std::vector<uint32_t>> out(commits.size());
  if (commits.empty()) return out;
  const std::size_t n = ids_.size();
  // Parents before children (Kahn's order on the parent graph).
  std::vector<uint32_t> pending(n), order;
  order.reserve(n);
  for (uint32_t c = 0; c < n; ++c) {
    pending[c] = parents_at_[c + 1] - parents_at_[c];
    if (pending[c] == 0) order.push_back(c);
  }
  for (std::size_t i = 0; i < order.size(); ++i)
    for (uint32_t k = children_at_[order[i]]; k < children_at_[order[i] + 1]; ++k)
      if (--pending[children_[k]] == 0) order.push_back(children_[k]);
  // A commit on a cycle (only a crafted object database has one) never gets in the
  // order; it then reaches only what its own bit says.
  std::vector<uint64_t> mask(n);
  for (std::size_t chunk = 0; chunk < commits.size(); chunk += 64) {
    std::fill(mask.begin(), mask.end(), 0);
    const std::size_t count = std::min<std::size_t>(64, commits.size() - chunk);
    for (std::size_t b = 0; b < count; ++b) mask[commits[chunk + b]] |= uint64_t{1} << b;
    for (uint32_t c : order)
      for (uint32_t k = parents_at_[c]; k < parents_at_[c + 1]; ++k) mask[c] |= mask[parents_[k]];
    for (std::size_t t = 0; t < tips_.size(); ++t) {
      if (tip_commit_[t] == npos) continue;
      for (uint64_t m = mask[tip_commit_[t]]; m; m &= m - 1)
        out[chunk + static_cast<std::size_t>(__builtin_ctzll(m))].push_back(static_cast<uint32_t>(t));
    }
  }
  return out;
}

uint32_t TreePart::intern(std::string_view name) {
  if (auto it = name_ids.find(name); it != name_ids.end()) return it->second;
  auto [it, inserted] = name_ids.emplace(std::string(name), static_cast<uint32_t>(names.size()));
  names.push_back(it->first);
  return it->second;
}

namespace {
uint64_t slot_key(const unsigned char* id20) {
  uint64_t k;
  std::memcpy(&k, id20, sizeof k);
  return k;
}
}  // namespace

IdIndex::IdIndex(std::vector<ObjectId> ids) : ids_(std::move(ids)) {
  std::sort(ids_.begin(), ids_.end());
  ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  std::size_t n = 16;
  while (n < ids_.size() * 2) n *= 2;
  slots_.assign(n, HistoryGraph::npos);
  mask_ = n - 1;
  for (uint32_t i = 0; i < ids_.size(); ++i) {
    std::size_t at = slot_key(ids_[i].data()) & mask_;
    while (slots_[at] != HistoryGraph::npos) at = (at + 1) & mask_;
    slots_[at] = i;
  }
}

uint32_t IdIndex::find(const unsigned char* id20) const {
  for (std::size_t at = slot_key(id20) & mask_;; at = (at + 1) & mask_) {
    uint32_t i = slots_[at];
    if (i == HistoryGraph::npos) return i;
    if (std::memcmp(ids_[i].data(), id20, 20) == 0) return i;
  }
}

TargetBlobs::TargetBlobs(std::vector<ObjectId> blobs) : blobs_(std::move(blobs)), prefixes_(65536 / 64, 0) {
  std::sort(blobs_.begin(), blobs_.end());
  blobs_.erase(std::unique(blobs_.begin(), blobs_.end()), blobs_.end());
  for (const ObjectId& b : blobs_) {
    std::size_t p = std::size_t{b[0]} << 8 | b[1];
    prefixes_[p / 64] |= uint64_t{1} << (p % 64);
  }
}

uint32_t TargetBlobs::find(const unsigned char* id20) const {
  std::size_t p = std::size_t{id20[0]} << 8 | id20[1];
  if (!(prefixes_[p / 64] >> (p % 64) & 1)) return HistoryGraph::npos;
  ObjectId id;
  std::memcpy(id.data(), id20, 20);
  auto it = std::lower_bound(blobs_.begin(), blobs_.end(), id);
  return it != blobs_.end() && *it == id ? static_cast<uint32_t>(it - blobs_.begin()) : HistoryGraph::npos;
}

uint32_t TreePart::find_recent(std::vector<Recent>& recent, const IdIndex& index, const unsigned char* id20) {
  if (recent.empty()) recent.resize(kRecent);
  uint32_t key;
  std::memcpy(&key, id20 + 8, sizeof key);  // other bytes than the index's own slot key
  Recent& r = recent[key & (kRecent - 1)];
  if (r.value != kUnset && std::memcmp(r.id.data(), id20, 20) == 0) return r.value;
  std::memcpy(r.id.data(), id20, 20);
  r.value = index.find(id20);
  return r.value;
}

namespace {

// What one entry gives: a subtree edge, a hit on a target, a missing object recorded.
TreeLayout::Entry classify(TreePart& part, uint32_t tree, const TreeEntry& e, const TreeInputs& in) {
  TreeLayout::Entry out{0, 0, 0, TreeLayout::nothing};
  if (e.kind == TreeEntry::tree) {
    uint32_t child = part.find_recent(part.recent_trees, in.trees, e.id);
    if (child != HistoryGraph::npos) {
      out = {0, child, part.intern(e.name), TreeLayout::edge};
      part.edges.push_back({out.child, out.name});
    } else if (in.known_blobs) {
      part.missing_trees.emplace_back(to_id(e.id), tree);
      out.kind = TreeLayout::again;
    }
  } else if (e.kind == TreeEntry::blob) {
    uint32_t b = in.targets.find(e.id);
    if (b != HistoryGraph::npos) {
      out = {0, b, part.intern(e.name), TreeLayout::hit};
      part.hits.push_back({out.child, out.name});
    } else if (in.known_blobs && part.find_recent(part.recent_blobs, *in.known_blobs, e.id) == HistoryGraph::npos) {
      ObjectId id = to_id(e.id);
      auto [it, inserted] = part.missing_index.try_emplace(id, static_cast<uint32_t>(part.missing_blobs.size()));
      if (inserted) part.missing_blobs.push_back(id);
      part.hits.push_back({TreePart::kMissing | it->second, part.intern(e.name)});
      out.kind = TreeLayout::again;
    }
  }
  return out;
}

}  // namespace

void add_tree(TreePart& part, uint32_t tree, std::string_view data, const TreeInputs& in, TreeLayout* layout,
              const TreeLayout* base, std::span<const PackFile::Copy> copies) {
  TreePart::Rec rec{tree, static_cast<uint32_t>(part.edges.size()), 0, static_cast<uint32_t>(part.hits.size()), 0};
  // Offsets are 32-bit: a larger tree (none is real) is read entry by entry, and leaves
  // an empty layout (its deltas read every entry too).
  const bool small = data.size() <= UINT32_MAX;
  if (layout) {
    layout->part = small ? &part : nullptr;
    layout->entries.clear();
    layout->end = 0;
    if (!small) layout = nullptr;
  }
  // Name ids are per part: a base decoded by another worker is not taken from.
  if (base && (base->part != &part || !small)) base = nullptr;
  const char* const begin = data.data();
  const char* const end = begin + data.size();
  const char* p = begin;
  std::size_t ci = 0;
  bool whole = true;
  while (p < end) {
    const uint64_t at = static_cast<uint64_t>(p - begin);
    if (base) {
      while (ci < copies.size() && copies[ci].to + copies[ci].length <= at) ++ci;
      if (ci < copies.size() && copies[ci].to <= at) {
        // Inside a copy: from the base entry starting where it copies from, every entry
        // that ends inside the copy is that base entry.
        const PackFile::Copy& c = copies[ci];
        const uint64_t from = c.from + (at - c.to), limit = c.from + c.length;
        const auto& be = base->entries;
        auto k = static_cast<std::size_t>(
            std::lower_bound(be.begin(), be.end(), from, [](const TreeLayout::Entry& x, uint64_t v) { return x.start < v; }) -
            be.begin());
        std::size_t taken = 0;
        for (; k < be.size() && be[k].start == from + (p - begin - at); ++k) {
          const uint64_t e_end = k + 1 < be.size() ? be[k + 1].start : base->end;
          if (e_end > limit) break;
          TreeLayout::Entry e = be[k];
          if (e.kind == TreeLayout::again) break;  // looked up anew below
          if (e.kind == TreeLayout::edge) part.edges.push_back({e.child, e.name});
          else if (e.kind == TreeLayout::hit) part.hits.push_back({e.child, e.name});
          e.start = static_cast<uint32_t>(p - begin);
          if (layout) layout->entries.push_back(e);
          p += e_end - be[k].start;
          ++taken;
        }
        if (taken > 0) continue;
      }
    }
    TreeEntry te;
    const char* next = parse_tree_entry(p, end, te);
    if (!next) {
      whole = false;
      break;
    }
    TreeLayout::Entry e = classify(part, tree, te, in);
    e.start = static_cast<uint32_t>(at);
    if (layout) layout->entries.push_back(e);
    p = next;
  }
  if (layout) layout->end = static_cast<uint32_t>(p - begin);
  if (!whole) part.malformed.push_back(tree);
  rec.edge_count = static_cast<uint32_t>(part.edges.size()) - rec.edges_at;
  rec.hit_count = static_cast<uint32_t>(part.hits.size()) - rec.hits_at;
  part.trees.push_back(rec);
}

TargetBlobs merge_missing(std::vector<TreePart>& parts, const TargetBlobs& targets, std::vector<ObjectId>& missing) {
  missing.clear();
  for (const TreePart& p : parts) missing.insert(missing.end(), p.missing_blobs.begin(), p.missing_blobs.end());
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  if (missing.empty()) return targets;
  std::vector<ObjectId> all = missing;
  for (uint32_t i = 0; i < targets.size(); ++i) all.push_back(targets[i]);
  TargetBlobs merged(std::move(all));
  for (TreePart& p : parts)
    for (TreePart::Edge& h : p.hits)
      h.child = merged.find((h.child & TreePart::kMissing ? p.missing_blobs[h.child & ~TreePart::kMissing]
                                                          : targets[h.child]).data());
  return merged;
}

std::vector<std::optional<BlobPlaces>> place_blobs(const HistoryGraph& graph, const IdIndex& tree_ids,
                                                   std::vector<TreePart> parts, const TargetBlobs& targets,
                                                   bool unreachable_too) {
  const std::size_t nt = tree_ids.size();
  // One graph of names and edges (CSR by tree), the parts' names merged.
  std::vector<std::string> names;
  std::unordered_map<std::string, uint32_t> name_ids;
  struct Loc {
    uint32_t part = HistoryGraph::npos, rec = 0;
  };
  std::vector<Loc> where(nt);
  std::vector<std::vector<uint32_t>> remap(parts.size());
  for (std::size_t p = 0; p < parts.size(); ++p) {
    for (std::string& s : parts[p].names) {
      auto [it, inserted] = name_ids.try_emplace(std::move(s), static_cast<uint32_t>(names.size()));
      if (inserted) names.push_back(it->first);
      remap[p].push_back(it->second);
    }
    parts[p].names.clear();
    parts[p].name_ids.clear();
    for (uint32_t r = 0; r < parts[p].trees.size(); ++r) where[parts[p].trees[r].tree] = {static_cast<uint32_t>(p), r};
  }
  auto edges_of = [&](uint32_t t, bool hits) -> std::pair<const TreePart::Edge*, const TreePart::Edge*> {
    const Loc& l = where[t];
    if (l.part == HistoryGraph::npos) return {nullptr, nullptr};
    const TreePart& part = parts[l.part];
    const TreePart::Rec& r = part.trees[l.rec];
    const TreePart::Edge* base = hits ? part.hits.data() + r.hits_at : part.edges.data() + r.edges_at;
    return {base, base + (hits ? r.hit_count : r.edge_count)};
  };

  // Which trees hold a target somewhere below them: post-order, iterative (trees can be
  // deep), and a tree met again while being looked into (a crafted loop) counts as not.
  // Each tree's edges are looked up once, when it is entered (the lookup goes through
  // two arrays at random places: per child it was half of this pass).
  enum : uint8_t { unknown, open, without, with };
  std::vector<uint8_t> state(nt, unknown);
  struct Open {
    uint32_t tree;
    bool holds;  // it names a target itself
    const TreePart::Edge *begin, *next, *end;
  };
  std::vector<Open> stack;
  auto enter = [&](uint32_t t) {
    state[t] = open;
    auto [begin, end] = edges_of(t, false);
    auto [hits_begin, hits_end] = edges_of(t, true);
    stack.push_back({t, hits_begin != hits_end, begin, begin, end});
  };
  for (uint32_t root = 0; root < nt; ++root) {
    if (state[root] != unknown) continue;
    enter(root);
    while (!stack.empty()) {
      Open& o = stack.back();
      if (o.next != o.end) {
        const uint32_t child = (o.next++)->child;
        if (state[child] == unknown) enter(child);  // o may move: not used after this
        continue;
      }
      bool holds = o.holds;
      for (auto* e = o.begin; e != o.end && !holds; ++e) holds = state[e->child] == with;
      state[o.tree] = holds ? with : without;
      stack.pop_back();
    }
  }

  // Commits oldest first; each (tree, path) entered once: the first commit to enter it
  // is the earliest to hold everything below it at that path.
  std::vector<std::optional<BlobPlaces>> out(targets.size());
  // Paths by (parent path, name): a path's string is built once, when first met, not
  // for every commit that enters its tree.
  std::vector<std::string> paths{std::string()};
  std::unordered_map<uint64_t, uint32_t> child_paths;
  const uint32_t root_path = 0;
  auto path_id = [&](uint32_t parent, uint32_t t, uint32_t local_name) {
    const uint32_t name = remap[where[t].part][local_name];
    auto [it, inserted] = child_paths.try_emplace(uint64_t{parent} << 32 | name, static_cast<uint32_t>(paths.size()));
    if (inserted) paths.push_back(parent == root_path ? names[name] : paths[parent] + "/" + names[name]);
    return it->second;
  };
  std::vector<uint32_t> order = graph.by_date();
  for (int pass = 0; pass < (unreachable_too ? 2 : 1); ++pass) {
    const bool reachable_pass = pass == 0;
    std::unordered_set<uint64_t> entered;
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> first;  // (blob, path) -> commit
    std::vector<std::pair<uint32_t, uint32_t>> walk;          // (tree, path)
    for (uint32_t c : order) {
      if (graph.reachable(c) != reachable_pass) continue;
      uint32_t root = tree_ids.find(graph.commit_tree(c));
      if (root == HistoryGraph::npos || state[root] != with) continue;
      walk.assign(1, {root, root_path});
      while (!walk.empty()) {
        auto [t, p] = walk.back();
        walk.pop_back();
        if (!entered.insert(uint64_t{t} << 32 | p).second) continue;
        auto [hb, he] = edges_of(t, true);
        for (auto* h = hb; h != he; ++h) {
          if (!reachable_pass && out[h->child]) continue;  // placed by reachable history already
          first.try_emplace({h->child, path_id(p, t, h->name)}, c);
        }
        auto [eb, ee] = edges_of(t, false);
        for (auto* e = eb; e != ee; ++e)
          if (state[e->child] == with) walk.push_back({e->child, path_id(p, t, e->name)});
      }
    }
    for (const auto& [key, c] : first) {
      std::optional<BlobPlaces>& o = out[key.first];
      if (!o) o.emplace().reachable = reachable_pass;
      o->places.push_back({paths[key.second], c});
    }
  }
  for (auto& o : out)
    if (o) std::sort(o->places.begin(), o->places.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

}  // namespace sfmc::git
