#pragma once
// A one-line progress display on stderr, redrawn a few times a second while a sweep
// runs: inputs (a history sweep's phase; a fleet's repositories), bytes, rate, findings
// so far, the current path (a fleet's repository).
#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "engine/scan_engine.hpp"

namespace sfmc::cli {

class ProgressLine {
 public:
  // Counts what is to come, beside the scan, until done or `stop` is set; sets
  // progress.total_inputs when it finishes.
  using Counter = std::function<void(ScanProgress& progress, const std::atomic<bool>& stop)>;
  // Draws only when `enabled` (stderr is a terminal and --no-progress is not given);
  // with a total from `count`, also "n/N inputs" and an ETA.
  ProgressLine(ScanProgress& progress, bool enabled, Counter count = {});
  ~ProgressLine();  // stops and clears the line

 private:
  void draw();
  ScanProgress& progress_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::thread counter_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::string phase_;  // the history phase last drawn, and when it began
  std::chrono::steady_clock::time_point phase_started_ = started_;
};

}  // namespace sfmc::cli
