#include "sources/folder_lister.hpp"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>

namespace sfmc {

namespace {

// Entries whose type is learnt by one task: a stat each, so a folder of 600 entries of
// unknown type on a mount is 75 tasks spread over the threads, not 600 stats in a row.
constexpr std::size_t kBatch = 8;

// Types are learnt only for the next folders the walk enters, not far ahead like the
// listings: a stat leaves the entry in the kernel's cache for as little as a second on
// FUSE, and the scan opens the file a while later; learnt too early, the open asks the
// store again. The folder the walk waits for is always among them.
constexpr std::size_t kTypedAhead = 16;

bool has_prefix(const FolderLister::Key& key, const FolderLister::Key& prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

// Each folder listed ahead holds a descriptor; the scan needs its own (files, archives,
// prefetched inputs), so the lister takes a quarter of what the process may open.
std::size_t open_folder_budget() {
  rlimit limit{};
  std::size_t allowed = 1024;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) allowed = limit.rlim_cur;
  else if (limit.rlim_cur == RLIM_INFINITY) allowed = 1 << 16;
  return std::clamp<std::size_t>(allowed / 4, 16, 4096);
}

}  // namespace

struct FolderLister::Node {
  Key key;
  FolderRequest request;
  FolderListing listing;
  std::vector<std::size_t> unknown;  // entries whose type is being learnt
  std::size_t batches_left = 0;
  bool started = false;  // counted in ahead_
  bool done = false;
  bool dropped = false;  // the walk left its parent: nothing below it is listed
};

FolderLister::FolderLister(const WalkRules& rules, unsigned threads) : rules_(rules), budget_(open_folder_budget()) {
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

FolderLister::~FolderLister() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void FolderLister::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    Task task;
    work_.wait(lock, [&] { return stopping_ || claim(task); });
    if (stopping_) return;
    lock.unlock();
    run(task);
    lock.lock();
  }
}

bool FolderLister::claim(Task& task) {
  auto batch = batches_.begin();
  if (batch != batches_.end()) {
    // nodes_ and batches_ are both in walk order: the first batch is the walk's next.
    auto last_typed = nodes_.begin();
    for (std::size_t i = 1; i < kTypedAhead && std::next(last_typed) != nodes_.end(); ++i) ++last_typed;
    if (last_typed == nodes_.end() || last_typed->first < batch->first.first) batch = batches_.end();
  }
  auto listing = listings_.begin();
  const bool may_list = listing != listings_.end() && ahead_ < budget_;
  if (batch != batches_.end() && (!may_list || batch->first.first <= listing->first)) {
    task = std::move(batch->second);
    batches_.erase(batch);
    return true;
  }
  if (!may_list) return false;
  task = Task{listing->second, 0, 0, true};
  listing->second->started = true;
  ++ahead_;
  listings_.erase(listing);
  return true;
}

bool FolderLister::claim_for(const std::shared_ptr<Node>& node, Task& task) {
  if (auto listing = listings_.find(node->key); listing != listings_.end()) {
    task = Task{node, 0, 0, true};
    node->started = true;
    ++ahead_;
    listings_.erase(listing);
    return true;
  }
  auto batch = batches_.lower_bound(BatchKey{node->key, 0});
  if (batch == batches_.end() || batch->first.first != node->key) return false;
  task = std::move(batch->second);
  batches_.erase(batch);
  return true;
}

void FolderLister::run(Task& task) {
  Node& node = *task.node;
  std::atomic<unsigned>* in_flight = rules_.options().requests_in_flight;
  struct Counted {
    std::atomic<unsigned>* n;
    explicit Counted(std::atomic<unsigned>* c) : n(c) { if (n) ++*n; }
    ~Counted() { if (n) --*n; }
  };
  if (task.listing) {
    FolderListing listing;
    std::vector<std::size_t> unknown;
    {
      Counted counted(in_flight);
      listing = list_folder(node.request, rules_);
      if (listing.dir) unknown = types_to_learn(listing, node.request, rules_);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    node.listing = std::move(listing);
    node.unknown = std::move(unknown);
    if (node.unknown.empty() || node.dropped) {
      finish(task.node);
    } else {
      for (std::size_t first = 0, n = 0; first < node.unknown.size(); first += kBatch, ++n) {
        batches_.emplace(BatchKey{node.key, n}, Task{task.node, first, std::min(first + kBatch, node.unknown.size()), false});
        ++node.batches_left;
      }
      if (node.batches_left == 1) work_.notify_one();
      else work_.notify_all();
      finished_.notify_all();  // the walk may be waiting to lend a hand with them
    }
    return;
  }
  {
    Counted counted(in_flight);
    learn_types(node.listing, node.unknown.data() + task.first, node.unknown.data() + task.last);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (--node.batches_left == 0) finish(task.node);
}

void FolderLister::finish(const std::shared_ptr<Node>& node) {
  node->done = true;
  finished_.notify_all();
  if (node->dropped || !node->listing.dir) return;
  std::size_t queued = 0;
  const FolderRequest& parent = node->request;
  const FolderListing& listing = node->listing;
  for (std::size_t i = 0; i < listing.entries.size(); ++i) {
    const FolderEntry& e = listing.entries[i];
    if (e.type != DT_DIR || e.stat_error != 0) continue;
    auto child = std::make_shared<Node>();
    FolderRequest& r = child->request;
    r.relative = parent.relative.empty() ? e.name : parent.relative + "/" + e.name;
    r.depth = parent.depth + 1;
    if (!rules_.enters_folder(r.relative, e.name, r.depth, listing.ignore)) continue;
    r.path = parent.path.empty() || parent.path.back() != '/' ? parent.path + "/" + e.name : parent.path + e.name;
    r.parent = listing.dir;
    r.name = e.name;
    r.root_dev = listing.root_dev;
    r.ignore = listing.ignore;
    child->key = node->key;
    child->key.push_back(static_cast<uint32_t>(i));
    nodes_.emplace(child->key, child);
    listings_.emplace(child->key, child);
    ++queued;
  }
  if (queued == 1) work_.notify_one();
  else if (queued > 1) work_.notify_all();
}

void FolderLister::drop(std::map<Key, std::shared_ptr<Node>>::iterator it) {
  Node& node = *it->second;
  node.dropped = true;
  if (node.started) --ahead_;
  listings_.erase(node.key);
  batches_.erase(batches_.lower_bound(BatchKey{node.key, 0}), batches_.lower_bound(BatchKey{node.key, SIZE_MAX}));
  nodes_.erase(it);
}

FolderListing FolderLister::take(const Key& key, const FolderRequest& request) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::shared_ptr<Node> node;
  if (auto it = nodes_.find(key); it != nodes_.end()) {
    node = it->second;
  } else {
    node = std::make_shared<Node>();
    node->key = key;
    node->request = request;
    nodes_.emplace(key, node);
    listings_.emplace(key, node);
  }
  for (;;) {
    if (node->done) {
      nodes_.erase(key);
      if (node->started) --ahead_;
      // Room in the budget, and the next folders' types may now be learnt.
      if (!batches_.empty()) work_.notify_all();
      else if (node->started) work_.notify_one();
      node->started = false;
      return std::move(node->listing);
    }
    Task task;
    if (claim_for(node, task)) {
      lock.unlock();
      run(task);
      lock.lock();
      continue;
    }
    finished_.wait(lock);
  }
}

void FolderLister::leave(const Key& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = nodes_.lower_bound(key);
  while (it != nodes_.end() && has_prefix(it->first, key)) drop(it++);
  work_.notify_all();
}

}  // namespace sfmc
