#pragma once
// A set of bytes written as a regex bracket expression ("[0-9A-Za-z]"), used for the
// boundary checks Hyperscan cannot express (it has no look-around).
#include <bitset>
#include <string>
#include <string_view>

namespace sfmc {

class CharClass {
 public:
  CharClass() = default;
  // Accepts "[...]" with ranges, a leading '^' for negation and '\\' escapes.
  // Throws std::invalid_argument with a message naming the problem.
  static CharClass parse(std::string_view spec);

  bool contains(unsigned char c) const { return bits_[c]; }
  bool empty() const { return bits_.none(); }
  const std::string& spec() const { return spec_; }

 private:
  std::bitset<256> bits_;
  std::string spec_;
};

}  // namespace sfmc
