#include "sources/prefetch_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace sfmc {

PrefetchSource::PrefetchSource(std::unique_ptr<InputSource> inner, unsigned io_threads, std::atomic<unsigned>* in_flight,
                               std::size_t window)
    : inner_(std::move(inner)), window_(window), in_flight_(in_flight) {
  walker_ = std::thread([this] { walk(); });
  for (unsigned i = 0; i < io_threads; ++i) io_.emplace_back([this] { prefetch(); });
}

PrefetchSource::~PrefetchSource() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  room_.notify_all();
  work_.notify_all();
  ready_.notify_all();
  walker_.join();
  for (std::thread& t : io_) t.join();
}

void PrefetchSource::walk() {
  for (;;) {
    {
      // Stay within the window, so memory is bounded however large the tree.
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [&] { return stopping_ || produced_ < taken_ + window_; });
      if (stopping_) break;
    }
    std::optional<InputItem> item = inner_->next();
    if (item && item->kind == InputItem::Kind::file) item->prefetched = std::make_shared<PrefetchedFile>();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!item) {
      done_ = true;
      work_.notify_all();
      ready_.notify_all();
      return;
    }
    items_.push_back(std::move(*item));
    ++produced_;
    work_.notify_one();
    ready_.notify_one();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = true;
  work_.notify_all();
  ready_.notify_all();
}

void PrefetchSource::prefetch() {
  for (;;) {
    InputItem item;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [&] { return stopping_ || (prefetched_ < produced_) || (done_ && prefetched_ >= produced_); });
      if (stopping_ || (done_ && prefetched_ >= produced_)) return;
      if (prefetched_ < taken_) prefetched_ = taken_;  // the scan got there first
      if (prefetched_ >= produced_) continue;
      item = items_[prefetched_ - taken_];
      ++prefetched_;
    }
    if (item.kind != InputItem::Kind::file || !item.prefetched) continue;
    PrefetchedFile& slot = *item.prefetched;
    {
      std::lock_guard<std::mutex> lock(slot.mutex);
      if (slot.state != PrefetchedFile::State::waiting) continue;  // the scan opened it itself
      slot.state = PrefetchedFile::State::loading;
    }
    if (in_flight_) ++*in_flight_;
    // The same flags the scan's own open uses (sources/input_reader.cpp).
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd = item.dir ? ::openat(item.dir->fd, item.name.c_str(), flags) : ::open(item.path.c_str(), flags);
    PrefetchedFile::Opened opened;
    opened.fd = fd;
    opened.error = fd < 0 ? errno : 0;
    struct stat& st = opened.st;
    opened.have_stat = fd >= 0 && fstat(fd, &st) == 0;
    if (opened.have_stat && S_ISREG(st.st_mode)) {
      // The start is read here, so the store's wait for it is this thread's; past it,
      // readahead queues the next part while the scan matches the start.
      std::string& head = opened.head;
      head.resize(static_cast<std::size_t>(std::min<off_t>(st.st_size, static_cast<off_t>(PrefetchedFile::kHead))));
      std::size_t got = 0;
      while (got < head.size()) {
        const ssize_t n = ::read(fd, head.data() + got, head.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // an error is the scan's to meet and report, reading on
        got += static_cast<std::size_t>(n);
      }
      head.resize(got);
      if (st.st_size > static_cast<off_t>(got))
        ::readahead(fd, static_cast<off_t>(got), static_cast<std::size_t>(std::min<off_t>(st.st_size - got, 8 << 20)));
    }
    if (in_flight_) --*in_flight_;
    std::lock_guard<std::mutex> lock(slot.mutex);
    slot.opened = std::move(opened);
    slot.state = PrefetchedFile::State::ready;
    slot.done.notify_all();
  }
}

std::optional<PrefetchedFile::Opened> PrefetchedFile::take() {
  std::unique_lock<std::mutex> lock(mutex);
  if (state == State::waiting) {
    state = State::taken;  // no I/O thread will start on it now
    return std::nullopt;
  }
  done.wait(lock, [&] { return state != State::loading; });
  if (state == State::taken) return std::nullopt;
  state = State::taken;
  Opened out = std::move(opened);
  opened.fd = -1;
  return out;
}

PrefetchedFile::~PrefetchedFile() {
  if (opened.fd >= 0) ::close(opened.fd);  // prefetched, then never scanned (the scan stopped early)
}

std::optional<InputItem> PrefetchSource::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait(lock, [&] { return !items_.empty() || done_; });
  if (items_.empty()) return std::nullopt;
  InputItem item = std::move(items_.front());
  items_.pop_front();
  ++taken_;
  room_.notify_one();
  return item;
}

}  // namespace sfmc
