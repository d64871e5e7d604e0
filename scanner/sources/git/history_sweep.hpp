#pragma once
// The whole-history sweep: every blob in the object database, each read and matched
// once. Packs are decoded by delta family in parallel (pack_file.hpp); loose objects,
// and the few pack objects whose delta base lives elsewhere, go through libgit2.
#include <string>
#include <vector>

#include "engine/scan_engine.hpp"

namespace sfmc::git {

struct SweepResult {
  std::vector<InputResult> results;  // blobs with findings, and objects that could not be read
  ScanStats stats;
};

SweepResult sweep_history(const std::string& repository_path, const ScanEngine& engine, const ScanOptions& options);

}  // namespace sfmc::git
