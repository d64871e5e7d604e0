#include "sources/input_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <optional>

#include "decode/content.hpp"
#include "sources/prefetch_source.hpp"
#include "sources/pseudo_fs.hpp"
#include "sources/read_ahead_source.hpp"

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

void FileReader::read(const InputItem& item, InputContext& ctx) {
  FileHandle h;
  std::string head;  // bytes an I/O thread already read (--io-threads); the descriptor is past them
  ContentInfo info;
  info.chain = {item.path};
  uint64_t size = 0;
  dev_t device = 0;
  bool from_pool = false;  // opened by an I/O thread: they read the rest too
  if (item.kind == InputItem::Kind::standard_input) {
    h.fd = STDIN_FILENO;
    h.owned = false;
  } else {
    std::optional<PrefetchedFile::Opened> opened;
    if (item.prefetched) opened = item.prefetched->take();
    from_pool = opened.has_value();
    if (!opened) {
      opened.emplace();
      // O_NONBLOCK: a file that turned into a fifo after enumeration must not hang the scan.
      const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
      opened->fd = item.dir ? ::openat(item.dir->fd, item.name.c_str(), flags) : ::open(item.path.c_str(), flags);
      opened->error = errno;
    }
    h.fd = opened->fd;
    head = std::move(opened->head);
    if (opened->timed_out) {
      ctx.note({item.path, SkipReason::io_timeout, io_timeout_detail(item.prefetched->io.deadline) + ": not read"},
               info.chain);
      return;
    }
    if (h.fd < 0) {
      ctx.note({item.path, SkipReason::unreadable, std::strerror(opened->error)}, info.chain);
      return;
    }
    struct stat& st = opened->st;
    if (!opened->have_stat && fstat(h.fd, &st) != 0) {
      ctx.note({item.path, SkipReason::unreadable, std::strerror(errno)}, info.chain);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      ctx.note({item.path, SkipReason::special_file, "not a regular file"}, info.chain);
      return;
    }
    if (ctx.max_size() > 0 && static_cast<uint64_t>(st.st_size) > ctx.max_size()) {
      ctx.note({item.path, SkipReason::too_large,
                std::to_string(st.st_size) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
               info.chain);
      return;
    }
    size = static_cast<uint64_t>(st.st_size);
    device = st.st_dev;
    info.mtime = st.st_mtim.tv_sec;
    if (size > (1u << 20)) posix_fadvise(h.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  // A walked file was seen to be regular above: no lseek per file to ask.
  std::optional<FdSource> direct;
  std::optional<ReadAheadSource> ahead;
  ByteSource* rest;
  if (from_pool && size > head.size()) {
    h.owned = false;  // the source's now: a thread may still be reading it after the scan
    rest = &ahead.emplace(h.fd, size, head.size(), item.prefetched->io);
  } else {
    rest = &direct.emplace(h.fd, size, item.kind != InputItem::Kind::standard_input);
  }
  PrefixedSource prefixed(head, *rest);
  ByteSource& source = head.empty() ? *rest : prefixed;
  // A walked file on its folder's device shares the folder's file system, which the
  // walker vetted: one fstatfs per file would be a fifth of the walk's system calls.
  const bool vetted = item.dir && item.dir->dev != 0 && item.dir->dev == device;
  if (item.kind == InputItem::Kind::file && !vetted) {
    if (const char* kind = pseudo_file_system(h.fd)) {
      // Named on the command line (folders there are not walked): read, but not forever.
      BoundedSource bounded(source, kPseudoFileBound);
      std::vector<std::string> chain = info.chain;
      scan_content(bounded, std::move(info), ctx.decode_options(), ctx);
      if (bounded.truncated())
        ctx.note({item.path, SkipReason::pseudo_file_system,
                  std::string("on a pseudo file system (") + kind + "): only its first " +
                      std::to_string(kPseudoFileBound >> 20) + " MiB were read"},
                 chain);
      return;
    }
  }
  scan_content(source, std::move(info), ctx.decode_options(), ctx);
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
