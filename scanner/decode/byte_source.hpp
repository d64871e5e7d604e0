#pragma once
// Where the decoding layer pulls bytes from: a file, memory (a git blob), an archive
// member. Pull-based, so an archive nested in an archive reads straight from its parent.
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sfmc {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to n bytes into buf; 0 at the end; -1 on error (error() says why).
  virtual ssize_t read(char* buf, std::size_t n) = 0;
  // Back to the first byte, if this source can (files and memory can, archive members not).
  virtual bool rewind() { return false; }
  virtual bool can_rewind() const { return false; }
  virtual std::string error() const { return {}; }
  // Total size when known up front (a file's size), else 0.
  virtual uint64_t size_hint() const { return 0; }
  // The last read failed because a store did not answer within --io-timeout: the input
  // was cut there (io-timeout), not damaged (unreadable).
  virtual bool timed_out() const { return false; }
};

class FdSource final : public ByteSource {
 public:
  // `regular_file`: the caller has seen (fstat) that fd is a regular file, which can be
  // read again; otherwise (standard input) lseek is asked whether it can.
  FdSource(int fd, uint64_t size, bool regular_file);
  ssize_t read(char* buf, std::size_t n) override;
  bool rewind() override;
  bool can_rewind() const override { return seekable_; }  // a file, not a pipe (standard input)
  std::string error() const override { return error_; }
  uint64_t size_hint() const override { return size_; }

 private:
  int fd_;
  uint64_t size_;
  bool seekable_;
  std::string error_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string_view data) : data_(data) {}
  ssize_t read(char* buf, std::size_t n) override;
  bool rewind() override {
    at_ = 0;
    return true;
  }
  bool can_rewind() const override { return true; }
  uint64_t size_hint() const override { return data_.size(); }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
};

// The bytes already peeked at, then the rest of the source. The prefix must be the
// first bytes `rest` gave: rewinding rewinds `rest`, which then gives them again.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string_view prefix, ByteSource& rest) : prefix_(prefix), rest_(rest) {}
  ssize_t read(char* buf, std::size_t n) override;
  bool rewind() override;
  bool can_rewind() const override { return rest_.can_rewind(); }
  uint64_t size_hint() const override { return rest_.size_hint(); }
  std::string error() const override { return rest_.error(); }
  bool timed_out() const override { return rest_.timed_out(); }

 private:
  std::string_view prefix_;
  std::size_t at_ = 0;
  ByteSource& rest_;
};

// Another source, offered as one that cannot rewind, so that nobody reads it twice:
// for a source whose rewinding is costly (a decompressed stream decodes again from its
// start). The matcher then keeps what it needs in one pass.
class OnePassSource final : public ByteSource {
 public:
  explicit OnePassSource(ByteSource& inner) : inner_(inner) {}
  ssize_t read(char* buf, std::size_t n) override { return inner_.read(buf, n); }
  std::string error() const override { return inner_.error(); }
  uint64_t size_hint() const override { return inner_.size_hint(); }
  bool timed_out() const override { return inner_.timed_out(); }

 private:
  ByteSource& inner_;
};

// At most `limit` bytes of another source; past that it ends, and says so (truncated()).
class BoundedSource final : public ByteSource {
 public:
  BoundedSource(ByteSource& inner, uint64_t limit) : inner_(inner), limit_(limit) {}
  ssize_t read(char* buf, std::size_t n) override;
  bool rewind() override {
    if (!inner_.rewind()) return false;
    at_ = 0;
    return true;
  }
  bool can_rewind() const override { return inner_.can_rewind(); }
  std::string error() const override { return inner_.error(); }
  bool timed_out() const override { return inner_.timed_out(); }
  bool truncated() const { return truncated_; }

 private:
  ByteSource& inner_;
  uint64_t limit_;
  uint64_t at_ = 0;
  bool truncated_ = false;
};

}  // namespace sfmc
