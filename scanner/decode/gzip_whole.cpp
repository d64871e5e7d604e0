#include "decode/gzip_whole.hpp"

#include <libdeflate.h>

#include <memory>

namespace sfmc {

GunzipWhole gunzip_whole(std::string_view gz, uint64_t max_out, std::string& out) {
  if (gz.size() < 18 || static_cast<unsigned char>(gz[0]) != 0x1f || static_cast<unsigned char>(gz[1]) != 0x8b)
    return GunzipWhole::damaged;
  const auto* t = reinterpret_cast<const unsigned char*>(gz.data() + gz.size() - 4);
  const uint64_t stated = uint64_t{t[0]} | uint64_t{t[1]} << 8 | uint64_t{t[2]} << 16 | uint64_t{t[3]} << 24;
  if (stated > max_out) return GunzipWhole::stream;
  // One decompressor per thread: allocating one costs more than inflating a small file.
  thread_local std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> d(
      libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
  if (!d) return GunzipWhole::stream;
  out.resize(static_cast<std::size_t>(stated));
  std::size_t in_used = 0, out_used = 0;
  libdeflate_result r = libdeflate_gzip_decompress_ex(d.get(), gz.data(), gz.size(), out.data(), out.size(), &in_used, &out_used);
  switch (r) {
    case LIBDEFLATE_SUCCESS:
      // A second member (pigz, bgzip, `cat a.gz b.gz`) or bytes after the first.
      return in_used == gz.size() && out_used == stated ? GunzipWhole::inflated : GunzipWhole::stream;
    case LIBDEFLATE_SHORT_OUTPUT:      // the member is shorter than its trailer says
    case LIBDEFLATE_INSUFFICIENT_SPACE:  // or longer: the last member's trailer, or a lie
      return GunzipWhole::stream;
    default:
      return GunzipWhole::damaged;  // bad data, a checksum that fails, a stream cut short
  }
}

}  // namespace sfmc
