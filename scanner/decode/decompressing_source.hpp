#pragma once
// A compressed stream read as its decompressed bytes, in constant memory: a .gz, .xz,
// .zst or .bz2 file of any size, every member of a multi-member one. A damaged or cut
// stream ends after the bytes that decoded (damaged() and damage() say so), so those
// are still matched.
#include <string>

#include "compress/stream_decoder.hpp"
#include "decode/byte_source.hpp"

namespace sfmc {

class DecompressingSource final : public ByteSource {
 public:
  DecompressingSource(ByteSource& compressed, compress::Format format) : compressed_(compressed), decoder_(format) {}
  // Decompressed bytes; 0 at the end, and at damage; -1 when the compressed source fails.
  ssize_t read(char* buf, std::size_t n) override;
  bool rewind() override;
  bool can_rewind() const override { return compressed_.can_rewind(); }
  std::string error() const override { return compressed_.error(); }
  bool timed_out() const override { return compressed_.timed_out(); }
  bool damaged() const { return decoder_.state() == compress::StreamDecoder::State::damaged; }
  const std::string& damage() const { return decoder_.error(); }

 private:
  ByteSource& compressed_;
  compress::StreamDecoder decoder_;
  std::string buffer_ = std::string(256u << 10, '\0');
  std::string_view pending_;  // compressed bytes read, not decoded yet
  bool input_ended_ = false;
};

}  // namespace sfmc
