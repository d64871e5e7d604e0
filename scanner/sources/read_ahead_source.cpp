#include "sources/read_ahead_source.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include "sources/input.hpp"

namespace sfmc {

struct ReadAheadSource::File {
  int fd;
  std::mutex mutex;
  std::condition_variable answered;  // a range is read (or failed)
  explicit File(int f) : fd(f) {}
  ~File() { ::close(fd); }  // the last holder: the source, or a thread still in the store
};

struct ReadAheadSource::Range {
  uint64_t offset = 0;
  std::size_t want = 0;
  // Under File::mutex:
  enum class State { queued, reading, done } state = State::queued;
  bool dropped = false;   // the source no longer wants it (rewound, ended, gone): not read
  bool given_up = false;  // the scan stopped waiting for it: its thread leaves when it returns
  std::unique_ptr<char[]> data;
  std::size_t got = 0;
  int error = 0;
};

ReadAheadSource::ReadAheadSource(int fd, uint64_t size, uint64_t start, IoRunner io)
    : file_(std::make_shared<File>(fd)), io_(std::move(io)), size_(size), requested_(start) {
  request_ahead();
}

ReadAheadSource::~ReadAheadSource() { drop_requests(); }

void ReadAheadSource::drop_requests() {
  std::lock_guard<std::mutex> lock(file_->mutex);
  for (const auto& r : ranges_) r->dropped = true;
  ranges_.clear();
  at_ = 0;
}

void ReadAheadSource::request_ahead() {
  while (!ended_ && ranges_.size() < kAhead && requested_ < size_) {
    auto range = std::make_shared<Range>();
    range->offset = requested_;
    range->want = static_cast<std::size_t>(std::min<uint64_t>(kRange, size_ - requested_));
    requested_ += range->want;
    ranges_.push_back(range);
    auto task = [file = file_, range]() -> bool {
      {
        std::lock_guard<std::mutex> lock(file->mutex);
        if (range->dropped) {
          range->state = Range::State::done;
          return true;
        }
        range->state = Range::State::reading;
      }
      // Read outside the lock: this is the wait on the store.
      auto data = std::make_unique<char[]>(range->want);
      std::size_t got = 0;
      int error = 0;
      while (got < range->want) {
        const ssize_t n = ::pread(file->fd, data.get() + got, range->want - got, static_cast<off_t>(range->offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error = errno;
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
      }
      std::lock_guard<std::mutex> lock(file->mutex);
      range->data = std::move(data);
      range->got = got;
      range->error = error;
      range->state = Range::State::done;
      file->answered.notify_all();
      return !range->given_up;
    };
    if (!io_.run || !io_.run(task)) task();
  }
}

ssize_t ReadAheadSource::read(char* buf, std::size_t n) {
  for (;;) {
    if (failed_) return -1;
    if (ranges_.empty()) {
      request_ahead();
      if (ranges_.empty()) return 0;  // at the size the open saw, or where a read came back short
    }
    Range& r = *ranges_.front();
    std::unique_lock<std::mutex> lock(file_->mutex);
    auto answered = [&] { return r.state == Range::State::done; };
    if (io_.deadline.count() > 0 ? !file_->answered.wait_for(lock, io_.deadline, answered)
                                 : (file_->answered.wait(lock, answered), false)) {
      const bool stuck = r.state == Range::State::reading;
      r.given_up = true;
      lock.unlock();
      drop_requests();
      failed_ = timed_out_ = true;
      error_ = io_timeout_detail(io_.deadline);
      if (io_.gave_up) io_.gave_up(stuck);
      return -1;
    }
    if (r.error != 0) {
      lock.unlock();
      failed_ = true;
      error_ = std::strerror(r.error);
      drop_requests();
      return -1;
    }
    if (at_ < r.got) {
      const std::size_t k = std::min(n, r.got - at_);
      std::memcpy(buf, r.data.get() + at_, k);
      at_ += k;
      return static_cast<ssize_t>(k);
    }
    // The front range is given out: on to the next, keeping the requests ahead.
    const bool short_read = r.got < r.want;  // the file is shorter than when it was opened
    lock.unlock();
    if (short_read) {
      ended_ = true;
      drop_requests();
      return 0;
    }
    ranges_.pop_front();
    at_ = 0;
    request_ahead();
  }
}

bool ReadAheadSource::rewind() {
  drop_requests();
  requested_ = 0;
  ended_ = failed_ = timed_out_ = false;
  error_.clear();
  request_ahead();
  return true;
}

}  // namespace sfmc
