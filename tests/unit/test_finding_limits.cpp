// Overlapping matches of one rule are merged, and the findings one input can produce
// are bounded (issue 12, item 14): a rule that matches everywhere gives a bounded
// report, not one finding per byte.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "support.hpp"

using namespace sfmc;

namespace {

// Letters and digits drawn at run time: what a runaway rule matches at every byte.
std::string alnum_run(std::size_t n, unsigned seed) {
  static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> pick(0, 61);
  std::string s(n, '0');
  for (char& c : s) c = alphabet[pick(gen)];
  return s;
}

ScanEngine engine_for(const std::string& regex, FindingLimits limits = {}, const std::string& group = "") {
  std::string toml = "[[rules]]\nid = \"r\"\ndescription = \"test rule\"\nregex = '''" + regex + "'''\n";
  if (!group.empty()) toml += "secret_group = \"" + group + "\"\n";
  return ScanEngine(parse_rules(toml, "test.toml"), ChecksumPolicy::report, test::no_cache(), limits);
}

}  // namespace

TEST_CASE("a fixed-width rule over a long run gives non-overlapping findings", "[limits]") {
  ScanEngine engine = engine_for("[0-9A-Za-z]{4096}");
  for (std::size_t len : {20'000u, 100'000u}) {
    for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{5000}}) {
      CAPTURE(len, chunk);
      std::string text = "x=" + alnum_run(len, 7) + "\n";
      ScanEngine::BufferScan got = engine.scan_buffer(text, "long.txt", chunk);
      REQUIRE(got.findings.size() == len / 4096);
      for (std::size_t i = 0; i < got.findings.size(); ++i) {
        CHECK(got.findings[i].location.byte_offset == 2 + i * 4096);
        CHECK(got.findings[i].location.byte_length == 4096);
      }
      CHECK(got.truncated.empty());
    }
  }
}

TEST_CASE("a variable-width rule keeps the longest match from each start", "[limits]") {
  SECTION("a secret group is reported whole, once") {
    ScanEngine engine = engine_for("password=(?<secret>[a-z]{8,64})", {}, "secret");
    // Without merging, every end offset from 8 letters on was a finding of its own.
    std::string word = "abcdefghijklmnop";
    ScanEngine::BufferScan got = engine.scan_buffer("password=" + word + " rest\n", "cfg");
    REQUIRE(got.findings.size() == 1);
    CHECK(got.findings[0].secret == word);
  }
  SECTION("a run longer than the widest match is cut into widest matches") {
    ScanEngine engine = engine_for("[0-9A-Za-z]{20,64}");
    std::string run = alnum_run(200, 3);
    ScanEngine::BufferScan got = engine.scan_buffer("x " + run + " y\n", "run");
    // 64 + 64 + 64, then 8 letters: too short for a fourth.
    REQUIRE(got.findings.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(got.findings[i].secret == run.substr(i * 64, 64));
  }
}

TEST_CASE("findings per input stop at the limit, with a warning", "[limits]") {
  FindingLimits limits;
  limits.max_findings = 3;
  ScanEngine engine = engine_for("KEY_[A-Z]{8}", limits);
  std::string text;
  for (char c = 'A'; c < 'F'; ++c) {
    text += "k=KEY_";
    text.append(8, c);
    text += '\n';
  }
  ScanEngine::BufferScan got = engine.scan_buffer(text, "many");
  REQUIRE(got.findings.size() == 3);
  CHECK(got.findings.back().secret == "KEY_CCCCCCCC");
  CHECK(got.truncated.find("3 findings kept") != std::string::npos);
  CHECK(got.truncated.find("from byte " + std::to_string(text.find("KEY_DDDD"))) != std::string::npos);

  SECTION("the limit is per input, and an input under it reports no warning") {
    ScanEngine::BufferScan few = engine.scan_buffer("a=KEY_ABCDEFGH\n", "few");
    CHECK(few.findings.size() == 1);
    CHECK(few.truncated.empty());
  }
}

TEST_CASE("the bytes held by one input's findings are bounded too", "[limits]") {
  FindingLimits limits;
  limits.max_bytes = 1 << 20;
  ScanEngine engine = engine_for("[0-9A-Za-z]{4096}", limits);
  // 4 MB of one run: ~1000 findings of 4 KB each would hold well over 1 MiB.
  ScanEngine::BufferScan got = engine.scan_buffer(alnum_run(4u << 20, 11), "huge");
  CHECK(!got.truncated.empty());
  CHECK(got.findings.size() > 10);
  CHECK(got.findings.size() < 100);
}
