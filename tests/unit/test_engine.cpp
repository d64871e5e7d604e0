#include <catch2/catch.hpp>

#include <sstream>

#include "report/reporter.hpp"
#include "support.hpp"

using namespace sfmc;
namespace fs = std::filesystem;

namespace {

std::string jsonl_of(const test::TempDir& d, unsigned threads, std::size_t chunk, unsigned io_threads = 0) {
  std::ostringstream out;
  auto reporter = make_reporter(OutputFormat::jsonl, test::bundled_engine().rules(), {}, out);
  ScanOptions o;
  o.paths = {d.path().string()};
  o.threads = threads;
  o.chunk_size = chunk;
  o.io_threads = io_threads;
  test::bundled_engine().scan(o, *reporter);
  std::string text = out.str();
  return text.substr(0, text.rfind("{\"bytes_scanned\""));  // the summary line holds timings
}

}  // namespace

TEST_CASE("output order and content do not depend on thread count, chunk size or prefetching", "[engine]") {
  test::TempDir d;
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {
    std::string text(rng() % 5000, '.');
    for (int k = 0; k < static_cast<int>(rng() % 3); ++k)
      text.insert(rng() % (text.size() + 1), "\n s=" + test::make_token() + "\n");
    std::string name = "d";
    name += std::to_string(i % 7);
    name += "/f";
    name += std::to_string(i);
    name += ".txt";
    d.write(name, text);
  }
  std::string one = jsonl_of(d, 1, 1 << 20);
  CHECK(one.find("\"type\":\"finding\"") != std::string::npos);
  CHECK(jsonl_of(d, 4, 1 << 20) == one);
  CHECK(jsonl_of(d, 2, 100) == one);
  CHECK(jsonl_of(d, 2, 1 << 20, 3) == one);  // prefetching I/O threads change nothing but timing
}

TEST_CASE("per-input problems are reported and the scan goes on", "[engine]") {
  test::TempDir d;
  d.write("a.txt", "s=" + test::make_token() + "\n");
  d.write("big.txt", std::string(5000, 'x') + test::make_token());
  d.write("z.txt", "s=" + test::make_token() + "\n");
  test::CollectingSink sink;
  ScanOptions o;
  // /proc/self/mem opens but fails on read, even for root: a real read error.
  o.paths = {d.path().string(), "/proc/self/mem", (d.path() / "missing").string()};
  o.max_file_size = 1000;
  ScanStats stats = test::bundled_engine().scan(o, sink);

  REQUIRE(sink.results.size() == 5);
  CHECK(sink.results[0].findings.size() == 1);
  CHECK(sink.results[1].skipped->reason == SkipReason::too_large);
  CHECK_FALSE(sink.results[1].scanned);
  CHECK(sink.results[2].findings.size() == 1);
  REQUIRE(sink.results[3].skipped);
  CHECK(sink.results[3].skipped->reason == SkipReason::unreadable);
  CHECK_THAT(sink.results[3].skipped->detail, Catch::Contains("read failed"));
  CHECK(sink.results[4].skipped->reason == SkipReason::not_found);

  CHECK(stats.findings() == 2);
  CHECK(stats.skipped_by_reason[SkipReason::too_large] == 1);
  CHECK(stats.skipped_by_reason[SkipReason::unreadable] == 1);
  CHECK(stats.skipped_by_reason[SkipReason::not_found] == 1);
}

TEST_CASE("binary content is scanned as bytes", "[engine]") {
  test::TempDir d;
  std::mt19937 rng(9);
  std::string bytes(100000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  std::string token = test::make_token();
  bytes.replace(54321, token.size(), token);
  bytes[54321 - 1] = '\0';
  bytes[54321 + 64] = '\0';
  d.write("blob.bin", bytes);
  test::CollectingSink sink;
  ScanOptions o;
  o.paths = {d.path().string()};
  test::bundled_engine().scan(o, sink);
  std::vector<Finding> f = sink.findings();
  REQUIRE(f.size() == 1);
  CHECK(f[0].location.byte_offset == 54321);
  CHECK(f[0].secret == token);
}
