#include "sources/input_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sfmc {

namespace {

struct FileHandle {
  int fd = -1;
  bool owned = true;
  ~FileHandle() {
    if (fd >= 0 && owned) ::close(fd);
  }
};

}  // namespace

ReadOutcome read_input(const InputItem& item, StreamMatcher& matcher, const StreamMatcher::Sink& sink,
                       uint64_t max_size) {
  ReadOutcome out;
  FileHandle h;
  uint64_t expected = 0;  // the file's size: a short read that reaches it is the end
  if (item.kind == InputItem::Kind::standard_input) {
    h.fd = STDIN_FILENO;
    h.owned = false;
  } else {
    // O_NONBLOCK: a file that turned into a fifo after enumeration must not hang the scan.
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    h.fd = item.dir ? ::openat(item.dir->fd, item.name.c_str(), flags) : ::open(item.path.c_str(), flags);
    if (h.fd < 0) {
      out.problem = Skipped{item.path, SkipReason::unreadable, std::strerror(errno)};
      return out;
    }
    struct stat st{};
    if (fstat(h.fd, &st) != 0) {
      out.problem = Skipped{item.path, SkipReason::unreadable, std::strerror(errno)};
      return out;
    }
    if (!S_ISREG(st.st_mode)) {
      out.problem = Skipped{item.path, SkipReason::special_file, "not a regular file"};
      return out;
    }
    if (max_size > 0 && static_cast<uint64_t>(st.st_size) > max_size) {
      out.problem = Skipped{item.path, SkipReason::too_large,
                            std::to_string(st.st_size) + " bytes > --max-file-size " + std::to_string(max_size)};
      return out;
    }
    expected = static_cast<uint64_t>(st.st_size);
    if (st.st_size > static_cast<off_t>(matcher.chunk_size())) posix_fadvise(h.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }

  out.scanned = true;
  for (;;) {
    std::span<char> area = matcher.write_area();
    ssize_t n = ::read(h.fd, area.data(), area.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      out.problem = Skipped{item.path, SkipReason::unreadable,
                            std::string("read failed after ") + std::to_string(out.bytes) + " bytes: " +
                                std::strerror(errno)};
      break;
    }
    if (n == 0) break;
    out.bytes += static_cast<uint64_t>(n);
    matcher.commit(static_cast<std::size_t>(n), sink);
    // Saves the read() that would only return 0: one system call per file.
    if (expected > 0 && static_cast<std::size_t>(n) < area.size() && out.bytes >= expected) break;
  }
  matcher.finish(sink);
  return out;
}

void match_buffer(std::string_view data, StreamMatcher& matcher, const StreamMatcher::Sink& sink) {
  while (!data.empty()) {
    std::span<char> area = matcher.write_area();
    std::size_t n = std::min({data.size(), area.size(), matcher.chunk_size()});
    std::copy_n(data.data(), n, area.data());
    matcher.commit(n, sink);
    data.remove_prefix(n);
  }
  matcher.finish(sink);
}

}  // namespace sfmc
