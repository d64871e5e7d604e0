#pragma once
// Lists folders ahead of a walk, many at once. On a network mount or a bucket behind
// FUSE a listing, and each stat it needs when the file system gives no entry types,
// waits on the store: one at a time, a tree of 10,000 folders at 20 ms each is 200 s
// of waiting however fast the scan.
//
// Each folder has a key, its place in the walk (the index of each folder on its path
// in its parent's sorted listing), so the folders the walk needs soonest are listed
// first. A listed folder's subfolders the walk will enter (WalkRules::enters_folder)
// are queued at once: the lister works down the tree on its own, as far ahead as its
// budget of open folders allows, while the walker takes the listings in its order.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sources/folder_listing.hpp"

namespace sfmc {

class FolderLister {
 public:
  using Key = std::vector<uint32_t>;

  FolderLister(const WalkRules& rules, unsigned threads);
  ~FolderLister();
  FolderLister(const FolderLister&) = delete;
  FolderLister& operator=(const FolderLister&) = delete;

  // The listing of the folder at `key`, types learnt: listed ahead, or now (the calling
  // thread lending a hand to its tasks). Its subfolders are being listed on return.
  FolderListing take(const Key& key, const FolderRequest& request);
  // The walk is done with the folder at `key`: what was listed below it and not taken
  // is dropped.
  void leave(const Key& key);

  // Folders listed ahead of the walk at most: each holds an open descriptor.
  std::size_t budget() const { return budget_; }

 private:
  struct Node;
  struct Task {
    std::shared_ptr<Node> node;
    std::size_t first = 0, last = 0;  // a type task: the range of node->unknown; else a listing
    bool listing = true;
  };
  using BatchKey = std::pair<Key, std::size_t>;  // (folder, batch number)

  void work();
  bool claim(Task& task);                         // the task the walk needs soonest, under mutex_
  bool claim_for(const std::shared_ptr<Node>& node, Task& task);  // one of that folder's, under mutex_
  void run(Task& task);
  void finish(const std::shared_ptr<Node>& node);  // under mutex_
  void drop(std::map<Key, std::shared_ptr<Node>>::iterator it);  // under mutex_

  const WalkRules& rules_;
  std::size_t budget_;
  std::mutex mutex_;
  std::condition_variable work_;      // the threads: a task, room in the budget, or the end
  std::condition_variable finished_;  // the walk: a folder's listing is complete
  std::map<Key, std::shared_ptr<Node>> nodes_;     // queued, being listed or listed, not yet taken
  std::map<Key, std::shared_ptr<Node>> listings_;  // listings not started, in walk order
  std::map<BatchKey, Task> batches_;               // stats not started, in walk order
  std::size_t ahead_ = 0;                       // nodes whose listing has started, not yet taken
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sfmc
