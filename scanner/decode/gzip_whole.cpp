#include "decode/gzip_whole.hpp"

#include <libdeflate.h>

#include <memory>

namespace sfmc {

bool gunzip_whole(std::string_view gz, uint64_t max_out, std::string& out) {
  if (gz.size() < 18 || static_cast<unsigned char>(gz[0]) != 0x1f || static_cast<unsigned char>(gz[1]) != 0x8b) return false;
  const auto* t = reinterpret_cast<const unsigned char*>(gz.data() + gz.size() - 4);
  const uint64_t stated = uint64_t{t[0]} | uint64_t{t[1]} << 8 | uint64_t{t[2]} << 16 | uint64_t{t[3]} << 24;
  if (stated > max_out) return false;
  // One decompressor per thread: allocating one costs more than inflating a small file.
  thread_local std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(
      libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
  if (!d) return false;
  out.resize(static_cast<std::size_t>(stated));
  std::size_t in_used = 0, out_used = 0;
  libdeflate_result r = libdeflate_gzip_decompress_ex(d.get(), gz.data(), gz.size(), out.data(), out.size(), &in_used, &out_used);
  // Anything but one whole member that fills exactly the stated size goes the careful way.
  if (r != LIBDEFLATE_SUCCESS || in_used != gz.size() || out_used != stated) return false;
  return true;
}

}  // namespace sfmc
