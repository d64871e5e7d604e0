#pragma once
// Where each byte of a quoted-printable body came from in its message: a secret found in
// the decoded text is located at the characters that encode it ("=3D", a soft line
// break inside it), the line a user opens the mail at.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "match/text_position.hpp"

namespace sfmc {

// Decoded bytes mapped to the encoded text, a span at a time: within a span each
// decoded byte stands for `step` encoded characters on one line (1 for a literal byte,
// 3 for "=XX").
class DecodedSpans {
 public:
  struct Span {
    uint64_t decoded = 0;  // first decoded byte of the span
    TextPosition at;       // where it is encoded
    uint32_t step = 1;
  };
  // The first encoded character of decoded byte `k`, and how many encode it.
  TextPosition position_of(uint64_t k, uint32_t* step = nullptr) const;
  bool empty() const { return spans_.empty(); }

  // Decodes `body` (starting at `start` in its message) as quoted-printable (RFC 2045:
  // "=XX", soft line breaks "=" at a line's end) with the position of every byte;
  // nullopt unless that gives exactly `decoded` (what the mail parser decoded), so a
  // finding is never placed by a reading other than the one it was found in.
  static std::optional<DecodedSpans> quoted_printable(std::string_view body, TextPosition start, std::string_view decoded);

 private:
  std::vector<Span> spans_;
};

}  // namespace sfmc
