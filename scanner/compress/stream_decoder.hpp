#pragma once
// Compressed streams decoded piece by piece, in constant memory, whatever their size:
// gzip (every member of a multi-member file: pigz and bgzip write many), xz, zstd and
// bzip2 (every stream or frame of a concatenated file), and zlib. Push style: the
// caller owns both buffers, so it can feed a file, an archive member or a pipe.
// Damage ends the stream after the bytes that decoded, which the caller still has.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sfmc::compress {

enum class Format { gzip, zlib, xz, zstd, bzip2 };

// The format whose magic `head` starts with (zlib has none: never answered).
std::optional<Format> format_of(std::string_view head);
const char* name_of(Format format);

class StreamDecoder {
 public:
  enum class State {
    more,     // needs more input (or more room)
    end,      // every member ended whole, their checks passed
    damaged,  // bad data, a failing check, a cut stream, or bytes after a member that start none
  };
  // One stream's codec state (ISA-L, liblzma, libzstd, libbz2), behind one interface.
  class Codec;

  explicit StreamDecoder(Format format);
  ~StreamDecoder();
  StreamDecoder(const StreamDecoder&) = delete;
  StreamDecoder& operator=(const StreamDecoder&) = delete;

  // Decodes from `in` (consumed bytes are removed from its front) into out[0..n). Returns
  // the bytes written; 0 while state() is more means `in` is used up.
  std::size_t decode(std::string_view& in, char* out, std::size_t n);
  // The input has ended: a stream that was not at a member's end was cut short (damaged).
  void finish();
  // Back to the start, for the same stream read again.
  void reset();
  State state() const { return state_; }
  const std::string& error() const { return error_; }
  uint64_t total_out() const { return total_out_; }

 private:
  Format format_;
  std::unique_ptr<Codec> codec_;
  State state_ = State::more;
  bool at_member_end_ = false;  // a member ended: more input must start another
  uint64_t total_out_ = 0;
  std::string error_;
};

}  // namespace sfmc::compress
