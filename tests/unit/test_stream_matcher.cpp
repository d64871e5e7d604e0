#include <catch2/catch.hpp>

#include "match/text_position.hpp"
#include "support.hpp"

using namespace sfmc;

namespace {

// Line and column computed the slow, obvious way, to check the matcher's bookkeeping.
std::pair<uint64_t, uint64_t> naive_position(const std::string& text, std::size_t offset) {
  uint64_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

// Text with CRLF and LF line ends and multi-byte UTF-8, cut to exactly n bytes.
std::string filler(std::size_t n) {
  static const std::string unit = "key = 1;\r\n// caf\xC3\xA9 \xE2\x82\xAC x\n  v=\"";
  std::string out;
  while (out.size() < n) out += unit;
  out.resize(n);
  // Never end inside a multi-byte character: the token's column would be ill-defined.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.back() = '.';
  return out;
}

}  // namespace

TEST_CASE("a token is found exactly once at every offset around chunk boundaries", "[matcher][property]") {
  const ScanEngine& engine = test::bundled_engine();
  for (std::size_t chunk : {64u, 100u, 257u}) {
    for (std::size_t at = 0; at <= 3 * chunk + 3; ++at) {
      std::string token = test::make_token();
      std::string text = filler(at) + token + "\"" + filler(2 * chunk);
      INFO("chunk " << chunk << ", token at byte " << at);
      std::vector<Finding> f = engine.scan_buffer(text, "t", chunk).findings;
      REQUIRE(f.size() == 1);
      CHECK(f[0].verdict == Verdict::checksum_valid);
      CHECK(f[0].secret == token);
      CHECK(f[0].location.byte_offset == at);
      CHECK(f[0].location.byte_length == 64);
      auto [line, column] = naive_position(text, at);
      CHECK(f[0].location.line == line);
      CHECK(f[0].location.column == column);
      CHECK(f[0].location.end_line == line);
      CHECK(f[0].location.end_column == column + 64);
    }
  }
}

TEST_CASE("an alphanumeric in the next chunk still disqualifies a token", "[matcher][property]") {
  const ScanEngine& engine = test::bundled_engine();
  for (std::size_t chunk : {64u, 100u}) {
    for (std::size_t at = 0; at <= 2 * chunk; ++at) {
      std::string text = filler(at) + test::make_token() + "A" + filler(chunk);
      INFO("chunk " << chunk << ", token at byte " << at);
      CHECK(engine.scan_buffer(text, "t", chunk).findings.empty());
    }
  }
}

TEST_CASE("a token at the very end of the stream is found", "[matcher]") {
  const ScanEngine& engine = test::bundled_engine();
  for (std::size_t chunk : {64u, 128u, 1u << 20}) {
    std::string token = test::make_token();
    std::string text = filler(3 * 64 + 5) + token;
    std::vector<Finding> f = engine.scan_buffer(text, "t", chunk).findings;
    REQUIRE(f.size() == 1);
    CHECK(f[0].location.byte_offset == text.size() - 64);
    CHECK(engine.scan_buffer(token, "t", chunk).findings.size() == 1);
  }
}

TEST_CASE("CRLF line ends count once and columns count code points", "[matcher]") {
  const ScanEngine& engine = test::bundled_engine();
  std::string token = test::make_token();
  std::vector<Finding> f = engine.scan_buffer("a\r\nbb\r\n\tx=" + token + "\r\n", "t").findings;
  REQUIRE(f.size() == 1);
  CHECK(f[0].location.line == 3);
  CHECK(f[0].location.column == 4);
  // é, €, an emoji and a space: four characters, nine bytes.
  f = engine.scan_buffer("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 " + token, "t").findings;
  REQUIRE(f.size() == 1);
  CHECK(f[0].location.line == 1);
  CHECK(f[0].location.column == 5);
  CHECK(f[0].location.byte_offset == 10);
}

TEST_CASE("text positions advance the same in one step or many", "[matcher]") {
  std::string text = filler(5000);
  TextPosition whole;
  advance(whole, text.data(), text.size());
  TextPosition pieces;
  for (std::size_t i = 0; i < text.size(); i += 37) advance(pieces, text.data() + i, std::min<std::size_t>(37, text.size() - i));
  auto [line, column] = naive_position(text, text.size());
  CHECK(whole.line == line);
  CHECK(whole.column == column);
  CHECK(pieces.line == line);
  CHECK(pieces.column == column);
  CHECK(whole.offset == text.size());
}

TEST_CASE("many tokens in one chunk and across chunks keep their positions", "[matcher]") {
  const ScanEngine& engine = test::bundled_engine();
  std::string text;
  std::vector<std::size_t> offsets;
  for (int i = 0; i < 200; ++i) {
    text += filler(17 + (i * 31) % 150);
    offsets.push_back(text.size());
    text += test::make_token() + ",";
  }
  for (std::size_t chunk : {64u, 1000u, 1u << 20}) {
    std::vector<Finding> f = engine.scan_buffer(text, "t", chunk).findings;
    REQUIRE(f.size() == offsets.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
      auto [line, column] = naive_position(text, offsets[i]);
      CHECK(f[i].location.byte_offset == offsets[i]);
      CHECK(f[i].location.line == line);
      CHECK(f[i].location.column == column);
    }
  }
}
