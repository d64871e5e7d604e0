#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <tuple>

#include "decode/base64.hpp"
#include "decode/quoted_printable.hpp"
#include "testing/positions_only.hpp"
#include "decode/sniff.hpp"
#include "decode/utf16.hpp"
#include "sources/input.hpp"

using namespace sfmc;

namespace {

std::string utf16(std::u16string_view text, bool big_endian, bool bom) {
  std::string out;
  auto put = [&](char16_t u) {
    char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += big_endian ? hi : lo;
    out += big_endian ? lo : hi;
  };
  if (bom) put(0xFEFF);
  for (char16_t u : text) put(u);
  return out;
}

}  // namespace

TEST_CASE("UTF-16 decodes to UTF-8 whatever the chunk boundaries", "[decode]") {
  // ASCII, é, €, and an emoji as a surrogate pair.
  const std::u16string text = u"key=caf\u00e9 \u20ac \U0001F600\r\nnext";
  const std::string want = "key=caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\r\nnext";
  for (bool be : {false, true}) {
    for (bool bom : {false, true}) {
      std::string bytes = utf16(text, be, bom);
      for (std::size_t cut = 1; cut <= bytes.size(); ++cut) {  // every chunk size
        Utf16Decoder d(be);
        std::string out;
        for (std::size_t i = 0; i < bytes.size(); i += cut) d.decode(std::string_view(bytes).substr(i, cut), out);
        d.finish(out);
        INFO("big endian " << be << ", bom " << bom << ", chunk " << cut);
        REQUIRE(out == want);
      }
    }
  }
}

TEST_CASE("broken UTF-16 becomes U+FFFD, never garbage or a crash", "[decode]") {
  Utf16Decoder d(false);
  std::string out;
  d.decode(std::string("\x00\xD8" "A\x00", 4), out);  // a high surrogate followed by 'A'
  d.decode(std::string("\x00\xDC", 2), out);          // a lone low surrogate
  d.decode(std::string("B", 1), out);                 // an odd byte at the end
  d.finish(out);
  CHECK(out == "\xEF\xBF\xBD" "A" "\xEF\xBF\xBD" "\xEF\xBF\xBD");
}

TEST_CASE("content is recognised by its bytes, not its name", "[decode]") {
  using namespace std::string_literals;
  CHECK(sniff("PK\x03\x04rest"s) == ContentKind::archive);
  CHECK(sniff("\x1f\x8b\x08\x00"s) == ContentKind::archive);
  CHECK(sniff("BZh91AY"s) == ContentKind::archive);
  CHECK(sniff("\xfd" "7zXZ\x00\x00"s) == ContentKind::archive);
  CHECK(sniff("\x28\xb5\x2f\xfd"s) == ContentKind::archive);
  std::string tar(512, '\0');
  tar.replace(257, 5, "ustar");
  CHECK(sniff(tar) == ContentKind::archive);
  CHECK(sniff(utf16(u"plain ascii text in utf-16", false, false)) == ContentKind::utf16le);
  CHECK(sniff(utf16(u"plain ascii text in utf-16", true, false)) == ContentKind::utf16be);
  CHECK(sniff(utf16(u"x", false, true)) == ContentKind::utf16le);
  CHECK(sniff(utf16(u"x", true, true)) == ContentKind::utf16be);
  CHECK(sniff("just text\nwith lines\n") == ContentKind::text);
  CHECK(sniff("\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00"s) == ContentKind::binary);
  CHECK(sniff("") == ContentKind::text);
  // Little-endian 16-bit numbers below 256 have a NUL in every other byte, but are not text.
  std::string numbers;
  for (int i = 0; i < 1000; ++i) {
    numbers += static_cast<char>((i * 37) % 256);
    numbers += '\0';
  }
  CHECK(sniff(numbers) == ContentKind::binary);
}

TEST_CASE("a base64 run starting within 40 bytes of a chunk's end, at a dense block, is found from its start", "[decode][base64]") {
  // Found by fuzz_decode (ASan: a read past the chunk). Chunk 1 is 64 spaces and the
  // first 36 characters of a 200-character run; the bytes after the chunk in memory are
  // spaces, so the probe past its end saw no alphabet and the run was taken to start
  // in chunk 2, 36 characters late.
  const std::string run(200, 'A');
  const std::string buffer = std::string(64, ' ') + run.substr(0, 36) + std::string(64, ' ');
  Base64RunFinder finder(1 << 20);
  PositionsOnly ctx;
  finder.feed(std::string_view(buffer.data(), 100), 0, ctx);
  const std::string rest = run.substr(36) + "\n";
  finder.feed(rest, 100, ctx);
  finder.finish(ctx);
  REQUIRE(finder.runs().size() == 1);
  CHECK(finder.runs()[0].geometry.at.offset == 64);
  CHECK(finder.runs()[0].decoded.size() == 150);
}

TEST_CASE("the base64 search stops at exactly the runs worth walking, in each of its forms", "[decode][base64]") {
  // Text of runs of every length around the thresholds (39 and 40 characters, the
  // 86 that can hold a token, lines that may wrap), between separators that end a run
  // or may continue one: line breaks, escapes, padding, bytes of 0x80 and up. The
  // search is held to a plain reading of its rule, from every kind of starting point.
  std::mt19937 rng(40);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
  const std::string separators = " \n\r\\=.,\"\x80\xff\t";
  auto is_alpha = [&](char c) { return alphabet.find(c) != std::string::npos; };
  // The first run starting at or after `from` that reaches the end, holds 86 characters
  // or may wrap (40 or more, a multiple of 4, then a line break or an escape).
  auto expected = [&](const std::string& t, std::size_t from) {
    std::size_t pos = from;
    for (;;) {
      while (pos < t.size() && !is_alpha(t[pos])) ++pos;
      if (pos >= t.size()) return t.size();
      std::size_t e = pos;
      while (e < t.size() && is_alpha(t[e])) ++e;
      const std::size_t len = e - pos;
      if (e == t.size() || len >= Base64RunFinder::kMinRun) return pos;
      if (len >= 40 && len % 4 == 0 && (t[e] == '\n' || t[e] == '\r' || t[e] == '\\')) return pos;
      pos = e;
    }
  };
  std::size_t kept = 0, passed_over_long = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t size = 1 + rng() % 1500;
    while (text.size() < size) {
      const unsigned pick = rng() % 8;
      const std::size_t len = pick == 0 ? 36 + rng() % 8 : pick == 1 ? 80 + rng() % 12 : pick == 2 ? 4 * (10 + rng() % 12) : 1 + rng() % 30;
      for (std::size_t k = 0; k < len; ++k) text += alphabet[rng() % alphabet.size()];
      text += separators[rng() % separators.size()];
    }
    if (rng() % 2) text.pop_back();  // ends inside a run
    for (std::size_t from : {std::size_t{0}, static_cast<std::size_t>(rng() % text.size()), text.size() - 1}) {
      const std::size_t want = expected(text, from);
      const std::size_t wide = base64_next_run(text, from, base64_search_levels().back());
      INFO("round " << round << ", from " << from << ", size " << text.size());
      for (Base64Search search : base64_search_levels()) CHECK(base64_next_run(text, from, search) == wide);
      if (want < text.size()) {
        std::size_t e = want;
        while (e < text.size() && is_alpha(text[e])) ++e;
        // A run that reaches the end may be left to feed()'s look at the chunk's last
        // characters.
        if (e == text.size() && wide == text.size()) continue;
        if (e - want >= 40) ++kept;
      }
      CHECK(wide == want);
    }
    for (std::size_t k = 0; k + 40 < text.size(); ++k)
      if (std::all_of(text.begin() + k, text.begin() + k + 40, is_alpha)) {
        ++passed_over_long;
        break;
      }
  }
  CHECK(kept > 1000);  // the text exercises what it is meant to
  CHECK(passed_over_long > 1000);
}

TEST_CASE("base64 runs on one line are found and decoded whole, whatever the chunks", "[decode][base64]") {
  // Text of alphabet runs of every length between separators: identifiers too short to
  // hold a token, runs just under and over the 86 characters that can, padded ends, and
  // a run starting right after another's padding. The finder must report exactly the
  // maximal runs of 86 characters or more, at their offsets, decoded.
  std::mt19937 rng(86);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string separators = " \t\",:;(){}";
  for (int round = 0; round < 200; ++round) {
    std::string text;
    std::vector<std::pair<uint64_t, std::string>> want;  // (offset, characters)
    while (text.size() < 4000) {
      const std::size_t len = rng() % 4 == 0 ? 80 + rng() % 20 : rng() % 3 == 0 ? 86 + rng() % 400 : 1 + rng() % 60;
      std::string run;
      for (std::size_t k = 0; k < len; ++k) run += alphabet[rng() % alphabet.size()];
      if (len >= Base64RunFinder::kMinRun) want.emplace_back(text.size(), run);
      text += run;
      text += rng() % 5 == 0 ? '=' : separators[rng() % separators.size()];
    }
    for (std::size_t chunk : {std::size_t{7}, std::size_t{64}, std::size_t{1000}, text.size()}) {
      Base64RunFinder finder(1 << 20);
      PositionsOnly ctx;
      for (std::size_t at = 0; at < text.size(); at += chunk)
        finder.feed(std::string_view(text).substr(at, chunk), at, ctx);
      finder.finish(ctx);
      const std::vector<EncodedRun> runs = finder.runs();
      INFO("round " << round << ", chunks of " << chunk);
      REQUIRE(runs.size() == want.size());
      for (std::size_t k = 0; k < runs.size(); ++k) {
        CHECK(runs[k].geometry.at.offset == want[k].first);
        CHECK(runs[k].decoded == decode_base64(want[k].second));
      }
    }
  }
}

TEST_CASE("quoted-printable bytes are mapped to the characters that encode them", "[decode][quoted_printable]") {
  // "ab=3Dc=\r\nde\r\nf": a=1:1 b=1:2 '='=1:3..5 c=1:6, soft break, d=2:1 e=2:2, "\r\n", f=3:1
  const std::string body = "ab=3Dc=\r\nde\r\nf";
  TextPosition start;
  start.offset = 100;
  start.line = 7;
  start.column = 1;
  std::optional<DecodedSpans> spans = DecodedSpans::quoted_printable(body, start, "ab=cde\r\nf");
  REQUIRE(spans);
  auto at = [&](uint64_t k) {
    uint32_t step = 0;
    const TextPosition p = spans->position_of(k, &step);
    return std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(p.line, p.column, p.offset, step);
  };
  CHECK(at(0) == std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(7, 1, 100, 1));
  CHECK(at(2) == std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(7, 3, 102, 3));  // "=3D"
  CHECK(at(3) == std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(7, 6, 105, 1));
  CHECK(at(4) == std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(8, 1, 109, 1));  // after the soft break
  CHECK(at(5) == std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(8, 2, 110, 1));
  CHECK(at(8) == std::tuple<uint64_t, uint64_t, uint64_t, uint32_t>(9, 1, 113, 1));  // after a hard break
  // A body the parser decoded otherwise is not mapped: a finding is never placed by
  // another reading than its own.
  CHECK_FALSE(DecodedSpans::quoted_printable(body, start, "ab=cde\nf"));
}
