#include "validate/placeholder.hpp"

#include <algorithm>
#include <cctype>

namespace sfmc {

namespace {

std::string with_case(std::string_view w, int (*f)(int)) {
  std::string out(w);
  for (char& c : out) c = static_cast<char>(f(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string placeholder_reason(const PlaceholderSpec& spec, std::string_view body) {
  if (body.empty()) return {};
  // Words in all-upper or all-lower case only: mixed case would also hit random
  // bodies (about 1 in 3,000 for a 4-letter word in 51 characters), downgrading real secrets.
  for (const std::string& w : spec.words) {
    if (w.empty()) continue;
    if (body.find(with_case(w, ::toupper)) != std::string_view::npos ||
        body.find(with_case(w, ::tolower)) != std::string_view::npos)
      return "contains \"" + w + "\"";
  }
  if (spec.repeated_run > 1) {
    std::size_t run = 1;
    for (std::size_t i = 1; i < body.size(); ++i) {
      run = body[i] == body[i - 1] ? run + 1 : 1;
      if (run >= spec.repeated_run) return "a run of " + std::to_string(run) + "+ repeated characters";
    }
    if (spec.repeated_run > body.size() &&
        std::all_of(body.begin(), body.end(), [&](char c) { return c == body[0]; }))
      return "one repeated character";
  }
  if (spec.sequential_run > 1) {
    std::size_t run = 1;
    for (std::size_t i = 1; i < body.size(); ++i) {
      bool next = body[i] == body[i - 1] + 1 && std::isalnum(static_cast<unsigned char>(body[i]));
      run = next ? run + 1 : 1;
      if (run >= spec.sequential_run) return "a sequential run like \"abcdef\" or \"123456\"";
    }
  }
  return {};
}

}  // namespace sfmc
