// A tree stored as a delta takes over what its base's entries gave wherever it copies
// them whole (TreeLayout): whatever the copies look like (aligned with the entries or
// not, split anywhere, an entry changed in place), the records must be exactly those of
// reading every entry.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "sources/git/history_graph.hpp"

using namespace sfmc;
using namespace sfmc::git;

namespace {

ObjectId random_id(std::mt19937& rng) {
  ObjectId id;
  for (auto& b : id) b = static_cast<unsigned char>(rng());
  return id;
}

struct Entry {
  bool tree;
  std::string name;
  ObjectId id;
};

std::string serialize(const std::vector<Entry>& entries) {
  std::string out;
  for (const Entry& e : entries) {
    out += e.tree ? "40000 " : "100644 ";
    out += e.name;
    out += '\0';
    out.append(reinterpret_cast<const char*>(e.id.data()), 20);
  }
  return out;
}

// What a part recorded for its trees, names resolved, so parts can be compared.
struct Records {
  std::vector<std::vector<std::pair<uint32_t, std::string>>> edges, hits;
  std::vector<ObjectId> missing_blobs;
  std::set<std::pair<ObjectId, uint32_t>> missing_trees;
  std::vector<uint32_t> malformed;
  bool operator==(const Records&) const = default;
};

Records records(const TreePart& part) {
  Records r;
  for (const TreePart::Rec& t : part.trees) {
    auto& e = r.edges.emplace_back();
    for (uint32_t k = 0; k < t.edge_count; ++k)
      e.emplace_back(part.edges[t.edges_at + k].child, part.names[part.edges[t.edges_at + k].name]);
    auto& h = r.hits.emplace_back();
    for (uint32_t k = 0; k < t.hit_count; ++k) {
      const TreePart::Edge& x = part.hits[t.hits_at + k];
      // Missing blobs are numbered per part in the order met: compare them by id.
      uint32_t child = x.child & TreePart::kMissing ? 0x80000000u + static_cast<uint32_t>(
                                                                       part.missing_blobs[x.child & ~TreePart::kMissing][0])
                                                    : x.child;
      h.emplace_back(child, part.names[x.name]);
    }
  }
  r.missing_blobs = part.missing_blobs;
  std::sort(r.missing_blobs.begin(), r.missing_blobs.end());
  r.missing_trees.insert(part.missing_trees.begin(), part.missing_trees.end());
  r.malformed = part.malformed;
  return r;
}

}  // namespace

TEST_CASE("a delta tree's entries copied from its base give what reading them gives", "[git][trees]") {
  std::mt19937 rng(20261202);
  std::vector<ObjectId> trees, blobs, targets;
  for (int i = 0; i < 40; ++i) trees.push_back(random_id(rng));
  for (int i = 0; i < 200; ++i) blobs.push_back(random_id(rng));
  for (int i = 0; i < 20; ++i) targets.push_back(blobs[static_cast<std::size_t>(i) * 7]);
  const IdIndex tree_ids(trees), known(blobs);
  const TargetBlobs target_set(targets);
  const TreeInputs in{tree_ids, target_set, &known};

  auto random_entry = [&](int n) {
    Entry e;
    const int pick = static_cast<int>(rng() % 10);
    e.tree = pick < 2;
    e.name = std::to_string(n);
    e.name.append(rng() % 12, 'x');
    if (pick == 0) e.id = trees[rng() % trees.size()];
    else if (pick == 1) e.id = random_id(rng);  // a tree the repository lacks
    else if (pick == 2) e.id = random_id(rng);  // a missing blob
    else e.id = blobs[rng() % blobs.size()];
    return e;
  };

  for (int round = 0; round < 300; ++round) {
    std::vector<Entry> base_entries;
    const int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) base_entries.push_back(random_entry(i));
    const std::string base = serialize(base_entries);

    // The next version: entries dropped, changed in place, added.
    std::vector<Entry> next_entries;
    for (const Entry& e : base_entries) {
      const unsigned r = rng() % 10;
      if (r == 0) continue;
      Entry x = e;
      if (r == 1) x.id = blobs[rng() % blobs.size()], x.tree = false;
      next_entries.push_back(x);
      if (r == 2) next_entries.push_back(random_entry(1000 + static_cast<int>(next_entries.size())));
    }
    std::string next = serialize(next_entries);
    if (round % 17 == 0 && next.size() > 5) next.resize(next.size() - 5);  // malformed: its last entry cut short

    // Copies like a delta's: every run of bytes also found in the base, cut at random
    // points (so some copies start or end inside an entry); the rest are inserts.
    std::vector<PackFile::Copy> copies;
    for (std::size_t at = 0; at < next.size();) {
      std::size_t best_len = 0, best_from = 0;
      for (std::size_t from = 0; from < base.size(); ++from) {
        std::size_t len = 0;
        while (at + len < next.size() && from + len < base.size() && next[at + len] == base[from + len]) ++len;
        if (len > best_len) best_len = len, best_from = from;
      }
      if (best_len < 8) {
        at += 1 + rng() % 8;  // inserted bytes
        continue;
      }
      const std::size_t cut = rng() % 3 == 0 ? 1 + rng() % best_len : best_len;
      copies.push_back({at, best_from, cut});
      at += cut;
    }

    TreePart plain, reused;
    add_tree(plain, 1, base, in);
    add_tree(plain, 2, next, in);
    TreeLayout base_layout, next_layout;
    add_tree(reused, 1, base, in, &base_layout);
    add_tree(reused, 2, next, in, &next_layout, &base_layout, copies);
    INFO("round " << round << ", " << copies.size() << " copies");
    REQUIRE(records(reused) == records(plain));
    // The layout kept for the next delta describes every whole entry.
    std::size_t whole = 0;
    for_each_tree_entry(next, [&](const TreeEntry&) { ++whole; });
    REQUIRE(next_layout.entries.size() == whole);
    CHECK(next_layout.end <= next.size());
  }
}

TEST_CASE("a base decoded into another part is not taken from", "[git][trees]") {
  std::mt19937 rng(7);
  std::vector<ObjectId> trees{random_id(rng)}, blobs{random_id(rng)};
  const IdIndex tree_ids(trees), known(blobs);
  const TargetBlobs target_set(std::vector<ObjectId>{blobs[0]});
  const TreeInputs in{tree_ids, target_set, &known};
  const std::string data = serialize({{true, "dir", trees[0]}, {false, "secret.env", blobs[0]}});
  TreePart other, mine;
  TreeLayout layout, unused;
  add_tree(other, 0, data, in, &layout);
  mine.intern("shifts this part's name ids");
  const std::vector<PackFile::Copy> copies{{0, 0, data.size()}};
  add_tree(mine, 0, data, in, &unused, &layout, copies);
  REQUIRE(mine.edges.size() == 1);
  REQUIRE(mine.hits.size() == 1);
  CHECK(mine.names[mine.edges[0].name] == "dir");
  CHECK(mine.names[mine.hits[0].name] == "secret.env");
}
