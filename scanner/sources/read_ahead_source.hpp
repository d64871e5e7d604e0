#pragma once
// A file on a slow store, past the start its open read: I/O threads read it in ranges a
// few ahead of the scan, so a large file on a mount streams at the store's pace rather
// than one request at a time, and the scan waits for each range at most --io-timeout. A
// store that stops answering mid-file leaves that file cut (io-timeout), not the sweep
// hung: the thread stuck in the store is left to it and another takes its place.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "decode/byte_source.hpp"

namespace sfmc {

// The I/O threads a file's reads run on, as the prefetcher lends them.
struct IoRunner {
  // Queues a task on an I/O thread; false when none will run it (the pool is stopping):
  // the caller runs it itself. The task returns false when the scan gave up on it while
  // it waited on the store: its thread has been replaced, and leaves.
  std::function<bool(std::function<bool()>)> run;
  // The scan stopped waiting; `stuck`: a thread had started on the request. Another
  // thread is started in its place.
  std::function<void(bool stuck)> gave_up;
  std::chrono::milliseconds deadline{0};  // how long the scan waits for one request; 0: for ever
};

class ReadAheadSource final : public ByteSource {
 public:
  static constexpr std::size_t kRange = 1u << 20;  // one request (FUSE splits it into 128 KiB reads)
  static constexpr unsigned kAhead = 4;            // ranges in flight per file: 4 MiB per scan thread

  // Takes `fd`: it is closed when this source and every read of it still under way are
  // done. `start`: where the scan's reads begin (the bytes before were read with the open).
  ReadAheadSource(int fd, uint64_t size, uint64_t start, IoRunner io);
  ~ReadAheadSource() override;
  ReadAheadSource(const ReadAheadSource&) = delete;
  ReadAheadSource& operator=(const ReadAheadSource&) = delete;

  ssize_t read(char* buf, std::size_t n) override;
  bool rewind() override;
  bool can_rewind() const override { return true; }
  std::string error() const override { return error_; }
  uint64_t size_hint() const override { return size_; }
  bool timed_out() const override { return timed_out_; }

 private:
  struct File;   // the descriptor and what the I/O threads report through
  struct Range;  // one request
  void request_ahead();
  void drop_requests();

  std::shared_ptr<File> file_;
  IoRunner io_;
  uint64_t size_;
  std::deque<std::shared_ptr<Range>> ranges_;  // requested, in file order; the front is being read
  std::size_t at_ = 0;                         // bytes of the front range given out
  uint64_t requested_;                         // where the next request starts
  bool ended_ = false;                         // a range came back short: the file ends there
  bool failed_ = false;
  bool timed_out_ = false;
  std::string error_;
};

}  // namespace sfmc
