#include "cli/progress.hpp"

#include "core/redact.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace sfmc::cli {

ProgressLine::ProgressLine(ScanProgress& progress, bool enabled) : progress_(progress) {
  if (!enabled) return;
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      for (int i = 0; i < 5 && !stop_.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!stop_.load()) draw();
    }
  });
}

ProgressLine::~ProgressLine() {
  if (!thread_.joinable()) return;
  stop_ = true;
  thread_.join();
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
}

void ProgressLine::draw() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  uint64_t bytes = progress_.bytes.load();
  char head[160];
  std::snprintf(head, sizeof head, "%llu inputs, %.1f MB, %.0f MB/s, %llu findings  ",
                static_cast<unsigned long long>(progress_.inputs.load()), static_cast<double>(bytes) / 1e6,
                seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0,
                static_cast<unsigned long long>(progress_.findings.load()));
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
