#include "sources/prefetch_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sfmc {

PrefetchSource::PrefetchSource(std::unique_ptr<InputSource> inner, unsigned io_threads, std::size_t window)
    : inner_(std::move(inner)), window_(window) {
  walker_ = std::thread([this] { walk(); });
  for (unsigned i = 0; i < io_threads; ++i) io_.emplace_back([this] { prefetch(); });
}

PrefetchSource::~PrefetchSource() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  walker_.join();
  for (std::thread& t : io_) t.join();
}

void PrefetchSource::walk() {
  for (;;) {
    {
      // Stay within the window, so memory is bounded however large the tree.
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || produced_ < taken_ + window_; });
      if (stopping_) break;
    }
    std::optional<InputItem> item = inner_->next();
    std::lock_guard<std::mutex> lock(mutex_);
    if (!item) {
      done_ = true;
      changed_.notify_all();
      return;
    }
    items_.push_back(std::move(*item));
    ++produced_;
    changed_.notify_all();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  done_ = true;
}

void PrefetchSource::prefetch() {
  for (;;) {
    InputItem item;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || (prefetched_ < produced_) || (done_ && prefetched_ >= produced_); });
      if (stopping_ || (done_ && prefetched_ >= produced_)) return;
      if (prefetched_ < taken_) prefetched_ = taken_;  // the scan got there first
      if (prefetched_ >= produced_) continue;
      item = items_[prefetched_ - taken_];
      ++prefetched_;
    }
    if (item.kind != InputItem::Kind::file) continue;
    int fd = item.dir ? ::openat(item.dir->fd, item.name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)
                      : ::open(item.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) continue;  // the scan will report it
    struct stat st{};
    // readahead blocks until the request is queued: on a network mount that is the
    // wait these threads take off the scan threads.
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ::readahead(fd, 0, static_cast<std::size_t>(std::min<off_t>(st.st_size, 8 << 20)));
    ::close(fd);
  }
}

std::optional<InputItem> PrefetchSource::next() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return !items_.empty() || done_; });
  if (items_.empty()) return std::nullopt;
  InputItem item = std::move(items_.front());
  items_.pop_front();
  ++taken_;
  changed_.notify_all();
  return item;
}

}  // namespace sfmc
