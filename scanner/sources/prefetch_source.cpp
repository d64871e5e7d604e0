#include "sources/prefetch_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>

namespace sfmc {

struct PrefetchSource::Pool : std::enable_shared_from_this<Pool> {
  std::size_t window = 256;
  std::chrono::milliseconds deadline{0};
  std::atomic<unsigned>* in_flight = nullptr;  // guarded by `stopping`: gone after the source

  std::mutex mutex;
  // One per kind of waiter: a change wakes only those who can act on it, not every
  // I/O thread (64 of them on a network store) each time an item moves.
  std::condition_variable room;    // the walker: the window has room
  std::condition_variable work;    // the I/O threads: an item to open, or the end
  std::condition_variable ready;   // the scan: an item to take, or the end
  std::condition_variable exited;  // the source's end: an I/O thread is gone
  std::deque<InputItem> items;     // enumerated, not yet taken by the scan
  // Files not yet opened, in walk order: a queue of their own, as the scan may take an
  // item before a thread opens it (with a deadline the scan never opens one itself).
  std::deque<InputItem> to_open;
  // Ranges of files being scanned (ReadAheadSource): before any open ahead, as the scan
  // waits on them now.
  std::deque<std::function<bool()>> reads;
  bool done = false, stopping = false;
  unsigned running = 0;  // I/O threads alive
  unsigned stuck = 0;    // of them, given up on by the scan: replaced, let go

  void start_thread() {  // under mutex
    ++running;
    std::thread([self = shared_from_this()] { self->prefetch(); }).detach();
  }
  // The scan gave up waiting for an open: another thread takes the place of the one stuck
  // in it, or joins those too busy to start it.
  void replace_stuck(bool one_stuck) {
    std::lock_guard<std::mutex> lock(mutex);
    if (one_stuck) ++stuck;
    if (!stopping) start_thread();
  }
  bool submit_read(std::function<bool()> task) {
    std::lock_guard<std::mutex> lock(mutex);
    if (stopping) return false;
    reads.push_back([this, task = std::move(task)] {
      count_in_flight(+1);
      const bool wanted = task();
      count_in_flight(-1);
      return wanted;
    });
    work.notify_one();
    return true;
  }
  void count_in_flight(int delta) {
    std::lock_guard<std::mutex> lock(mutex);
    if (in_flight && !stopping) *in_flight += static_cast<unsigned>(delta);
  }
  void prefetch();
  // Opens the item's file and reads its start; false if the scan gave up on it meanwhile.
  bool open_ahead(const InputItem& item);
};

PrefetchSource::PrefetchSource(std::unique_ptr<InputSource> inner, unsigned io_threads, std::atomic<unsigned>* in_flight,
                               std::chrono::milliseconds deadline, std::size_t window)
    : inner_(std::move(inner)), pool_(std::make_shared<Pool>()) {
  pool_->window = window;
  pool_->deadline = deadline;
  pool_->in_flight = in_flight;
  {
    std::lock_guard<std::mutex> lock(pool_->mutex);
    for (unsigned i = 0; i < io_threads; ++i) pool_->start_thread();
  }
  walker_ = std::thread([this] { walk(); });
}

PrefetchSource::~PrefetchSource() {
  Pool& p = *pool_;
  {
    std::lock_guard<std::mutex> lock(p.mutex);
    p.stopping = true;
  }
  p.room.notify_all();
  p.work.notify_all();
  p.ready.notify_all();
  walker_.join();
  // Every thread but those stuck in the store leaves: a sweep cut short waits for the
  // opens under way, but not for a store that does not answer. Threads still in one hold
  // the pool, not this.
  std::unique_lock<std::mutex> lock(p.mutex);
  const auto patience = p.deadline.count() > 0 ? p.deadline : std::chrono::milliseconds(60000);
  p.exited.wait_for(lock, patience, [&] { return p.running == p.stuck; });
}

void PrefetchSource::walk() {
  Pool& p = *pool_;
  std::weak_ptr<Pool> weak = pool_;
  for (;;) {
    {
      // Stay within the window, so memory is bounded however large the tree.
      std::unique_lock<std::mutex> lock(p.mutex);
      p.room.wait(lock, [&] { return p.stopping || (p.items.size() < p.window && p.to_open.size() < p.window); });
      if (p.stopping) break;
    }
    std::optional<InputItem> item = inner_->next();
    if (item && (item->kind == InputItem::Kind::file || item->kind == InputItem::Kind::bucket_object)) {
      item->prefetched = std::make_shared<PrefetchedFile>();
      IoRunner& io = item->prefetched->io;
      io.deadline = p.deadline;
      io.gave_up = [weak](bool stuck) {
        if (auto pool = weak.lock()) pool->replace_stuck(stuck);
      };
      io.run = [weak](std::function<bool()> task) {
        auto pool = weak.lock();
        return pool && pool->submit_read(std::move(task));
      };
    }
    std::lock_guard<std::mutex> lock(p.mutex);
    if (!item) break;
    if (item->prefetched) {
      p.to_open.push_back(*item);
      p.work.notify_one();
    }
    p.items.push_back(std::move(*item));
    p.ready.notify_one();
  }
  std::lock_guard<std::mutex> lock(p.mutex);
  p.done = true;
  p.work.notify_all();
  p.ready.notify_all();
}

void PrefetchSource::Pool::prefetch() {
  for (;;) {
    InputItem item;
    std::function<bool()> read;
    {
      // Once the walk is done, threads stay for the reads of the files still scanned.
      std::unique_lock<std::mutex> lock(mutex);
      work.wait(lock, [&] { return stopping || !reads.empty() || !to_open.empty(); });
      if (!reads.empty()) {  // a read queued before the end is run: the scan waits on it
        read = std::move(reads.front());
        reads.pop_front();
      } else if (stopping) {
        --running;
        exited.notify_all();
        return;
      } else {
        item = std::move(to_open.front());
        to_open.pop_front();
        room.notify_one();
      }
    }
    const bool wanted = read ? read() : (!item.prefetched || open_ahead(item));
    if (!wanted) {
      // Given up on by the scan while this thread waited on the store: a replacement
      // runs already; this one leaves.
      std::lock_guard<std::mutex> lock(mutex);
      --stuck;
      --running;
      exited.notify_all();
      return;
    }
  }
}

bool PrefetchSource::Pool::open_ahead(const InputItem& item) {
  PrefetchedFile& slot = *item.prefetched;
  {
    std::lock_guard<std::mutex> lock(slot.mutex);
    if (slot.state != PrefetchedFile::State::waiting) return true;  // the scan opened it itself, or gave up
    slot.state = PrefetchedFile::State::loading;
  }
  count_in_flight(+1);
  PrefetchedFile::Opened opened;
  int fd = -1;
  if (item.kind == InputItem::Kind::bucket_object) {
    // A bucket object: its start is one GET (the rest, ranged GETs by the reader).
    const uint64_t want = std::min<uint64_t>(item.size, PrefetchedFile::kHead);
    if (want > 0 && !item.store->read(item.name, item.etag, 0, want, opened.head, opened.error_detail)) opened.error = EIO;
  } else {
    // The same flags the scan's own open uses (sources/input_reader.cpp).
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    fd = item.dir ? ::openat(item.dir->fd, item.name.c_str(), flags) : ::open(item.path.c_str(), flags);
    opened.error = fd < 0 ? errno : 0;
  }
  opened.fd = fd;
  struct stat& st = opened.st;
  opened.have_stat = fd >= 0 && fstat(fd, &st) == 0;
  if (opened.have_stat && S_ISREG(st.st_mode)) {
    // The start is read here, so the store's wait for it is this thread's; past it, the
    // scan asks these threads for ranges (ReadAheadSource).
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
  }
  count_in_flight(-1);
  std::lock_guard<std::mutex> lock(slot.mutex);
  if (slot.state == PrefetchedFile::State::abandoned) {
    if (fd >= 0) ::close(fd);
    return false;
  }
  slot.opened = std::move(opened);
  slot.state = PrefetchedFile::State::ready;
  slot.done.notify_all();
  return true;
}

std::optional<PrefetchedFile::Opened> PrefetchedFile::take() {
  std::unique_lock<std::mutex> lock(mutex);
  if (state == State::waiting && io.deadline.count() == 0) {
    state = State::taken;  // no I/O thread will start on it now
    return std::nullopt;
  }
  // With a deadline the scan never asks the store itself: a request that does not come
  // back would hold the scan thread with it. It waits for an I/O thread, so long.
  auto answered = [&] { return state != State::loading && state != State::waiting; };
  if (io.deadline.count() > 0 ? !done.wait_for(lock, io.deadline, answered) : (done.wait(lock, answered), false)) {
    const bool stuck = state == State::loading;
    state = State::abandoned;
    lock.unlock();
    if (io.gave_up) io.gave_up(stuck);
    Opened out;
    out.error = ETIMEDOUT;
    out.timed_out = true;
    return out;
  }
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
  Pool& p = *pool_;
  std::unique_lock<std::mutex> lock(p.mutex);
  p.ready.wait(lock, [&] { return !p.items.empty() || p.done; });
  if (p.items.empty()) return std::nullopt;
  InputItem item = std::move(p.items.front());
  p.items.pop_front();
  p.room.notify_one();
  return item;
}

}  // namespace sfmc
