#include "cli/progress.hpp"

#include "core/redact.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace sfmc::cli {

ProgressLine::ProgressLine(ScanProgress& progress, bool enabled, Counter count) : progress_(progress) {
  if (!enabled) return;
  // Tests set SFMC_PROGRESS_MS to see the line on a scan that takes milliseconds.
  const char* env = std::getenv("SFMC_PROGRESS_MS");
  const long interval_ms = env ? std::max(1L, std::atol(env)) : 250;
  if (count) counter_ = std::thread([this, count] { count(progress_, stop_); });
  thread_ = std::thread([this, interval_ms] {
    while (!stop_.load()) {
      for (long waited = 0; waited < interval_ms && !stop_.load(); waited += 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10L, interval_ms)));
      if (!stop_.load()) draw();
    }
  });
}

ProgressLine::~ProgressLine() {
  if (!thread_.joinable()) return;
  stop_ = true;
  thread_.join();
  if (counter_.joinable()) counter_.join();
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

void ProgressLine::draw() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  uint64_t bytes = progress_.bytes.load();
  const uint64_t done = progress_.inputs.load(), total = progress_.total_inputs.load();
  char count[96];
  if (total >= done && total > 0) {
    // ETA by inputs: sizes vary, but the rate so far is the best guess there is.
    char eta[32] = "ETA --";
    if (done > 0 && seconds > 1) {
      double left = seconds * static_cast<double>(total - done) / static_cast<double>(done);
      if (left < 3600) std::snprintf(eta, sizeof eta, "ETA %dm%02ds", static_cast<int>(left) / 60, static_cast<int>(left) % 60);
      else std::snprintf(eta, sizeof eta, "ETA %dh%02dm", static_cast<int>(left / 3600), static_cast<int>(left / 60) % 60);
    }
    std::snprintf(count, sizeof count, "%llu/%llu inputs (%.0f%%, %s)", static_cast<unsigned long long>(done),
                  static_cast<unsigned long long>(total), 100.0 * static_cast<double>(done) / static_cast<double>(total), eta);
  } else {
    std::snprintf(count, sizeof count, "%llu inputs", static_cast<unsigned long long>(done));
  }
  // On a network store the sweep waits on requests: how many are under way says whether
  // the store or the scan is the bottleneck.
  char requests[48] = "";
  if (progress_.requests_planned > 0)
    std::snprintf(requests, sizeof requests, ", %u requests in flight", progress_.requests_in_flight.load());
  char head[320];
  std::snprintf(head, sizeof head, "%s, %.1f MB, %.0f MB/s, %llu findings%s  ", count, static_cast<double>(bytes) / 1e6,
                seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0,
                static_cast<unsigned long long>(progress_.findings.load()), requests);
  std::string path;
  {
    std::lock_guard<std::mutex> lock(progress_.mutex);
    path = terminal_text(progress_.current);
  }
  struct winsize ws{};
  std::size_t width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
  std::string line = head;
  std::size_t room = width > line.size() + 1 ? width - line.size() - 1 : 0;
  if (path.size() > room) {
    std::size_t cut = path.size() - (room > 1 ? room - 1 : 0);
    while (cut < path.size() && (static_cast<unsigned char>(path[cut]) & 0xC0) == 0x80) ++cut;  // not mid-character
    path = room > 1 ? "\xE2\x80\xA6" + path.substr(cut) : "";
  }
  line += path;
  std::fprintf(stderr, "\r\x1b[K%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace sfmc::cli
