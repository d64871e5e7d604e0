#include "decode/byte_source.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sfmc {

FdSource::FdSource(int fd, uint64_t size, bool regular_file)
    : fd_(fd), size_(size), seekable_(regular_file || ::lseek(fd, 0, SEEK_CUR) != -1) {}

ssize_t FdSource::read(char* buf, std::size_t n) {
  for (;;) {
    ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) return got;
    if (errno == EINTR) continue;
    error_ = std::strerror(errno);
    return -1;
  }
}

bool FdSource::rewind() { return ::lseek(fd_, 0, SEEK_SET) == 0; }

ssize_t MemorySource::read(char* buf, std::size_t n) {
  std::size_t k = std::min(n, data_.size() - at_);
  std::memcpy(buf, data_.data() + at_, k);
  at_ += k;
  return static_cast<ssize_t>(k);
}

ssize_t PrefixedSource::read(char* buf, std::size_t n) {
  if (at_ < prefix_.size()) {
    std::size_t k = std::min(n, prefix_.size() - at_);
    std::memcpy(buf, prefix_.data() + at_, k);
    at_ += k;
    return static_cast<ssize_t>(k);
  }
  return rest_.read(buf, n);
}

ssize_t BoundedSource::read(char* buf, std::size_t n) {
  if (at_ >= limit_) {
    // One read more tells a file of exactly `limit` bytes from a longer one (a whole
    // block: some generated files, /proc/PID/pagemap, refuse reads of odd sizes).
    char probe[4096];
    ssize_t more = inner_.read(probe, sizeof probe);
    if (more > 0) truncated_ = true;
    return more < 0 ? more : 0;
  }
  ssize_t got = inner_.read(buf, static_cast<std::size_t>(std::min<uint64_t>(n, limit_ - at_)));
  if (got > 0) at_ += static_cast<uint64_t>(got);
  return got;
}

bool PrefixedSource::rewind() {
  if (!rest_.rewind()) return false;
  at_ = prefix_.size();
  return true;
}

}  // namespace sfmc
