#pragma once
// One unit of input handed from enumeration to scanning.
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>

#include "core/finding.hpp"

namespace sfmc {

// An open folder, shared by the items found in it: files are opened with openat()
// relative to it, which spares the kernel a walk of the whole path for every file.
struct DirHandle {
  explicit DirHandle(int f) : fd(f) {}
  ~DirHandle() {
    if (fd >= 0) ::close(fd);
  }
  DirHandle(const DirHandle&) = delete;
  DirHandle& operator=(const DirHandle&) = delete;
  int fd;
};

struct InputItem {
  enum class Kind { file, standard_input, skipped };
  Kind kind = Kind::file;
  std::string path;              // as displayed and reported
  std::shared_ptr<const DirHandle> dir;  // when set, `name` is opened relative to it
  std::string name;
  std::optional<Skipped> skip;   // set for Kind::skipped: enumeration already knows it cannot be scanned
};

}  // namespace sfmc
