#pragma once
// Shared by the harnesses: the bundled rules compiled once, and a private temporary
// file for readers that take a path.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "engine/scan_engine.hpp"

namespace sfmc::fuzz {

inline const ScanEngine& engine() {
  static ScanEngine e = [] {
    DatabaseCacheOptions cache;
    cache.enabled = false;
    return ScanEngine(load_rules(SFMC_SOURCE_RULES_DIR), ChecksumPolicy::report, cache);
  }();
  return e;
}

// The input written to one file of this process's own, rewritten on each call.
inline const std::string& as_file(const uint8_t* data, std::size_t size, const char* suffix) {
  static std::string path;
  path = "/tmp/sfmc-fuzz-" + std::to_string(::getpid()) + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f) {
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  return path;
}

}  // namespace sfmc::fuzz
