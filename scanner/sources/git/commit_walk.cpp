#include "sources/git/commit_walk.hpp"

#include <optional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace sfmc::git {

std::vector<WalkedCommit> walk_commits(const ObjectReader& reader, const std::vector<ObjectId>& include,
                                       const std::vector<ObjectId>& exclude) {
  enum : uint8_t { kSeen = 1, kExcluded = 2, kParsed = 4, kQueued = 8, kMissing = 16 };
  struct Node {
    ObjectId id{};
    ObjectId tree{};
    int64_t time = 0;
    std::vector<uint32_t> parents;
    std::vector<ObjectId> missing_parents;
    uint8_t flags = 0;
  };
  std::vector<Node> nodes;
  std::unordered_map<ObjectId, uint32_t, ObjectIdHash> index;
  auto node = [&](const ObjectId& id) -> uint32_t {
    auto [it, inserted] = index.try_emplace(id, static_cast<uint32_t>(nodes.size()));
    if (inserted) nodes.push_back(Node{id, {}, 0, {}, {}, 0});
    return it->second;
  };
  std::string content;
  // False when the commit is not in the repository (or is not a commit).
  auto parse = [&](uint32_t i) -> bool {
    if (nodes[i].flags & kParsed) return true;
    if (nodes[i].flags & kMissing) return false;
    git_object_t type = GIT_OBJECT_INVALID;
    try {
      type = reader.read_commit_head(nodes[i].id, content);
    } catch (const GitError&) {
      nodes[i].flags |= kMissing;
      return false;
    }
    std::optional<RawCommit> parsed;
    if (type != GIT_OBJECT_COMMIT || !(parsed = parse_commit(content))) {
      nodes[i].flags |= kMissing;
      return false;
    }
    nodes[i].tree = parsed->tree;
    nodes[i].time = parsed->time;
    nodes[i].flags |= kParsed;
    std::vector<uint32_t> parents;
    for (const ObjectId& p : parsed->parents) parents.push_back(node(p));  // may move nodes
    nodes[i].parents = std::move(parents);
    return true;
  };

  // Newest first; among equal dates, first queued first (as git's date-ordered list).
  struct Entry {
    int64_t time;
    uint64_t seq;
    uint32_t node;
    bool operator<(const Entry& o) const { return time != o.time ? time < o.time : seq > o.seq; }
  };
  std::priority_queue<Entry> queue;
  uint64_t seq = 0;
  std::size_t interesting_queued = 0;  // queued commits not (yet) excluded
  auto enqueue = [&](uint32_t i) {
    nodes[i].flags |= kQueued;
    if (!(nodes[i].flags & kExcluded)) ++interesting_queued;
    queue.push({nodes[i].time, seq++, i});
  };
  auto exclude_one = [&](uint32_t i) {
    if (nodes[i].flags & kExcluded) return false;
    nodes[i].flags |= kExcluded;
    if (nodes[i].flags & kQueued) --interesting_queued;
    return true;
  };
  // A commit reached from an excluded one is excluded, and so is every ancestor already
  // read (one reached first from an included tip, say).
  auto exclude_ancestors = [&](uint32_t i) {
    std::vector<uint32_t> pending{i};
    while (!pending.empty()) {
      uint32_t c = pending.back();
      pending.pop_back();
      for (uint32_t p : nodes[c].parents)
        if (exclude_one(p) && (nodes[p].flags & kParsed)) pending.push_back(p);
    }
  };

  auto add_tip = [&](const ObjectId& id, bool excluded) {
    uint32_t i = node(id);
    if (!parse(i)) {
      // An excluded tip that cannot be read excludes nothing: more is scanned, never less.
      if (excluded) return;
      throw GitError("cannot read commit " + hex(id));
    }
    if (excluded) {
      exclude_one(i);
      exclude_ancestors(i);
    }
    if (!(nodes[i].flags & kSeen)) {
      nodes[i].flags |= kSeen;
      enqueue(i);
    }
  };
  for (const ObjectId& id : exclude) add_tip(id, true);
  for (const ObjectId& id : include) add_tip(id, false);

  // git's SLOP: steps taken after only excluded commits are queued, in case an older
  // included commit is still to come through one of them.
  constexpr int kSlop = 5;
  int slop = kSlop;
  int64_t last_date = INT64_MAX;
  std::vector<uint32_t> order;
  while (!queue.empty()) {
    const uint32_t c = queue.top().node;
    queue.pop();
    nodes[c].flags &= static_cast<uint8_t>(~kQueued);
    if (!(nodes[c].flags & kExcluded)) --interesting_queued;
    const bool excluded = nodes[c].flags & kExcluded;
    for (std::size_t k = 0; k < nodes[c].parents.size(); ++k) {
      const uint32_t p = nodes[c].parents[k];
      if (excluded) exclude_one(p);
      if (!parse(p)) {
        if (!excluded) nodes[c].missing_parents.push_back(nodes[p].id);
        continue;
      }
      if (nodes[p].flags & kExcluded) exclude_ancestors(p);
      if (nodes[p].flags & kSeen) continue;
      nodes[p].flags |= kSeen;
      enqueue(p);
    }
    if (excluded) {
      if (queue.empty()) break;
      if (last_date <= queue.top().time || interesting_queued > 0) {
        slop = kSlop;
        continue;
      }
      if (--slop == 0) break;
      continue;
    }
    last_date = nodes[c].time;
    order.push_back(c);
  }

  std::vector<WalkedCommit> out;
  for (uint32_t c : order) {
    if (nodes[c].flags & kExcluded) continue;  // reached from an excluded tip after all
    WalkedCommit w;
    w.id = nodes[c].id;
    w.tree = nodes[c].tree;
    w.time = nodes[c].time;
    for (uint32_t p : nodes[c].parents)
      if (nodes[p].flags & kParsed) w.parents.push_back(nodes[p].id);
    w.missing_parents = std::move(nodes[c].missing_parents);
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<std::vector<uint32_t>> tips_reaching(const ObjectReader& reader, const std::vector<ObjectId>& tips,
                                                 const std::vector<ObjectId>& commits) {
  GraphPart part;
  std::unordered_set<ObjectId, ObjectIdHash> seen(tips.begin(), tips.end());
  std::vector<ObjectId> pending(seen.begin(), seen.end());
  std::string content;
  while (!pending.empty()) {
    const ObjectId id = pending.back();
    pending.pop_back();
    std::optional<RawCommit> parsed;
    try {
      if (reader.read_commit_head(id, content) != GIT_OBJECT_COMMIT || !(parsed = parse_commit(content))) continue;
    } catch (const GitError&) {
      continue;
    }
    part.add_commit(id, *parsed);
    for (const ObjectId& p : parsed->parents)
      if (seen.insert(p).second) pending.push_back(p);
  }
  std::vector<Tip> named;
  for (const ObjectId& t : tips) named.push_back({hex(t), t});
  std::vector<GraphPart> parts;
  parts.push_back(std::move(part));
  HistoryGraph graph(std::move(parts), std::move(named));
  std::vector<uint32_t> asked;
  std::vector<std::size_t> slot(commits.size(), SIZE_MAX);
  for (std::size_t i = 0; i < commits.size(); ++i)
    if (uint32_t c = graph.find_commit(commits[i]); c != HistoryGraph::npos) {
      slot[i] = asked.size();
      asked.push_back(c);
    }
  std::vector<std::vector<uint32_t>> reached = graph.tips_reaching(asked);
  std::vector<std::vector<uint32_t>> out(commits.size());
  for (std::size_t i = 0; i < commits.size(); ++i)
    if (slot[i] != SIZE_MAX) out[i] = std::move(reached[slot[i]]);
  return out;
}

}  // namespace sfmc::git
