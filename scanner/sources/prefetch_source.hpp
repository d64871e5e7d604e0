#pragma once
// --io-threads: keeps a slow file store busy. A walker thread enumerates ahead of the
// scan, and I/O threads open the next files, read their start and ask the kernel to
// read ahead the rest while the scan threads are still matching earlier ones. The scan
// takes the open descriptor and the bytes read: on a network mount or a bucket behind
// FUSE every open waits on the store, and a file is opened once. Order and results are
// unchanged.
#include <sys/stat.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sources/input.hpp"

namespace sfmc {

// One file's open by an I/O thread, handed to the scan thread that reads it.
struct PrefetchedFile {
  enum class State { waiting, loading, ready, taken };
  // The bytes read ahead of the scan, per file: with the window of 256 files, at most
  // 256 MiB in flight.
  static constexpr std::size_t kHead = 1u << 20;

  // What the I/O thread hands over.
  struct Opened {
    int fd = -1;       // owned by the taker; -1 with `error` when the open failed
    int error = 0;
    std::string head;  // the file's first bytes: the descriptor's offset is past them
    bool have_stat = false;
    struct stat st {};  // the descriptor's: on FUSE a second fstat may be a request
  };

  // Scan side: the open an I/O thread made, waiting while one is making it; nullopt when
  // nobody did, and nobody will now: the scan opens the file itself.
  std::optional<Opened> take();

  std::mutex mutex;
  std::condition_variable done;
  State state = State::waiting;
  Opened opened;
  ~PrefetchedFile();
};

class PrefetchSource final : public InputSource {
 public:
  // `window`: how many inputs ahead of the scan may be prefetched. `in_flight`, if
  // given, counts the opens under way (a progress display shows it).
  PrefetchSource(std::unique_ptr<InputSource> inner, unsigned io_threads, std::atomic<unsigned>* in_flight = nullptr,
                 std::size_t window = 256);
  ~PrefetchSource() override;
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override { return inner_->make_reader(); }

 private:
  void walk();
  void prefetch();

  std::unique_ptr<InputSource> inner_;
  std::size_t window_;
  std::atomic<unsigned>* in_flight_;
  std::mutex mutex_;
  // One per kind of waiter: a change wakes only those who can act on it, not every
  // I/O thread (64 of them on a network store) each time an item moves.
  std::condition_variable room_;   // the walker: the window has room
  std::condition_variable work_;   // the I/O threads: an item to open, or the end
  std::condition_variable ready_;  // the scan: an item to take, or the end
  std::deque<InputItem> items_;  // enumerated, not yet taken by the scan
  std::size_t taken_ = 0;        // items handed to the scan
  std::size_t produced_ = 0;     // items enumerated
  std::size_t prefetched_ = 0;   // next item an I/O thread will claim
  bool done_ = false, stopping_ = false;
  std::thread walker_;
  std::vector<std::thread> io_;
};

}  // namespace sfmc
