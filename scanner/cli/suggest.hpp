#pragma once
// "Did you mean": the known name closest to a mistyped one.
#include <optional>
#include <string>
#include <vector>

namespace sfmc::cli {

// The candidate within a small edit distance of `typed` (a third of its length, at
// least 1, at most 3), the closest first; nullopt when none is that close.
std::optional<std::string> closest_name(const std::string& typed, const std::vector<std::string>& candidates);

}  // namespace sfmc::cli
