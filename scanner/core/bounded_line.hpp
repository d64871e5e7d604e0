#pragma once
// Reading lines from input nobody vouches for (standard input, saved reports): a line
// never costs more memory than the bound, and an overlong one is said to be so rather
// than cut in silence.
#include <cstddef>
#include <istream>
#include <string>

namespace sfmc {

enum class LineRead {
  line,     // a whole line (without its '\n') is in `line`
  too_long, // the line was longer than the bound: `line` holds its first `max` bytes, the rest was skipped
  end,      // nothing more to read
};

// The next line of `in`, at most `max` bytes of it kept.
LineRead read_bounded_line(std::istream& in, std::string& line, std::size_t max);

}  // namespace sfmc
