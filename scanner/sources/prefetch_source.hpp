#pragma once
// --io-threads: keeps a slow file store busy. A walker thread enumerates ahead of the
// scan, and I/O threads ask the kernel to read the next files (readahead) while the
// scan threads are still matching earlier ones. Order and results are unchanged: the
// scan reads every file itself, mostly from the page cache by then.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sources/input.hpp"

namespace sfmc {

class PrefetchSource final : public InputSource {
 public:
  // `window`: how many inputs ahead of the scan may be prefetched.
  PrefetchSource(std::unique_ptr<InputSource> inner, unsigned io_threads, std::size_t window = 256);
  ~PrefetchSource() override;
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override { return inner_->make_reader(); }

 private:
  void walk();
  void prefetch();

  std::unique_ptr<InputSource> inner_;
  std::size_t window_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<InputItem> items_;  // enumerated, not yet taken by the scan
  std::size_t taken_ = 0;        // items handed to the scan
  std::size_t produced_ = 0;     // items enumerated
  std::size_t prefetched_ = 0;   // next item an I/O thread will claim
  bool done_ = false, stopping_ = false;
  std::thread walker_;
  std::vector<std::thread> io_;
};

}  // namespace sfmc
