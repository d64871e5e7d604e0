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

namespace {

// "ETA 1m05s" from the share done in `seconds`: sizes vary, but the rate so far is the
// best guess there is.
std::string eta(double seconds, uint64_t done, uint64_t total) {
  char out[32] = "ETA --";
  if (done > 0 && seconds > 1) {
    double left = seconds * static_cast<double>(total - done) / static_cast<double>(done);
    if (left < 3600) std::snprintf(out, sizeof out, "ETA %dm%02ds", static_cast<int>(left) / 60, static_cast<int>(left) % 60);
    else std::snprintf(out, sizeof out, "ETA %dh%02dm", static_cast<int>(left / 3600), static_cast<int>(left / 60) % 60);
  }
  return out;
}

double percent(uint64_t done, uint64_t total) { return 100.0 * static_cast<double>(done) / static_cast<double>(total); }

}  // namespace

void ProgressLine::draw() {
  const auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(now - started_).count();
  uint64_t bytes = progress_.bytes.load();
  const uint64_t done = progress_.inputs.load(), total = progress_.total_inputs.load();
  const uint64_t repos_done = progress_.repositories_done.load(), repos = progress_.repositories_total.load();
  std::string phase;
  {
    std::lock_guard<std::mutex> lock(progress_.mutex);
    phase = progress_.phase;
  }
  if (phase != phase_) {  // a phase's ETA counts from its own start
    phase_ = phase;
    phase_started_ = now;
  }
  char count[128];
  if (repos > 1) {
    // A fleet: its repositories are what a user waits for (several are swept at once).
    std::snprintf(count, sizeof count, "%llu/%llu repositories (%.0f%%, %s)", static_cast<unsigned long long>(repos_done),
                  static_cast<unsigned long long>(repos), percent(repos_done, repos), eta(seconds, repos_done, repos).c_str());
  } else if (!phase.empty()) {
    // A history sweep: its phase, and how far it is where that can be told.
    const uint64_t work = progress_.work_done.load(), work_total = progress_.work_total.load();
    if (work_total > 0 && work <= work_total)
      std::snprintf(count, sizeof count, "%s %.0f%% (%s), %llu blobs", phase.c_str(), percent(work, work_total),
                    eta(std::chrono::duration<double>(now - phase_started_).count(), work, work_total).c_str(),
                    static_cast<unsigned long long>(done));
    else
      std::snprintf(count, sizeof count, "%s, %llu blobs", phase.c_str(), static_cast<unsigned long long>(done));
  } else if (total >= done && total > 0) {
    std::snprintf(count, sizeof count, "%llu/%llu inputs (%.0f%%, %s)", static_cast<unsigned long long>(done),
                  static_cast<unsigned long long>(total), percent(done, total), eta(seconds, done, total).c_str());
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
  if (repos > 1 || phase.empty()) {  // a history sweep's last blob id would say nothing
    std::lock_guard<std::mutex> lock(progress_.mutex);
    path = terminal_text(repos > 1 ? progress_.repository : progress_.current);
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
