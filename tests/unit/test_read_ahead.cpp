#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "sources/read_ahead_source.hpp"
#include "support.hpp"

using namespace sfmc;

namespace {

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(gen());
  return s;
}

// Each task on a thread of its own, as the prefetcher's pool would run it.
IoRunner threads_runner(std::atomic<int>* ran = nullptr) {
  IoRunner io;
  io.run = [ran](std::function<bool()> task) {
    if (ran) ++*ran;
    std::thread([t = std::move(task)] { t(); }).detach();
    return true;
  };
  return io;
}

std::string read_all(ByteSource& src, std::size_t buffer, bool& failed) {
  std::string out, buf(buffer, '\0');
  failed = false;
  for (;;) {
    const ssize_t n = src.read(buf.data(), buf.size());
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0) break;
    out.append(buf.data(), static_cast<std::size_t>(n));
  }
  return out;
}

int open_file(const std::string& path) { return ::open(path.c_str(), O_RDONLY | O_CLOEXEC); }

}  // namespace

TEST_CASE("a file read in ranges ahead gives its bytes past the start, in order, and again after a rewind", "[read_ahead]") {
  test::TempDir d;
  const std::string content = random_bytes(3 * ReadAheadSource::kRange + 12345, 7);
  d.write("big.bin", content);
  const std::size_t start = ReadAheadSource::kRange;
  std::atomic<int> ran{0};
  ReadAheadSource src(open_file((d.path() / "big.bin").string()), content.size(), start, threads_runner(&ran));
  bool failed = false;
  CHECK(read_all(src, 70001, failed) == content.substr(start));
  CHECK_FALSE(failed);
  CHECK(ran == 3);  // one request per range past the start
  REQUIRE(src.rewind());
  CHECK(read_all(src, 1 << 16, failed) == content);
  CHECK_FALSE(failed);
  CHECK(src.size_hint() == content.size());
}

TEST_CASE("ranges are read by the caller when no I/O thread will take them", "[read_ahead]") {
  test::TempDir d;
  const std::string content = random_bytes(2 * ReadAheadSource::kRange + 5, 8);
  d.write("f.bin", content);
  IoRunner refusing;
  refusing.run = [](std::function<bool()>) { return false; };  // a pool that is stopping
  ReadAheadSource src(open_file((d.path() / "f.bin").string()), content.size(), 100, refusing);
  bool failed = false;
  CHECK(read_all(src, 1 << 20, failed) == content.substr(100));
  CHECK_FALSE(failed);
}

TEST_CASE("a file shorter than when it was opened ends where its bytes end", "[read_ahead]") {
  test::TempDir d;
  const std::string content = random_bytes(ReadAheadSource::kRange + 1000, 9);
  d.write("shrunk.bin", content);
  ReadAheadSource src(open_file((d.path() / "shrunk.bin").string()), 5 * ReadAheadSource::kRange, 0, threads_runner());
  bool failed = false;
  CHECK(read_all(src, 1 << 16, failed) == content);
  CHECK_FALSE(failed);
}

TEST_CASE("a range the store does not answer within the deadline cuts the file: timed out, not damaged", "[read_ahead]") {
  test::TempDir d;
  const std::string content = random_bytes(3 * ReadAheadSource::kRange, 10);
  d.write("slow.bin", content);
  // Tasks are held, as requests a store never answers; they run after the source is gone.
  std::mutex m;
  std::vector<std::function<bool()>> held;
  std::vector<bool> gave_up;
  IoRunner io;
  io.deadline = std::chrono::milliseconds(50);
  io.run = [&](std::function<bool()> task) {
    std::lock_guard<std::mutex> lock(m);
    held.push_back(std::move(task));
    return true;
  };
  io.gave_up = [&](bool stuck) { gave_up.push_back(stuck); };
  {
    ReadAheadSource src(open_file((d.path() / "slow.bin").string()), content.size(), 0, io);
    char buf[4096];
    CHECK(src.read(buf, sizeof buf) == -1);
    CHECK(src.timed_out());
    CHECK_THAT(src.error(), Catch::Matchers::Contains("--io-timeout"));
    CHECK(src.read(buf, sizeof buf) == -1);  // cut: no more bytes, no second wait
    REQUIRE(gave_up.size() == 1);
    CHECK_FALSE(gave_up[0]);  // no thread had started on it
  }
  // The requests the source dropped end at once when a thread comes to them, and close
  // nothing twice.
  REQUIRE(held.size() == 3);  // the file's three ranges, within kAhead
  for (auto& task : held) CHECK(task());
}

TEST_CASE("a read that fails is an error with the system's words, not a timeout", "[read_ahead]") {
  test::TempDir d;
  d.write("w.bin", std::string(2 * ReadAheadSource::kRange, 'x'));
  const int fd = ::open(((d.path() / "w.bin").string()).c_str(), O_WRONLY | O_CLOEXEC);  // pread: EBADF
  REQUIRE(fd >= 0);
  ReadAheadSource src(fd, 2 * ReadAheadSource::kRange, 0, threads_runner());
  char buf[4096];
  CHECK(src.read(buf, sizeof buf) == -1);
  CHECK_FALSE(src.timed_out());
  CHECK_FALSE(src.error().empty());
}
