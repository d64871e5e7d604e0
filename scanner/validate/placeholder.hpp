#pragma once
// Recognises obviously fake token bodies (SFMC_FORMAT.md, verdict "placeholder").
#include <string>
#include <string_view>

#include "rules/rule.hpp"

namespace sfmc {

// Why `body` looks fake, or "" when it does not.
std::string placeholder_reason(const PlaceholderSpec& spec, std::string_view body);

}  // namespace sfmc
