#pragma once
// History as compact data, built once per repository from the decoded objects
// themselves (the pack reader, libgit2 only for loose objects): every commit with its
// tree, parents and date; every annotated tag; and, when some blobs need attributing,
// every tree's subtree edges and the entries naming those blobs. Dense 32-bit indexes
// throughout. Attribution (earliest commit and every path of a blob, the refs that
// reach it) is then a walk over this data in which each (tree, path) is entered once
// however many commits share it: no object lookup per tree, no cost per ref x commit.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mapped_vector.hpp"
#include "sources/git/objects.hpp"
#include "sources/git/pack_file.hpp"
#include "sources/git/refs.hpp"

namespace sfmc::git {

// Commits and annotated tags, as one decoding worker gathered them; merged by HistoryGraph.
struct GraphPart {
  struct CommitRec {
    ObjectId id, tree;
    int64_t time;
    uint32_t parents_at, parent_count;  // into `parents`
  };
  struct TagRec {
    ObjectId id, target;
    int target_type;
    std::string name;
  };
  std::vector<CommitRec> commits;
  std::vector<ObjectId> parents;
  std::vector<TagRec> tags;

  void add_commit(const ObjectId& id, const RawCommit& c);
  void add_tag(const ObjectId& id, const RawTag& t);
};

class HistoryGraph {
 public:
  static constexpr uint32_t npos = UINT32_MAX;

  // Merges the parts (duplicates across packs are kept once) and works out which
  // commits the tips reach.
  HistoryGraph(std::vector<GraphPart> parts, std::vector<Tip> tips);

  std::size_t commit_count() const { return ids_.size(); }
  uint32_t find_commit(const ObjectId& id) const;
  const ObjectId& commit_id(uint32_t c) const { return ids_[c]; }
  const ObjectId& commit_tree(uint32_t c) const { return trees_[c]; }
  int64_t commit_time(uint32_t c) const { return times_[c]; }
  bool reachable(uint32_t c) const { return reachable_[c]; }

  const std::vector<Tip>& tips() const { return tips_; }
  // The commit tip k peels to (through annotated tags), npos if none known.
  uint32_t tip_commit(std::size_t k) const { return tip_commit_[k]; }

  // Tips that peel to `id` when it is not a commit (a tag of a blob or a tree): what
  // they point at is reachable though no commit holds it.
  std::vector<uint32_t> tips_on(const ObjectId& id) const;

  struct TagInfo {
    std::string name;
    bool reachable = false;              // some tip points at it (or at a tag that points at it)
    std::vector<std::string> tips;       // which
  };
  std::optional<TagInfo> tag(const ObjectId& id) const;

  // Commits in (date, id) order, oldest first: the order in which the earliest
  // commit holding something is found first.
  std::vector<uint32_t> by_date() const;

  // For each of `commits`: the tips from which it is reachable (indexes into tips()).
  // One pass over the graph per 64 commits asked, whatever the number of refs.
  std::vector<std::vector<uint32_t>> tips_reaching(const std::vector<uint32_t>& commits) const;

 private:
  std::vector<ObjectId> ids_, trees_;  // sorted by id
  std::vector<int64_t> times_;
  std::vector<uint32_t> parents_at_, parents_;  // CSR; parents not in the graph are left out
  std::vector<uint32_t> children_at_, children_;
  std::vector<bool> reachable_;
  std::vector<Tip> tips_;
  std::vector<uint32_t> tip_commit_;
  std::vector<std::pair<ObjectId, uint32_t>> other_targets_;  // (non-commit object, tip), sorted
  std::vector<GraphPart::TagRec> tags_;  // sorted by id
  std::vector<std::vector<uint32_t>> tag_tips_;
};

// Trees, as one decoding worker gathered them: subtree edges and the entries that name
// a target blob. Names are interned per part and merged by TreeGraph.
class IdIndex;
struct TreePart {
  struct Rec {
    uint32_t tree;
    uint32_t edges_at, edge_count, hits_at, hit_count;
  };
  struct Edge {
    uint32_t child, name;
  };
  // Mapped, not std::vector: on git/git these grow to tens of MB beside each other.
  MappedVector<Rec> trees;
  MappedVector<Edge> edges;  // child: a tree index
  MappedVector<Edge> hits;   // child: a target blob index, or kMissing | an index into missing_blobs
  std::vector<std::string> names;
  // With a set of known blobs (add_tree's `known_blobs`): what trees name that the
  // repository does not hold. Blobs are placed like targets (merge_missing); trees only
  // by the tree that names them.
  static constexpr uint32_t kMissing = uint32_t{1} << 31;
  std::vector<ObjectId> missing_blobs;
  std::unordered_map<ObjectId, uint32_t, ObjectIdHash> missing_index;
  std::vector<std::pair<ObjectId, uint32_t>> missing_trees;  // (id, the tree naming it)
  std::vector<uint32_t> malformed;  // trees whose entries stop short (those before the damage are kept)

  // The ids this worker looked up last, direct-mapped: the trees of one delta family are
  // versions of one folder, which name mostly the same blobs and subtrees, and a lookup
  // here stays in cache where the whole index would not.
  struct Recent {
    ObjectId id{};
    uint32_t value = kUnset;
  };
  static constexpr uint32_t kUnset = 0xFFFFFFFEu;
  static constexpr std::size_t kRecent = 4096;
  std::vector<Recent> recent_trees, recent_blobs;
  uint32_t find_recent(std::vector<Recent>& recent, const IdIndex& index, const unsigned char* id20);
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, NameHash, std::equal_to<>> name_ids;

  uint32_t intern(std::string_view name);
};

// A set of object ids, sorted: index = position (the trees of a repository, its blobs).
class IdIndex {
 public:
  explicit IdIndex(std::vector<ObjectId> ids);
  std::size_t size() const { return ids_.size(); }
  const ObjectId& operator[](uint32_t i) const { return ids_[i]; }
  uint32_t find(const ObjectId& id) const { return find(id.data()); }
  uint32_t find(const unsigned char* id20) const;

 private:
  std::vector<ObjectId> ids_;
  // Open addressing on the id's first bytes (ids are uniformly distributed): one probe
  // where a binary search over hundreds of thousands of ids took twenty.
  std::vector<uint32_t> slots_;
  std::size_t mask_ = 0;
};

// The blobs being attributed, with a cheap first test that turns nearly every other
// blob away without hashing it.
class TargetBlobs {
 public:
  explicit TargetBlobs(std::vector<ObjectId> blobs);
  std::size_t size() const { return blobs_.size(); }
  const ObjectId& operator[](uint32_t i) const { return blobs_[i]; }
  uint32_t find(const unsigned char* id20) const;  // npos if not a target

 private:
  std::vector<ObjectId> blobs_;  // sorted
  std::vector<uint64_t> prefixes_;  // one bit per 16-bit id prefix
};

// What each entry of one decoded tree gave, kept while the trees stored as deltas of it
// are decoded: an entry they copy whole from it is the same entry, so what it gave is
// taken over without looking its id up again. Most entries of a folder's next version
// are copies (git/git's trees hold 150 million entries; a few percent change per version).
struct TreeLayout {
  enum Kind : uint8_t { nothing, edge, hit, again };  // again: looked up anew (missing objects)
  struct Entry {
    uint32_t start;  // offset in the tree
    uint32_t child, name;
    Kind kind;
  };
  const TreePart* part = nullptr;  // name ids are this part's
  std::vector<Entry> entries;
  uint32_t end = 0;                // where the whole entries end
};

// What trees are read against: the repository's trees, the blobs being placed, and
// (when checking) every blob it holds.
struct TreeInputs {
  const IdIndex& trees;
  const TargetBlobs& targets;
  const IdIndex* known_blobs = nullptr;
};

// Decodes one tree object into `part`. With `known_blobs`, entries naming a blob outside
// it, or a tree outside `trees`, are recorded as missing. With `layout`, what each entry
// gave is kept there; with `base` (the layout of the tree this one is a delta of) and the
// delta's `copies`, the entries copied whole from the base are taken from it.
void add_tree(TreePart& part, uint32_t tree, std::string_view data, const TreeInputs& in, TreeLayout* layout = nullptr,
              const TreeLayout* base = nullptr, std::span<const PackFile::Copy> copies = {});

// The targets plus every missing blob the parts recorded, as one target set; the parts'
// hits are renumbered into it. `missing` receives the missing blobs, sorted.
TargetBlobs merge_missing(std::vector<TreePart>& parts, const TargetBlobs& targets, std::vector<ObjectId>& missing);

struct BlobPlaces {
  struct Place {
    std::string path;
    uint32_t commit;  // the earliest commit holding the blob at this path
  };
  std::vector<Place> places;  // sorted by path
  bool reachable = false;     // held by a commit the tips reach (else only by unreachable ones)
};

// For each target blob that some commit holds: every path, each with its earliest
// commit. Reachable commits first; with `unreachable_too`, blobs no reachable commit
// holds are placed by the unreachable commits (dangling, reflog-only) that hold them.
std::vector<std::optional<BlobPlaces>> place_blobs(const HistoryGraph& graph, const IdIndex& tree_ids,
                                                   std::vector<TreePart> parts, const TargetBlobs& targets,
                                                   bool unreachable_too);

}  // namespace sfmc::git
