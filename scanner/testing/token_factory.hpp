#pragma once
// Secret-shaped strings made at run time, from a rule's shape and checksum spec, so that
// no test, benchmark or demo file in the repository holds one.
#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "rules/rule.hpp"

namespace sfmc {

struct TokenVariant {
  bool bad_checksum = false;     // checksum of the wrong value
  bool upper_checksum = false;   // checksum in the opposite letter case
  std::string body_start;        // body begins with this (e.g. "EXAMPLE")
  std::optional<char> repeat;    // body is this one character, repeated
  std::optional<std::string> prefix;  // replaces the rule's prefix (e.g. "sfmc_")
  std::size_t drop = 0;          // remove this many characters from the end
};

class TokenFactory {
 public:
  explicit TokenFactory(uint64_t seed = 0x5f3c0ffee);
  // A token for `rule` (which needs `shape`); checksum-valid unless the variant says otherwise.
  // Throws std::invalid_argument when the rule has no shape.
  std::string token(const Rule& rule, const TokenVariant& variant = {});
  std::string random_string(const std::string& alphabet, std::size_t n);

 private:
  std::mt19937_64 rng_;
};

// Expands {{...}} templates in a rule example (see rules/README in the repository):
//   {{token}} {{token:bad-checksum}} {{token:upper-checksum}} {{token:body=EXAMPLE}}
//   {{token:repeat=X}} {{token:prefix=sfmc_}} {{token:drop=1}}   (options join with ',')
//   {{alnum:N}} {{lower:N}}   N random characters of [0-9A-Za-z] or [0-9a-z]
std::string expand_template(const std::string& text, const Rule& rule, TokenFactory& factory);

}  // namespace sfmc
