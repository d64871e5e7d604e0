#pragma once
// One unit of input handed from enumeration to scanning.
#include <unistd.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/finding.hpp"
#include "match/stream_matcher.hpp"

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
  enum class Kind { file, standard_input, git_blob, skipped };
  Kind kind = Kind::file;
  std::string path;              // as displayed and reported
  std::shared_ptr<const DirHandle> dir;  // when set, `name` is opened relative to it
  std::string name;
  std::array<unsigned char, 20> object_id{};  // Kind::git_blob: the blob's id
  std::optional<Skipped> skip;   // set for Kind::skipped: enumeration already knows it cannot be scanned
};

struct ReadOutcome {
  uint64_t bytes = 0;              // bytes scanned
  bool scanned = false;            // false: nothing was read (skipped, or not content, e.g. a git tree)
  std::optional<Skipped> problem;  // why it was skipped, or why reading stopped early
};

// Reads items into a matcher. Each worker thread owns one (a git reader holds its own
// object-database handle: libgit2's are not to be shared across threads for speed).
class InputReader {
 public:
  virtual ~InputReader() = default;
  // Streams the item through `matcher` and finishes the stream. `max_size` > 0 skips
  // larger inputs without reading them.
  virtual ReadOutcome read(const InputItem& item, StreamMatcher& matcher, const StreamMatcher::Sink& sink,
                           uint64_t max_size) = 0;
};

// Where inputs come from: a file tree, a git object database. Enumeration runs on one
// thread at a time and must be deterministic: it fixes the output order.
class InputSource {
 public:
  virtual ~InputSource() = default;
  virtual std::optional<InputItem> next() = 0;
  virtual std::unique_ptr<InputReader> make_reader() const = 0;
};

}  // namespace sfmc
