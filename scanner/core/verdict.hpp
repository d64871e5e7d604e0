#pragma once
// What validation concluded about a candidate, and the SARIF level that follows.
#include <optional>
#include <string_view>

namespace sfmc {

enum class Verdict {
  checksum_valid,    // structure and checksum hold: treat as a real secret
  checksum_invalid,  // structure holds, checksum fails: lower confidence, kept by default
  placeholder,       // obviously fake body (repeated characters, EXAMPLE, ...)
  unchecked,         // rule has no checksum, or --checksum ignore
};

// SARIF result levels, ordered so that a larger value is more severe.
enum class Level { note = 0, warning = 1, error = 2 };

std::string_view to_string(Verdict v);
std::string_view to_string(Level l);
std::optional<Verdict> parse_verdict(std::string_view s);
std::optional<Level> parse_level(std::string_view s);

// Default level of each verdict (SFMC_FORMAT.md, "Verdicts a finding carries").
Level level_of(Verdict v);

}  // namespace sfmc
