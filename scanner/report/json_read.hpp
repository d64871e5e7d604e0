#pragma once
// Reading JSON that may be anything (a saved report, a baseline someone edited): every
// accessor answers a default for a missing key or a value of the wrong type, so a
// reader never indexes what is not there (nlohmann's const operator[] on a missing key
// is undefined behaviour) and never throws half-way through a finding.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
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

// A file whose JSON is not the shape sfmc-scan wrote: what is wrong and where, as a
// JSON pointer (RFC 6901), so a user can look: "type must be string (at /findings/3/rule)".
class ShapeError : public std::runtime_error {
 public:
  ShapeError(const std::string& what, const std::string& pointer)
      : std::runtime_error(what + " (at " + (pointer.empty() ? "/" : pointer) + ")") {}
};

// `pointer` with one more step: an object key or an array index (escaped as RFC 6901 says).
inline std::string step(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}
inline std::string step(const std::string& pointer, std::size_t index) { return pointer + "/" + std::to_string(index); }

inline const char* kind_name(const nlohmann::json& j) {
  if (j.is_null()) return "missing";
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  return "something else";
}

// j at `pointer`, which must be an object / array / string / unsigned number: ShapeError otherwise.
inline const nlohmann::json& need_object(const nlohmann::json& j, const std::string& pointer) {
  if (!j.is_object()) throw ShapeError(std::string("an object expected, ") + kind_name(j) + " found", pointer);
  return j;
}
inline const nlohmann::json& need_array(const nlohmann::json& j, const std::string& pointer) {
  if (!j.is_array()) throw ShapeError(std::string("an array expected, ") + kind_name(j) + " found", pointer);
  return j;
}
inline std::string need_text(const nlohmann::json& j, const std::string& pointer) {
  if (!j.is_string()) throw ShapeError(std::string("a string expected, ") + kind_name(j) + " found", pointer);
  return j.get<std::string>();
}
inline uint64_t need_number(const nlohmann::json& j, const std::string& pointer) {
  if (!j.is_number_unsigned()) throw ShapeError(std::string("a whole number expected, ") + kind_name(j) + " found", pointer);
  return j.get<uint64_t>();
}

}  // namespace sfmc::json_read
