#pragma once
// How the decoding layer treats containers and binary data (decode/content.hpp).
#include <cstdint>

namespace sfmc {

// Against hostile archives (zip bombs, endless nesting). A tripped limit is a warning
// and the rest of the input is left unread, never a crash or a hang.
struct ArchiveLimits {
  int max_depth = 3;                    // archives inside archives: levels opened
  uint64_t max_expanded = 16ull << 30;  // bytes expanded from one input, all levels
  uint64_t max_ratio = 1000;            // expanded / compressed, checked past 64 MiB expanded
  uint64_t max_members = 1'000'000;     // members in one input, all levels
};

struct DecodeOptions {
  bool archives = true;  // --no-archives: match archives as bytes
  bool binary = true;    // --no-binary: skip binary content
  bool base64 = true;    // --no-base64: do not decode base64 runs
  bool mail = true;      // --no-mail: match MIME messages as text, parts undecoded
  bool pdf = true;       // --no-pdf: match PDF files as bytes
  ArchiveLimits limits;
};

}  // namespace sfmc
