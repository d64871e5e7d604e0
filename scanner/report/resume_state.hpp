#pragma once
// The --resume state of `scan`: which sweep it belongs to, how far it got, and how long
// the output file was then. Written atomically, at most once a second, after flushing
// the output. A resumed run first cuts the output back to that length: whatever the
// interrupted run wrote after its last checkpoint is dropped and scanned again, so each
// finding is reported exactly once wherever the interruption fell.
// File names need not be UTF-8, and JSON strings must be: the state keeps every name
// as hex of its bytes (exact, whatever they are) and, for people, in JSON with each
// byte that is not UTF-8 as U+FFFD (as in every report).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scan_engine.hpp"

namespace sfmc {

class ResumeState {
 public:
  explicit ResumeState(std::string path) : path_(std::move(path)) {}

  // What a checkpoint's text records.
  struct Checkpoint {
    std::optional<ResumePoint> point;
    bool completed = false;
    uint64_t output_bytes = 0;
    uint64_t undecoded = 0;
  };
  // Reads a checkpoint of the sweep of `roots`. Throws std::runtime_error naming `path`,
  // what is wrong and where (a JSON pointer), or that it belongs to another sweep.
  static Checkpoint parse(std::string_view text, const std::string& path, const std::vector<std::string>& roots);

  // Loads the earlier checkpoint, if the file exists (else a first run). Throws as parse().
  void load(const std::vector<std::string>& roots, std::optional<ResumePoint>& point, bool& completed);
  uint64_t output_bytes() const { return output_bytes_; }
  // Inputs the earlier runs of this sweep could not decode (SkipReason::decoder_unavailable):
  // their records are in the output kept, and the sweep's exit status must still say so.
  uint64_t undecoded() const { return undecoded_; }
  bool resumed() const { return resumed_; }

  // Best effort: a lost checkpoint only means re-scanning a little.
  void save(const std::vector<std::string>& roots, const std::optional<ResumePoint>& point, bool completed,
            uint64_t output_bytes, uint64_t undecoded) const;

 private:
  std::string path_;
  bool resumed_ = false;
  uint64_t output_bytes_ = 0;
  uint64_t undecoded_ = 0;
};

}  // namespace sfmc
