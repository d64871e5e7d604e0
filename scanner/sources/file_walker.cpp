#include "sources/file_walker.hpp"

#include "sources/input_reader.hpp"
#include "sources/pseudo_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sfmc {

struct FileWalker::Frame {
  struct Entry {
    std::string name;
    unsigned char type;
  };
  std::string path;
  std::string relative;
  int depth = 0;  // the root's own entries are at depth 1
  bool has_ignore_rules = false;
  std::shared_ptr<const DirHandle> dir;
  std::vector<Entry> entries;
  std::size_t index = 0;
  dev_t dev = 0;
  ino_t ino = 0;
};

namespace {

InputItem skipped(std::string path, SkipReason reason, std::string detail) {
  InputItem item;
  item.kind = InputItem::Kind::skipped;
  item.skip = Skipped{path, reason, std::move(detail)};
  item.path = std::move(path);
  return item;
}

InputItem file_item(std::string path, std::shared_ptr<const DirHandle> dir = nullptr, std::string name = {}) {
  InputItem item;
  item.kind = InputItem::Kind::file;
  item.path = std::move(path);
  item.dir = std::move(dir);
  item.name = std::move(name);
  return item;
}

std::string join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

unsigned char type_from_mode(mode_t m) {
  if (S_ISDIR(m)) return DT_DIR;
  if (S_ISREG(m)) return DT_REG;
  if (S_ISLNK(m)) return DT_LNK;
  return DT_UNKNOWN;  // fifo, socket, device: never read
}

}  // namespace

FileWalker::FileWalker(std::vector<std::string> roots, WalkOptions options)
    : roots_(std::move(roots)), options_(std::move(options)) {
  for (std::string& g : options_.excludes)
    if (g.rfind("./", 0) == 0) g.erase(0, 2);
}

FileWalker::~FileWalker() = default;

std::unique_ptr<InputReader> FileWalker::make_reader() const { return std::make_unique<FileReader>(); }

bool FileWalker::excluded(const std::string& relative, const std::string& name) const {
  for (const std::string& g : options_.excludes) {
    const std::string& subject = g.find('/') == std::string::npos ? name : relative;
    if (fnmatch(g.c_str(), subject.c_str(), 0) == 0) return true;
  }
  return false;
}

void FileWalker::push_dir(const std::string& path, const std::string& relative, int parent_fd,
                          const std::string& name, int depth) {
  int fd = parent_fd >= 0 ? ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                          : ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    ready_.push_back(skipped(path, SkipReason::unreadable, std::string("cannot open folder: ") + std::strerror(errno)));
    return;
  }
  struct stat st{};
  const bool have_stat = fstat(fd, &st) == 0;
  auto handle = std::make_shared<const DirHandle>(fd, have_stat ? st.st_dev : 0);
  // fdopendir takes the descriptor it is given: hand it a duplicate, keep ours for openat().
  int listing_fd = ::dup(fd);
  DIR* d = listing_fd >= 0 ? fdopendir(listing_fd) : nullptr;
  if (!d) {
    if (listing_fd >= 0) ::close(listing_fd);
    ready_.push_back(skipped(path, SkipReason::unreadable, std::string("cannot list folder: ") + std::strerror(errno)));
    return;
  }
  auto frame = std::make_unique<Frame>();
  frame->path = path;
  frame->relative = relative;
  frame->dir = std::move(handle);
  frame->depth = depth;
  if (have_stat) {
    frame->dev = st.st_dev;
    frame->ino = st.st_ino;
  }
  if (depth == 0) root_dev_ = frame->dev;
  if (options_.one_file_system && depth > 0 && frame->dev != root_dev_) {
    ready_.push_back(skipped(path, SkipReason::other_file_system, "on another file system (--one-file-system)"));
    ::closedir(d);
    return;
  }
  if (const char* kind = pseudo_file_system(fd)) {
    ready_.push_back(skipped(path, SkipReason::pseudo_file_system,
                             std::string("a folder on a pseudo file system (") + kind + "): its files are generated, not walked"));
    ::closedir(d);
    return;
  }
  errno = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) continue;
    frame->entries.push_back({e->d_name, e->d_type});
  }
  if (errno != 0)
    ready_.push_back(skipped(path, SkipReason::unreadable, std::string("folder listing incomplete: ") + std::strerror(errno)));
  closedir(d);
  std::sort(frame->entries.begin(), frame->entries.end(),
            [](const Frame::Entry& a, const Frame::Entry& b) { return a.name < b.name; });
  if (options_.respect_gitignore) {
    for (const Frame::Entry& e : frame->entries)
      if (e.name == ".gitignore") {
        int gfd = ::openat(fd, ".gitignore", O_RDONLY | O_CLOEXEC);
        if (gfd < 0) break;
        std::string text;
        char buf[8192];
        for (ssize_t n; (n = ::read(gfd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
        ::close(gfd);
        ignore_.add(relative, text);
        frame->has_ignore_rules = !relative.empty();
        break;
      }
  }
  stack_.push_back(std::move(frame));
}

std::optional<InputItem> FileWalker::next() {
  std::optional<InputItem> item = next_item();
  if (item) {
    item->root = next_root_ - 1;
    std::string_view root = roots_[item->root];
    std::string_view p = item->path;
    if (p.size() > root.size() && p.substr(0, root.size()) == root) {
      p.remove_prefix(root.size());
      while (!p.empty() && p.front() == '/') p.remove_prefix(1);
      item->relative = std::string(p);
    }
  }
  return item;
}

std::optional<InputItem> FileWalker::next_item() {
  for (;;) {
    if (!ready_.empty()) {
      InputItem item = std::move(ready_.front());
      ready_.erase(ready_.begin());
      return item;
    }
    if (stack_.empty()) {
      if (next_root_ >= roots_.size()) return std::nullopt;
      const std::string& root = roots_[next_root_++];
      if (root == "-") {
        InputItem item;
        item.kind = InputItem::Kind::standard_input;
        item.path = "-";
        return item;
      }
      // A path named on the command line is followed even if it is a symlink.
      struct stat st{};
      if (stat(root.c_str(), &st) != 0) {
        int err = errno;
        return skipped(root, err == ENOENT ? SkipReason::not_found : SkipReason::unreadable, std::strerror(err));
      }
      if (S_ISDIR(st.st_mode)) {
        push_dir(root, "", -1, "", 0);
        continue;
      }
      if (S_ISREG(st.st_mode)) return file_item(root);
      return skipped(root, SkipReason::special_file, "not a regular file or folder");
    }

    Frame& f = *stack_.back();
    if (f.index == f.entries.size()) {
      if (f.has_ignore_rules) ignore_.leave(f.relative);
      stack_.pop_back();
      continue;
    }
    const Frame::Entry& e = f.entries[f.index++];
    std::string path = join(f.path, e.name);
    std::string relative = f.relative.empty() ? e.name : f.relative + "/" + e.name;
    if (excluded(relative, e.name)) continue;
    const int depth = f.depth + 1;
    if (options_.max_depth >= 0 && depth > options_.max_depth) continue;

    unsigned char type = e.type;
    const int dir_fd = f.dir->fd;
    if (type == DT_UNKNOWN) {
      struct stat st{};
      if (fstatat(dir_fd, e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return skipped(path, SkipReason::unreadable, std::strerror(errno));
      type = type_from_mode(st.st_mode);
      if (type == DT_UNKNOWN) return skipped(path, SkipReason::special_file, "fifo, socket or device");
    }
    if (type == DT_LNK) {
      if (!options_.follow_symlinks)
        return skipped(path, SkipReason::symlink, "not followed (use --follow-symlinks)");
      struct stat st{};
      if (fstatat(dir_fd, e.name.c_str(), &st, 0) != 0)
        return skipped(path, SkipReason::unreadable, std::string("broken symlink: ") + std::strerror(errno));
      if (S_ISDIR(st.st_mode)) {
        for (const auto& ancestor : stack_)
          if (ancestor->dev == st.st_dev && ancestor->ino == st.st_ino)
            return skipped(path, SkipReason::symlink_loop, "leads back to " + ancestor->path);
        push_dir(path, relative, dir_fd, e.name, depth);
        continue;
      }
      if (S_ISREG(st.st_mode)) return file_item(path, f.dir, e.name);
      return skipped(path, SkipReason::special_file, "symlink to a fifo, socket or device");
    }
    if (options_.respect_gitignore && !ignore_.empty() && ignore_.ignored(relative, type == DT_DIR)) continue;
    if (type == DT_DIR) {
      if (options_.respect_gitignore && e.name == ".git") continue;
      if (!options_.git_internals && e.name == ".git")
        return skipped(path, SkipReason::git_internals,
                       "a git repository's internals, not read as files: scan its history with `sfmc-scan git`, or pass --include-git-dir");
      push_dir(path, relative, dir_fd, e.name, depth);
      continue;
    }
    if (type == DT_REG) return file_item(path, f.dir, e.name);
    return skipped(path, SkipReason::special_file, "fifo, socket or device");
  }
}

}  // namespace sfmc
