#include "sources/file_walker.hpp"

#include "sources/input_reader.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sfmc {

struct FileWalker::Frame {
  FolderRequest request;
  FolderListing listing;
  FolderLister::Key key;
  std::size_t index = 0;
};

namespace {

InputItem file_item(std::string path, std::shared_ptr<const DirHandle> dir = nullptr, std::string name = {}) {
  InputItem item;
  item.kind = InputItem::Kind::file;
  item.path = std::move(path);
  item.dir = std::move(dir);
  item.name = std::move(name);
  return item;
}

}  // namespace

FileWalker::FileWalker(std::vector<std::string> roots, WalkOptions options)
    : roots_(std::move(roots)), rules_(std::move(options)) {
  if (rules_.options().listing_threads > 0)
    lister_ = std::make_unique<FolderLister>(rules_, rules_.options().listing_threads, rules_.options().listing_deadline);
}

FileWalker::~FileWalker() {
  stack_.clear();
  lister_.reset();  // its threads hold listings that refer to the rules
}

std::unique_ptr<InputReader> FileWalker::make_reader() const { return std::make_unique<FileReader>(); }

void FileWalker::enter(FolderRequest request, FolderLister::Key key) {
  FolderListing listing;
  if (lister_) {
    listing = lister_->take(key, request);
  } else {
    listing = list_folder(request, rules_);
    if (listing.dir) {
      std::vector<std::size_t> unknown = types_to_learn(listing, request, rules_);
      learn_types(listing, unknown.data(), unknown.data() + unknown.size());
    }
  }
  for (InputItem& problem : listing.problems) ready_.push_back(std::move(problem));
  listing.problems.clear();
  if (!listing.dir) return;
  auto frame = std::make_unique<Frame>();
  frame->request = std::move(request);
  frame->listing = std::move(listing);
  frame->key = std::move(key);
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
  const WalkOptions& options = rules_.options();
  for (;;) {
    if (!ready_.empty()) {
      InputItem item = std::move(ready_.front());
      ready_.erase(ready_.begin());
      return item;
    }
    if (stack_.empty()) {
      if (next_root_ >= roots_.size()) return std::nullopt;
      const std::size_t index = next_root_++;
      const std::string& root = roots_[index];
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
        return skipped_input(root, err == ENOENT ? SkipReason::not_found : SkipReason::unreadable, std::strerror(err));
      }
      if (S_ISDIR(st.st_mode)) {
        FolderRequest request;
        request.path = root;
        enter(std::move(request), {static_cast<uint32_t>(index)});
        continue;
      }
      if (S_ISREG(st.st_mode)) return file_item(root);
      return skipped_input(root, SkipReason::special_file, "not a regular file or folder");
    }

    Frame& f = *stack_.back();
    if (f.index == f.listing.entries.size()) {
      if (lister_) lister_->leave(f.key);
      stack_.pop_back();
      continue;
    }
    const std::size_t at = f.index++;
    const FolderEntry& e = f.listing.entries[at];
    std::string path = entry_path(f.request, e.name);
    std::string relative = entry_relative(f.request, e.name);
    const int depth = f.request.depth + 1;
    if (rules_.passed_over(relative, e.name, depth)) continue;
    if (e.stat_error != 0) return skipped_input(path, SkipReason::unreadable, std::strerror(e.stat_error));

    auto subfolder = [&] {
      FolderLister::Key key = f.key;
      key.push_back(static_cast<uint32_t>(at));
      enter(subfolder_request(f.request, f.listing, e), std::move(key));  // may grow stack_: `f` and `e` are not used after
    };

    const int dir_fd = f.listing.dir->fd;
    if (e.type == DT_LNK) {
      if (!options.follow_symlinks)
        return skipped_input(path, SkipReason::symlink, "not followed (use --follow-symlinks)");
      struct stat st{};
      if (fstatat(dir_fd, e.name.c_str(), &st, 0) != 0)
        return skipped_input(path, SkipReason::unreadable, std::string("broken symlink: ") + std::strerror(errno));
      if (S_ISDIR(st.st_mode)) {
        for (const auto& ancestor : stack_)
          if (ancestor->listing.dev == st.st_dev && ancestor->listing.ino == st.st_ino)
            return skipped_input(path, SkipReason::symlink_loop, "leads back to " + ancestor->request.path);
        subfolder();
        continue;
      }
      if (S_ISREG(st.st_mode)) return file_item(path, f.listing.dir, e.name);
      return skipped_input(path, SkipReason::special_file, "symlink to a fifo, socket or device");
    }
    const GitIgnore& ignore = f.listing.ignore;
    if (options.respect_gitignore && !ignore.empty() && ignore.ignored(relative, e.type == DT_DIR)) continue;
    if (e.type == DT_DIR) {
      if (options.respect_gitignore && e.name == ".git") continue;
      if (!options.git_internals && e.name == ".git")
        return skipped_input(path, SkipReason::git_internals,
                       "a git repository's internals, not read as files: scan its history with `sfmc-scan git`, or pass --include-git-dir");
      subfolder();
      continue;
    }
    if (e.type == DT_REG) return file_item(path, f.listing.dir, e.name);
    return skipped_input(path, SkipReason::special_file, "fifo, socket or device");
  }
}

}  // namespace sfmc
