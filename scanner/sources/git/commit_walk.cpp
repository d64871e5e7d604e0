#include "sources/git/commit_walk.hpp"

#include <queue>
#include <unordered_map>

namespace sfmc::git {

namespace {

bool parse_hex_id(std::string_view hex40, ObjectId& out) {
  if (hex40.size() < 40) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < 20; ++i) {
    int hi = nibble(hex40[2 * i]), lo = nibble(hex40[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  return true;
}

}  // namespace

bool parse_commit(std::string_view content, ParsedCommit& out) {
  out = {};
  bool have_tree = false;
  std::size_t at = 0;
  // The header ends at the first empty line; the message after it is not read.
  while (at < content.size()) {
    std::size_t eol = content.find('\n', at);
    if (eol == std::string_view::npos) eol = content.size();
    std::string_view line = content.substr(at, eol - at);
    at = eol + 1;
    if (line.empty()) break;
    if (line.substr(0, 5) == "tree ") {
      if (!parse_hex_id(line.substr(5), out.tree)) return false;
      have_tree = true;
    } else if (line.substr(0, 7) == "parent ") {
      ObjectId p;
      if (!parse_hex_id(line.substr(7), p)) return false;
      out.parents.push_back(p);
    } else if (line.substr(0, 10) == "committer ") {
      // "committer Name <email> 1700000000 +0100": the date follows the last '>'.
      std::size_t gt = line.rfind('>');
      if (gt == std::string_view::npos) continue;
      std::size_t d = line.find_first_not_of(' ', gt + 1);
      int64_t t = 0;
      for (; d != std::string_view::npos && d < line.size() && line[d] >= '0' && line[d] <= '9'; ++d)
        if (t < (INT64_MAX - 9) / 10) t = t * 10 + (line[d] - '0');
      out.time = t;
    }
  }
  return have_tree;
}

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
  ParsedCommit parsed;
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
    if (type != GIT_OBJECT_COMMIT || !parse_commit(content, parsed)) {
      nodes[i].flags |= kMissing;
      return false;
    }
    nodes[i].tree = parsed.tree;
    nodes[i].time = parsed.time;
    nodes[i].flags |= kParsed;
    std::vector<uint32_t> parents;
    for (const ObjectId& p : parsed.parents) parents.push_back(node(p));  // may move nodes
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
    if (!parse(i)) throw GitError("cannot read commit " + hex(id));
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

}  // namespace sfmc::git
