#pragma once
// One unit of input handed from enumeration to scanning.
#include <optional>
#include <string>

#include "core/finding.hpp"

namespace sfmc {

struct InputItem {
  enum class Kind { file, standard_input, skipped };
  Kind kind = Kind::file;
  std::string path;              // as displayed and reported
  std::optional<Skipped> skip;   // set for Kind::skipped: enumeration already knows it cannot be scanned
};

}  // namespace sfmc
