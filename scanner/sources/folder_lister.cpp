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
  const std::size_t allowed = getrlimit(RLIMIT_NOFILE, &limit) != 0 ? 1024
                              : limit.rlim_cur == RLIM_INFINITY    ? std::size_t{1} << 16
                                                                   : static_cast<std::size_t>(limit.rlim_cur);
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

struct FolderLister::State : std::enable_shared_from_this<State> {
  State(const WalkRules& rules, std::chrono::milliseconds deadline)
      : rules_(rules), budget_(open_folder_budget()), deadline_(deadline) {}

  void start_thread();  // under mutex_
  void work();
  bool claim(Task& task);                         // the task the walk needs soonest, under mutex_
  bool claim_for(const std::shared_ptr<Node>& node, Task& task);  // one of that folder's, under mutex_
  void run(Task& task);
  void finish(const std::shared_ptr<Node>& node);  // under mutex_
  void drop(std::map<Key, std::shared_ptr<Node>>::iterator it);  // under mutex_
  FolderListing take(const Key& key, const FolderRequest& request);
  void leave(const Key& key);

  const WalkRules rules_;  // a copy: a thread stuck on the store may outlive the walker
  const std::size_t budget_;
  const std::chrono::milliseconds deadline_;
  std::mutex mutex_;
  std::condition_variable work_;      // the threads: a task, room in the budget, or the end
  std::condition_variable finished_;  // the walk: a folder's listing is complete
  std::condition_variable exited_;    // the lister's end: a thread is gone
  std::map<Key, std::shared_ptr<Node>> nodes_;     // queued, being listed or listed, not yet taken
  std::map<Key, std::shared_ptr<Node>> listings_;  // listings not started, in walk order
  std::map<BatchKey, Task> batches_;               // stats not started, in walk order
  std::size_t ahead_ = 0;                          // nodes whose listing has started, not yet taken
  unsigned running_ = 0;                           // threads alive
  bool stopping_ = false;
};

FolderLister::FolderLister(const WalkRules& rules, unsigned threads, std::chrono::milliseconds deadline)
    : state_(std::make_shared<State>(rules, deadline)) {
  std::lock_guard<std::mutex> lock(state_->mutex_);
  for (unsigned i = 0; i < threads; ++i) state_->start_thread();
}

FolderLister::~FolderLister() {
  State& s = *state_;
  std::unique_lock<std::mutex> lock(s.mutex_);
  s.stopping_ = true;
  s.work_.notify_all();
  // Threads finish the request under way; one stuck on a store that does not answer is
  // left to it, holding the state, not this.
  const auto patience = s.deadline_.count() > 0 ? s.deadline_ : std::chrono::milliseconds(60000);
  s.exited_.wait_for(lock, patience, [&] { return s.running_ == 0; });
}

FolderListing FolderLister::take(const Key& key, const FolderRequest& request) { return state_->take(key, request); }
void FolderLister::leave(const Key& key) { state_->leave(key); }
std::size_t FolderLister::budget() const { return state_->budget_; }

void FolderLister::State::start_thread() {
  ++running_;
  std::thread([self = shared_from_this()] { self->work(); }).detach();
}

void FolderLister::State::work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    Task task;
    work_.wait(lock, [&] { return stopping_ || claim(task); });
    if (stopping_) {
      --running_;
      exited_.notify_all();
      return;
    }
    lock.unlock();
    run(task);
    lock.lock();
  }
}

bool FolderLister::State::claim(Task& task) {
  auto batch = batches_.begin();
  if (batch != batches_.end()) {
    // nodes_ and batches_ are both in walk order: the first batch is the walk's next.
    auto last_typed = nodes_.begin();
    for (std::size_t i = 1; i < kTypedAhead && std::next(last_typed) != nodes_.end(); ++i) ++last_typed;
    if (last_typed == nodes_.end() || last_typed->first < batch->first.first) batch = batches_.end();
  }
  auto listing = listings_.begin();
  // The folder the walk waits for is listed whatever the budget: the walk does not list
  // for itself when it has a deadline to keep.
  const bool may_list = listing != listings_.end() && (ahead_ < budget_ || listing->first == nodes_.begin()->first);
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

bool FolderLister::State::claim_for(const std::shared_ptr<Node>& node, Task& task) {
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

void FolderLister::State::run(Task& task) {
  Node& node = *task.node;
  // Counted for the progress line while the walk runs; a thread the walk gave up on may
  // come back after the counter is gone.
  struct Counted {
    State& s;
    bool counted = false;
    explicit Counted(State& state) : s(state) {
      std::lock_guard<std::mutex> lock(s.mutex_);
      if (!s.stopping_ && s.rules_.options().requests_in_flight) {
        ++*s.rules_.options().requests_in_flight;
        counted = true;
      }
    }
    ~Counted() {
      std::lock_guard<std::mutex> lock(s.mutex_);
      if (counted && !s.stopping_) --*s.rules_.options().requests_in_flight;
    }
  };
  if (task.listing) {
    FolderListing listing;
    std::vector<std::size_t> unknown;
    {
      Counted counted(*this);
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
    Counted counted(*this);
    learn_types(node.listing, node.unknown.data() + task.first, node.unknown.data() + task.last);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (--node.batches_left == 0) finish(task.node);
}

void FolderLister::State::finish(const std::shared_ptr<Node>& node) {
  node->done = true;
  finished_.notify_all();
  if (node->dropped || !node->listing.dir) return;
  std::size_t queued = 0;
  const FolderRequest& parent = node->request;
  const FolderListing& listing = node->listing;
  for (std::size_t i = 0; i < listing.entries.size(); ++i) {
    const FolderEntry& e = listing.entries[i];
    if (e.type != DT_DIR || e.stat_error != 0) continue;
    if (!rules_.enters_folder(entry_relative(parent, e.name), e.name, parent.depth + 1, listing.ignore)) continue;
    auto child = std::make_shared<Node>();
    child->request = subfolder_request(parent, listing, e);
    child->key = node->key;
    child->key.push_back(static_cast<uint32_t>(i));
    nodes_.emplace(child->key, child);
    listings_.emplace(child->key, child);
    ++queued;
  }
  if (queued == 1) work_.notify_one();
  else if (queued > 1) work_.notify_all();
}

void FolderLister::State::drop(std::map<Key, std::shared_ptr<Node>>::iterator it) {
  Node& node = *it->second;
  node.dropped = true;
  if (node.started) --ahead_;
  listings_.erase(node.key);
  batches_.erase(batches_.lower_bound(BatchKey{node.key, 0}), batches_.lower_bound(BatchKey{node.key, SIZE_MAX}));
  nodes_.erase(it);
}

FolderListing FolderLister::State::take(const Key& key, const FolderRequest& request) {
  const auto give_up = std::chrono::steady_clock::now() + deadline_;
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
    work_.notify_one();
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
    if (deadline_.count() > 0) {
      // The walk waits, and does not do the store's work itself: a request that never
      // returns would hold the walk with it.
      if (finished_.wait_until(lock, give_up) == std::cv_status::timeout && !node->done) {
        if (auto it = nodes_.find(key); it != nodes_.end()) drop(it);
        if (!stopping_) start_thread();  // in place of one that may be stuck on this folder
        FolderListing out;
        out.problems.push_back(
            skipped_input(request.path, SkipReason::io_timeout, io_timeout_detail(deadline_, "listing this folder") + ": not walked"));
        return out;
      }
      continue;
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

void FolderLister::State::leave(const Key& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = nodes_.lower_bound(key);
  while (it != nodes_.end() && has_prefix(it->first, key)) drop(it++);
  work_.notify_all();
}

}  // namespace sfmc
