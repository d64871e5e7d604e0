#include "decode/byte_source.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sfmc {

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

bool PrefixedSource::rewind() {
  if (!rest_.rewind()) return false;
  at_ = prefix_.size();
  return true;
}

}  // namespace sfmc
