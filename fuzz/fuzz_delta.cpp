// The pack delta decoder: the first two bytes say how long the base is, the rest is
// the base and then the delta instructions.
#include "fuzz_support.hpp"
#include "sources/git/pack_file.hpp"

using namespace sfmc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t base_len = std::min<std::size_t>(size - 2, (std::size_t{data[0]} << 8) | data[1]);
  std::string_view all(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::string out, error;
  (void)git::PackFile::apply_delta(all.substr(0, base_len), all.substr(base_len), out, error);
  return 0;
}
