#include "core/temp_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

namespace sfmc {

int create_temp_beside(const std::string& target, const char* tag, std::string& path) {
  std::string name = target + "." + tag + ".XXXXXX";
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back('\0');
  // mkostemp opens with O_CREAT | O_EXCL (an existing name, a dangling link included,
  // fails), mode 0600: nobody else reads the file while it is written.
  int fd = ::mkostemp(buf.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  path.assign(buf.data());
  return fd;
}

bool publish_mode(int fd, mode_t mode) {
  // What the user's umask gives any new file (umask cannot be read without being set).
  static const mode_t mask = [] {
    const mode_t m = ::umask(0);
    ::umask(m);
    return m;
  }();
  return ::fchmod(fd, mode & ~mask) == 0;
}

bool write_all(int fd, const std::string& content) {
  for (std::size_t done = 0; done < content.size();) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

bool replace_file(const std::string& target, const std::string& content, mode_t mode, bool durable) {
  std::string temp;
  int fd = create_temp_beside(target, "sfmc-tmp", temp);
  if (fd < 0) return false;
  return publish_temp(fd, temp, target, mode, durable, write_all(fd, content));
}

bool publish_temp(int fd, const std::string& temp, const std::string& target, mode_t mode, bool durable, bool written) {
  bool ok = written && (!durable || ::fsync(fd) == 0) && publish_mode(fd, mode);
  int err = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && std::rename(temp.c_str(), target.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(temp.c_str());
    errno = err;
  }
  return ok;
}

std::string planted_link(const std::string& path) {
  struct stat link {};
  if (::lstat(path.c_str(), &link) != 0 || !S_ISLNK(link.st_mode)) return {};
  if (link.st_uid == ::geteuid() || link.st_uid == 0) return {};
  const std::string folder = std::filesystem::path(path).parent_path().string();
  struct stat dir {};
  if (::stat(folder.empty() ? "." : folder.c_str(), &dir) != 0) return {};
  if (!(dir.st_mode & (S_IWGRP | S_IWOTH))) return {};
  return path + " is a symbolic link owned by another user (uid " + std::to_string(link.st_uid) +
         ") in a folder others can write to: refused (remove it, or write elsewhere)";
}

std::optional<std::string> atomic_target(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return std::nullopt;
  // A link of the user's own (or root's) is written through; one someone else planted
  // (in /tmp, say) is replaced by the rename, never followed to a file it points at.
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode) && (link.st_uid == ::geteuid() || link.st_uid == 0)) {
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(path, ec);
    if (!ec) return resolved.string();
  }
  return path;
}

bool write_file_atomically(const std::string& where, const std::string& content) {
  if (!planted_link(where).empty()) {
    errno = EPERM;
    return false;
  }
  const std::optional<std::string> target = atomic_target(where);
  if (!target) {
    std::ofstream out(where, std::ios::binary);
    out << content;
    out.flush();
    return static_cast<bool>(out);
  }
  return replace_file(*target, content);
}

}  // namespace sfmc
