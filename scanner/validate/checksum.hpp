#pragma once
// Token checksums as described by a rule's ChecksumSpec.
#include <string>
#include <string_view>

#include "rules/rule.hpp"

namespace sfmc {

// The checksum text `spec` gives for `covered` (hex_any encodes in lower case).
std::string compute_checksum(const ChecksumSpec& spec, std::string_view covered);

// The part of `token` the checksum is computed over, per spec.covers.
std::string_view checksum_covered(const ChecksumSpec& spec, std::string_view token, std::string_view prefix);

// True when the token's last spec.width() characters are the checksum of its covered part.
bool checksum_holds(const ChecksumSpec& spec, std::string_view token, std::string_view prefix);

}  // namespace sfmc
