#include "core/bounded_line.hpp"

namespace sfmc {

LineRead read_bounded_line(std::istream& in, std::string& line, std::size_t max) {
  line.clear();
  std::streambuf* buf = in.rdbuf();
  bool any = false, too_long = false;
  for (;;) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      break;
    }
    any = true;
    if (c == '\n') break;
    if (line.size() < max) line.push_back(static_cast<char>(c));
    else too_long = true;
  }
  if (!any) return LineRead::end;
  return too_long ? LineRead::too_long : LineRead::line;
}

}  // namespace sfmc
