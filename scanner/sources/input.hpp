#pragma once
// One unit of input handed from enumeration to scanning.
#include <sys/types.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "decode/decode_options.hpp"
#include "decode/base64.hpp"
#include "decode/quoted_printable.hpp"
#include "match/stream_matcher.hpp"

namespace sfmc {

class ByteSource;
struct PrefetchedFile;  // sources/prefetch_source.hpp

// An open folder, shared by the items found in it: files are opened with openat()
// relative to it, which spares the kernel a walk of the whole path for every file.
struct DirHandle {
  explicit DirHandle(int f, dev_t d = 0) : fd(f), dev(d) {}
  ~DirHandle() {
    if (fd >= 0) ::close(fd);
  }
  DirHandle(const DirHandle&) = delete;
  DirHandle& operator=(const DirHandle&) = delete;
  int fd;
  // The folder's file system, already vetted (not a pseudo file system): a file on the
  // same device needs no check of its own, one on another (a bind mount) does. 0: unknown.
  dev_t dev;
};

// Where a Kind::bucket_object's bytes come from: its store, with its address and
// credentials; shared by the items of one bucket.
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Bytes [from, from + n) of the object `key` into `out` (an object shorter than that
  // gives fewer); false with `error` in the store's words. With `etag`, only from that
  // version of it: an object rewritten since it was listed is an error, never a read
  // that starts in one version and ends in another.
  virtual bool read(const std::string& key, const std::string& etag, uint64_t from, uint64_t n, std::string& out,
                    std::string& error) const = 0;
  // Which store and bucket this is (the URL of the bucket's root, endpoint included): what
  // a sweep's state (--state) files the objects' versions under. Never holds a credential.
  virtual std::string address() const = 0;
};

struct InputItem {
  // `unchanged`: a bucket object a sweep's state (--state) says an earlier sweep read in
  // full in this version: not read again.
  enum class Kind { file, standard_input, git_blob, bucket_object, skipped, unchanged };
  Kind kind = Kind::file;
  std::string path;              // as displayed and reported
  std::size_t root = 0;          // which command-line path it was found under
  std::string relative;          // its path below that root ("" for the root itself)
  std::shared_ptr<const DirHandle> dir;  // when set, `name` is opened relative to it
  std::string name;
  std::array<unsigned char, 20> object_id{};  // Kind::git_blob: the blob's id
  uint64_t size = 0;                          // Kind::bucket_object: the size the listing gave (name: the key)
  std::shared_ptr<const ObjectStore> store;   // Kind::bucket_object: where it is read from
  int64_t mtime = 0;                          // Kind::bucket_object: LastModified (seconds), 0 if unknown
  std::string etag;                           // Kind::bucket_object: its ETag
  bool had_findings = false;                  // Kind::unchanged: the earlier read of it gave findings
  std::optional<Skipped> skip;   // set for Kind::skipped: enumeration already knows it cannot be scanned
  // --io-threads: the file opened (and its start read) by an I/O thread ahead of the
  // scan, which takes the descriptor rather than opening the file a second time.
  std::shared_ptr<PrefetchedFile> prefetched;
};

// An input enumeration already knows cannot be scanned, with the reason.
inline InputItem skipped_input(std::string path, SkipReason reason, std::string detail) {
  InputItem item;
  item.kind = InputItem::Kind::skipped;
  item.skip = Skipped{path, reason, std::move(detail)};
  item.path = std::move(path);
  return item;
}

// The detail of an io-timeout: the store did not answer within --io-timeout (`doing`
// what, if said).
inline std::string io_timeout_detail(std::chrono::milliseconds deadline, const std::string& doing = {}) {
  return "no answer from the store within " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(deadline).count()) +
         " s" + (doing.empty() ? "" : " " + doing) + " (--io-timeout)";
}

// What is known about one stream of content before it is matched.
struct ContentInfo {
  std::vector<std::string> chain;  // the input's path, then member paths inside containers
  std::string encoding = "utf-8";  // utf-8 (text as bytes), utf-16le, utf-16be, binary, base64, quoted-printable
  int64_t mtime = 0;               // the file's modification time (seconds), 0 if unknown
  std::string etag;                // a bucket object's ETag: the version read (S3, GCS), "" for files
  // Set when this stream is text decoded in place (a base64 run): its findings are
  // located at the encoded characters in the container, where a user edits them.
  // `exact` is false when the container was itself decoded in place: then only the
  // start of the outermost run is known.
  struct InPlace {
    EncodedGeometry geometry;
    bool exact = true;
    // How many entries at the end of `chain` are runs decoded in place ("base64@9:11"):
    // layers of encoding, not containers a user opens. Findings name the container and
    // say the layers apart (Finding::decoded).
    std::size_t layers = 1;
    // A quoted-printable body's map from decoded bytes to the message's characters; when
    // set, positions come from it rather than from `geometry` (base64's 3 bytes in 4).
    std::shared_ptr<const DecodedSpans> spans;
  };
  std::optional<InPlace> in_place;

  std::string display_path() const;  // "outer.zip!inner/x.properties"
};

// Given by the engine to a reader for one input: the reader opens one content stream
// after another (the file itself, or each member of an archive), writes its bytes, and
// each stream becomes one result. One stream is open at a time.
class InputContext {
 public:
  virtual ~InputContext() = default;
  virtual uint64_t max_size() const = 0;  // 0: no limit
  virtual const DecodeOptions& decode_options() const = 0;
  virtual void begin(ContentInfo info) = 0;
  // Like begin(), for a stream whose bytes are `source`'s own, read again from the start
  // if it must be (the context pass; see ScanEngine::findings_database). The bytes
  // already read into write_area() are this stream's.
  virtual void begin_rewindable(ContentInfo info, ByteSource& source) {
    (void)source;
    begin(std::move(info));
  }
  virtual std::span<char> write_area() = 0;
  virtual void commit(std::size_t n) = 0;
  // The line and column of a byte of the open stream that is still in the matcher's
  // buffer (the bytes of the last commit are).
  virtual TextPosition position_at(uint64_t offset) = 0;
  // Ends the open stream; `problem` (if any) is reported with its findings.
  virtual void end(uint64_t bytes, std::optional<Skipped> problem = std::nullopt) = 0;
  // A result without content: something skipped, a warning about a container.
  virtual void note(Skipped problem, std::vector<std::string> chain = {}) = 0;
  // A decoded layer (a base64 run) whose bytes start like an archive and are not one:
  // its bytes are matched, nothing is lost, so it is counted (--stats), not reported.
  virtual void decoded_not_archive() {}
};

// Reads items into content streams. Each worker thread owns one (a git reader holds its
// own object-database handle).
class InputReader {
 public:
  virtual ~InputReader() = default;
  virtual void read(const InputItem& item, InputContext& ctx) = 0;
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
