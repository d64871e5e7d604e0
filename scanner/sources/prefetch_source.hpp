#pragma once
// --io-threads: keeps a slow file store busy. A walker thread enumerates ahead of the
// scan, and I/O threads open the next files, read their start and ask the kernel to
// read ahead the rest while the scan threads are still matching earlier ones. The scan
// takes the open descriptor and the bytes read: on a network mount or a bucket behind
// FUSE every open waits on the store, and a file is opened once. Order and results are
// unchanged.
//
// Past its start, a file is read by the same threads in ranges ahead of the scan
// (sources/read_ahead_source.hpp).
//
// A store that stops answering must not stop the sweep: the scan waits for an open, or a
// range, at most --io-timeout, then reports the file (io-timeout) and goes on; the I/O
// thread stuck in the store is left to it and another takes its place.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "sources/input.hpp"
#include "sources/read_ahead_source.hpp"

namespace sfmc {

// One file's open by an I/O thread, handed to the scan thread that reads it; for a
// bucket object, its first range fetched.
struct PrefetchedFile {
  enum class State { waiting, loading, ready, taken, abandoned };
  // The bytes read ahead of the scan, per file: with the window of 256 files, at most
  // 256 MiB in flight.
  static constexpr std::size_t kHead = 1u << 20;

  // What the I/O thread hands over.
  struct Opened {
    int fd = -1;       // owned by the taker; -1 with `error` when the open failed
    int error = 0;
    bool timed_out = false;  // no answer within the deadline: the file was not read
    std::string head;  // the file's first bytes: the descriptor's offset is past them
    std::string error_detail;  // a bucket object's read error, in the store's words (error: EIO)
    bool have_stat = false;
    struct stat st {};  // the descriptor's: on FUSE a second fstat may be a request
  };

  // Scan side: the open an I/O thread made, waiting while one is making it, but not past
  // `io.deadline` (with one, waiting for a thread to start it too); nullopt when nobody
  // did, and nobody will now: the scan opens the file itself.
  std::optional<Opened> take();

  // The threads that opened it, which read the rest of it too.
  IoRunner io;

  std::mutex mutex;
  std::condition_variable done;
  State state = State::waiting;
  Opened opened;
  ~PrefetchedFile();
};

class PrefetchSource final : public InputSource {
 public:
  // `window`: how many inputs ahead of the scan may be prefetched. `in_flight`, if
  // given, counts the opens under way (a progress display shows it). `deadline`: how
  // long the scan waits for one open and first read (0: for ever).
  PrefetchSource(std::unique_ptr<InputSource> inner, unsigned io_threads, std::atomic<unsigned>* in_flight = nullptr,
                 std::chrono::milliseconds deadline = std::chrono::milliseconds(0), std::size_t window = 256);
  ~PrefetchSource() override;
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override { return inner_->make_reader(); }

 private:
  // What the I/O threads share: it outlives this source while a thread the scan gave up
  // on is still waiting on the store.
  struct Pool;
  void walk();

  std::unique_ptr<InputSource> inner_;
  std::shared_ptr<Pool> pool_;
  std::thread walker_;
};

}  // namespace sfmc
