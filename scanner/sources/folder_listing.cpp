#include "sources/folder_listing.hpp"

#include "sources/pseudo_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sfmc {

namespace {

std::string read_small_file(int dir_fd, const char* name) {
  std::string text;
  int fd = ::openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return text;
  char buf[8192];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return text;
}

}  // namespace

std::string entry_path(const FolderRequest& folder, const std::string& name) {
  if (!folder.path.empty() && folder.path.back() == '/') return folder.path + name;
  return folder.path + "/" + name;
}

std::string entry_relative(const FolderRequest& folder, const std::string& name) {
  return folder.relative.empty() ? name : folder.relative + "/" + name;
}

FolderRequest subfolder_request(const FolderRequest& folder, const FolderListing& listing, const FolderEntry& e) {
  FolderRequest r;
  r.path = entry_path(folder, e.name);
  r.relative = entry_relative(folder, e.name);
  r.parent = listing.dir;
  r.name = e.name;
  r.depth = folder.depth + 1;
  r.root_dev = listing.root_dev;
  r.ignore = listing.ignore;
  return r;
}

FolderListing list_folder(const FolderRequest& request, const WalkRules& rules) {
  FolderListing out;
  out.ignore = request.ignore;
  const char* path = request.path.c_str();
  int fd = request.parent ? ::openat(request.parent->fd, request.name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                          : ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    out.problems.push_back(skipped_input(request.path, SkipReason::unreadable, std::string("cannot open folder: ") + std::strerror(errno)));
    return out;
  }
  // The descriptor's own stat: by path, on s3fs or mountpoint-s3 a stat is a request.
  struct stat st{};
  const bool have_stat = fstat(fd, &st) == 0;
  auto handle = std::make_shared<const DirHandle>(fd, have_stat ? st.st_dev : 0);
  if (have_stat) {
    out.dev = st.st_dev;
    out.ino = st.st_ino;
  }
  out.root_dev = request.depth == 0 ? out.dev : request.root_dev;
  if (rules.options().one_file_system && request.depth > 0 && out.dev != request.root_dev) {
    out.problems.push_back(skipped_input(request.path, SkipReason::other_file_system, "on another file system (--one-file-system)"));
    return out;
  }
  // A folder on its parent's device is on the file system the parent's check vetted: on
  // a FUSE mount each check is a request.
  const bool vetted = request.parent && request.parent->dev != 0 && request.parent->dev == out.dev;
  if (const char* kind = vetted ? nullptr : pseudo_file_system(fd)) {
    out.problems.push_back(skipped_input(request.path, SkipReason::pseudo_file_system,
                                   std::string("a folder on a pseudo file system (") + kind + "): its files are generated, not walked"));
    return out;
  }
  // fdopendir takes the descriptor it is given: hand it a duplicate, keep ours for openat().
  int listing_fd = ::dup(fd);
  DIR* d = listing_fd >= 0 ? fdopendir(listing_fd) : nullptr;
  if (!d) {
    if (listing_fd >= 0) ::close(listing_fd);
    out.problems.push_back(skipped_input(request.path, SkipReason::unreadable, std::string("cannot list folder: ") + std::strerror(errno)));
    return out;
  }
  errno = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.' && (e->d_name[1] == 0 || (e->d_name[1] == '.' && e->d_name[2] == 0))) continue;
    out.entries.push_back({e->d_name, e->d_type, 0});
  }
  if (errno != 0)
    out.problems.push_back(skipped_input(request.path, SkipReason::unreadable, std::string("folder listing incomplete: ") + std::strerror(errno)));
  closedir(d);
  std::sort(out.entries.begin(), out.entries.end(), [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; });
  if (rules.options().respect_gitignore) {
    auto it = std::lower_bound(out.entries.begin(), out.entries.end(), std::string(".gitignore"),
                               [](const FolderEntry& e, const std::string& n) { return e.name < n; });
    if (it != out.entries.end() && it->name == ".gitignore")
      out.ignore = request.ignore.below(request.relative, read_small_file(fd, ".gitignore"));
  }
  out.dir = std::move(handle);
  return out;
}

std::vector<std::size_t> types_to_learn(const FolderListing& listing, const FolderRequest& request, const WalkRules& rules) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < listing.entries.size(); ++i) {
    const FolderEntry& e = listing.entries[i];
    if (e.type != DT_UNKNOWN) continue;
    if (!rules.passed_over(entry_relative(request, e.name), e.name, request.depth + 1)) out.push_back(i);
  }
  return out;
}

void learn_types(FolderListing& listing, const std::size_t* first, const std::size_t* last) {
  for (; first != last; ++first) {
    FolderEntry& e = listing.entries[*first];
    struct stat st{};
    if (fstatat(listing.dir->fd, e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      e.stat_error = errno;
      continue;
    }
    e.type = static_cast<unsigned char>(IFTODT(st.st_mode));
  }
}

}  // namespace sfmc
