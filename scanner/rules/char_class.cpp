#include "rules/char_class.hpp"

#include <stdexcept>

namespace sfmc {

CharClass CharClass::parse(std::string_view spec) {
  CharClass cc;
  cc.spec_ = std::string(spec);
  if (spec.empty()) return cc;
  if (spec.size() < 2 || spec.front() != '[' || spec.back() != ']')
    throw std::invalid_argument("character class must look like [...]: " + std::string(spec));
  std::string_view body = spec.substr(1, spec.size() - 2);
  bool negate = false;
  if (!body.empty() && body.front() == '^') {
    negate = true;
    body.remove_prefix(1);
  }
  auto next = [&](size_t& i) -> unsigned char {
    if (body[i] == '\\') {
      if (i + 1 >= body.size()) throw std::invalid_argument("dangling '\\' in " + cc.spec_);
      ++i;
      switch (body[i]) {
        case 'n': return '\n';
        case 'r': return '\r';
        case 't': return '\t';
        default: return static_cast<unsigned char>(body[i]);
      }
    }
    return static_cast<unsigned char>(body[i]);
  };
  for (size_t i = 0; i < body.size(); ++i) {
    unsigned char lo = next(i);
    if (i + 2 < body.size() && body[i + 1] == '-') {
      i += 2;
      unsigned char hi = next(i);
      if (hi < lo) throw std::invalid_argument("reversed range in " + cc.spec_);
      for (unsigned c = lo; c <= hi; ++c) cc.bits_.set(c);
    } else {
      cc.bits_.set(lo);
    }
  }
  if (negate) cc.bits_.flip();
  return cc;
}

}  // namespace sfmc
