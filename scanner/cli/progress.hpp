#pragma once
// A one-line progress display on stderr, redrawn a few times a second while a sweep
// runs: inputs, bytes, rate, findings so far, the current path.
#include <atomic>
#include <chrono>
#include <thread>

#include "engine/scan_engine.hpp"

namespace sfmc::cli {

class ProgressLine {
 public:
  // Draws only when `enabled` (stderr is a terminal and --no-progress is not given).
  ProgressLine(ScanProgress& progress, bool enabled);
  ~ProgressLine();  // stops and clears the line

 private:
  void draw();
  ScanProgress& progress_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sfmc::cli
