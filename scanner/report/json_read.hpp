#pragma once
// Reading JSON that may be anything (a saved report, a baseline someone edited): every
// accessor answers a default for a missing key or a value of the wrong type, so a
// reader never indexes what is not there (nlohmann's const operator[] on a missing key
// is undefined behaviour) and never throws half-way through a finding.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfmc::json_read {

inline const nlohmann::json& null_value() {
  static const nlohmann::json null;
  return null;
}

// j[key], or null when j is not an object or has no such key.
inline const nlohmann::json& field(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) return null_value();
  auto it = j.find(key);
  return it == j.end() ? null_value() : *it;
}

// j[0], or null when j is not a non-empty array.
inline const nlohmann::json& first(const nlohmann::json& j) { return j.is_array() && !j.empty() ? j[0] : null_value(); }

inline const nlohmann::json& array_or_empty(const nlohmann::json& j) {
  static const nlohmann::json empty = nlohmann::json::array();
  return j.is_array() ? j : empty;
}

inline std::string text(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

inline uint64_t number(const nlohmann::json& j, std::string_view key) {
  const nlohmann::json& v = field(j, key);
  return v.is_number_unsigned() ? v.get<uint64_t>() : 0;
}

inline bool flag(const nlohmann::json& j, std::string_view key, bool fallback) {
  const nlohmann::json& v = field(j, key);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

inline std::vector<std::string> texts(const nlohmann::json& j, std::string_view key) {
  std::vector<std::string> out;
  for (const nlohmann::json& v : array_or_empty(field(j, key)))
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace sfmc::json_read
