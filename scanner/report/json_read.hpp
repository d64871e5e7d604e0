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

// Deepest nesting a file sfmc-scan reads may have: its own formats nest under ten
// levels, SARIF from other tools a few more. Deeper input is refused before parsing,
// since comparing or printing a JSON value recurses once per level.
constexpr std::size_t kMaxDepth = 128;

// How deeply `text` nests arrays and objects (strings skipped), stopping once past `limit`.
inline std::size_t nesting_depth(std::string_view text, std::size_t limit = kMaxDepth) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

// Parses text nobody vouches for: a discarded value when it is not JSON or nests deeper
// than kMaxDepth (then `why` says which), never an exception.
inline nlohmann::json parse_untrusted(std::string_view text, std::string* why = nullptr) {
  if (nesting_depth(text) > kMaxDepth) {
    if (why) *why = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() && why) *why = "not valid JSON";
  return j;
}

// nlohmann's message without its "[json.exception.type_error.302] " tag, for a user
// told which file is damaged and how: "type must be string, but is number".
inline std::string plain_message(const std::exception& e) {
  std::string_view what = e.what();
  if (what.rfind("[json.exception.", 0) == 0) {
    const std::size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

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
