#include "decode/quoted_printable.hpp"

#include <algorithm>
#include <string>

namespace sfmc {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

TextPosition DecodedSpans::position_of(uint64_t k, uint32_t* step) const {
  auto it = std::upper_bound(spans_.begin(), spans_.end(), k, [](uint64_t v, const Span& s) { return v < s.decoded; });
  const Span& s = it == spans_.begin() ? spans_.front() : *std::prev(it);
  const uint64_t in = k > s.decoded ? (k - s.decoded) * s.step : 0;
  if (step) *step = s.step;
  return {s.at.offset + in, s.at.line, s.at.column + in};
}

std::optional<DecodedSpans> DecodedSpans::quoted_printable(std::string_view body, TextPosition start, std::string_view decoded) {
  DecodedSpans out;
  std::string bytes;
  bytes.reserve(decoded.size());
  TextPosition at = start;
  // A new span from here, unless the last one goes on as it is.
  auto span = [&](uint32_t step) {
    if (!out.spans_.empty() && out.spans_.back().decoded == bytes.size()) out.spans_.pop_back();
    if (!out.spans_.empty() && out.spans_.back().step == step && step == 1 && out.spans_.back().at.line == at.line) return;
    out.spans_.push_back({bytes.size(), at, step});
  };
  auto next_line = [&](std::size_t skip) {
    at.offset += skip;
    ++at.line;
    at.column = 1;
  };
  span(1);
  for (std::size_t i = 0; i < body.size();) {
    const char c = body[i];
    if (c == '=' && i + 1 < body.size() && body[i + 1] == '\n') {  // a soft line break
      next_line(2);
      i += 2;
      span(1);
      continue;
    }
    if (c == '=' && i + 2 < body.size() && body[i + 1] == '\r' && body[i + 2] == '\n') {
      next_line(3);
      i += 3;
      span(1);
      continue;
    }
    if (c == '=' && i + 2 < body.size() && hex_value(body[i + 1]) >= 0 && hex_value(body[i + 2]) >= 0) {
      span(3);
      bytes += static_cast<char>(hex_value(body[i + 1]) * 16 + hex_value(body[i + 2]));
      at.offset += 3;
      at.column += 3;
      i += 3;
      span(1);
      continue;
    }
    bytes += c;
    ++i;
    if (c == '\n') {
      next_line(1);
      span(1);
    } else {
      ++at.offset;
      ++at.column;
    }
  }
  if (!out.spans_.empty() && out.spans_.back().decoded == bytes.size() && out.spans_.size() > 1) out.spans_.pop_back();
  if (bytes != decoded) return std::nullopt;
  return out;
}

}  // namespace sfmc
