#include "decode/decompressing_source.hpp"

namespace sfmc {

ssize_t DecompressingSource::read(char* buf, std::size_t n) {
  using State = compress::StreamDecoder::State;
  while (decoder_.state() == State::more) {
    if (pending_.empty() && !input_ended_) {
      ssize_t got = compressed_.read(buffer_.data(), buffer_.size());
      if (got < 0) return -1;
      if (got == 0)
        input_ended_ = true;
      else
        pending_ = std::string_view(buffer_.data(), static_cast<std::size_t>(got));
    }
    const std::size_t made = decoder_.decode(pending_, buf, n);
    if (made > 0) return static_cast<ssize_t>(made);
    if (pending_.empty() && input_ended_) decoder_.finish();
  }
  return 0;
}

bool DecompressingSource::rewind() {
  if (!compressed_.rewind()) return false;
  decoder_.reset();
  pending_ = {};
  input_ended_ = false;
  return true;
}

}  // namespace sfmc
