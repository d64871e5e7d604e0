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
#include <chrono>
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

  // `deadline`: how long take() waits for a folder (0: for ever). Past it the folder is
  // reported (io-timeout) and not walked, and a new thread takes the place of one that
  // may be stuck on the store.
  FolderLister(const WalkRules& rules, unsigned threads, std::chrono::milliseconds deadline = {});
  ~FolderLister();
  FolderLister(const FolderLister&) = delete;
  FolderLister& operator=(const FolderLister&) = delete;

  // The listing of the folder at `key`, types learnt: listed ahead, or now (without a
  // deadline, the calling thread lends a hand). Its subfolders are being listed on return.
  FolderListing take(const Key& key, const FolderRequest& request);
  // The walk is done with the folder at `key`: what was listed below it and not taken
  // is dropped.
  void leave(const Key& key);

  // Folders listed ahead of the walk at most: each holds an open descriptor.
  std::size_t budget() const;

 private:
  struct Node;
  struct Task {
    std::shared_ptr<Node> node;
    std::size_t first = 0, last = 0;  // a type task: the range of node->unknown; else a listing
    bool listing = true;
  };
  using BatchKey = std::pair<Key, std::size_t>;  // (folder, batch number)
  // Everything the threads share: it outlives the lister while a thread is stuck on a
  // store that does not answer.
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace sfmc
