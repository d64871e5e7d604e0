#include "compress/inflate.hpp"

#include <isa-l/igzip_lib.h>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace sfmc::compress {

namespace {

enum class Library { libdeflate, isal, zlib };

Library chosen() {
  static const Library lib = [] {
    const char* env = std::getenv("SFMC_INFLATE");
    if (env && std::strcmp(env, "zlib") == 0) return Library::zlib;
    if (env && std::strcmp(env, "isa-l") == 0) return Library::isal;
    if (env && std::strcmp(env, "libdeflate") == 0) return Library::libdeflate;
    return Library::libdeflate;  // fastest on git packs here: bench/RESULTS.md, "Inflate"
  }();
  return lib;
}

// zlib streaming: slower, but it says how far a damaged stream decoded, which the
// whole-buffer libraries do not. Also the reference the fast paths fall back to.
bool inflate_zlib(std::string_view in, uint64_t expected, std::string& out, std::string& error) {
  out.resize(expected);
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    out.clear();
    error = "zlib cannot start";
    return false;
  }
  const auto* next_in = reinterpret_cast<const Bytef*>(in.data());
  std::size_t left_in = in.size();
  auto* next_out = reinterpret_cast<Bytef*>(out.data());
  std::size_t left_out = out.size();
  unsigned char spare[1];  // room for one byte too many: a stream longer than stated
  bool in_spare = false;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (zs.avail_in == 0 && left_in > 0) {
      zs.avail_in = static_cast<uInt>(std::min<std::size_t>(left_in, UINT32_MAX));
      zs.next_in = const_cast<Bytef*>(next_in);
      next_in += zs.avail_in;
      left_in -= zs.avail_in;
    }
    if (zs.avail_out == 0) {
      if (left_out > 0) {
        zs.avail_out = static_cast<uInt>(std::min<std::size_t>(left_out, UINT32_MAX));
        zs.next_out = next_out;
        next_out += zs.avail_out;
        left_out -= zs.avail_out;
      } else if (!in_spare) {
        in_spare = true;
        zs.next_out = spare;
        zs.avail_out = 1;
      } else {
        break;
      }
    }
    rc = ::inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0 && left_in == 0) break;  // input ran out
    if (rc == Z_BUF_ERROR && zs.avail_out == 0) rc = Z_OK;             // give it more room
  }
  uint64_t produced = zs.total_out;
  const char* msg = zs.msg;
  inflateEnd(&zs);
  if (produced > expected) {
    error = "holds more than the " + std::to_string(expected) + " bytes its header states";
    return false;  // out already holds the stated bytes
  }
  out.resize(produced);
  if (rc == Z_STREAM_END && produced == expected) return true;
  if (rc == Z_STREAM_END)
    error = "holds " + std::to_string(produced) + " bytes where its header states " + std::to_string(expected);
  else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
    error = "damaged compressed data after " + std::to_string(produced) + " of " + std::to_string(expected) +
            " bytes (zlib: " + (msg ? msg : "data error") + ")";
  else
    error = "compressed data ends after " + std::to_string(produced) + " of " + std::to_string(expected) + " bytes";
  return false;
}

struct DeflateFree {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

bool inflate_libdeflate(std::string_view in, uint64_t expected, std::string& out) {
  thread_local std::unique_ptr<libdeflate_decompressor, DeflateFree> decompressor(libdeflate_alloc_decompressor());
  if (!decompressor) return false;
  out.resize(expected);
  std::size_t used_in = 0, produced = 0;
  libdeflate_result rc = libdeflate_zlib_decompress_ex(decompressor.get(), in.data(), in.size(), out.data(), out.size(),
                                                       &used_in, &produced);
  return rc == LIBDEFLATE_SUCCESS && produced == expected;
}

bool inflate_isal(std::string_view in, uint64_t expected, std::string& out) {
  if (in.size() > UINT32_MAX || expected > UINT32_MAX) return false;
  thread_local std::unique_ptr<inflate_state> state(new inflate_state);
  isal_inflate_init(state.get());
  state->crc_flag = IGZIP_ZLIB;
  out.resize(expected);
  state->next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));
  state->avail_in = static_cast<uint32_t>(in.size());
  state->next_out = reinterpret_cast<uint8_t*>(out.data());
  state->avail_out = static_cast<uint32_t>(expected);
  int rc = isal_inflate(state.get());
  return rc == ISAL_DECOMP_OK && state->block_state == ISAL_BLOCK_FINISH && state->total_out == expected;
}

}  // namespace

const char* inflate_library() {
  switch (chosen()) {
    case Library::libdeflate: return "libdeflate";
    case Library::isal: return "isa-l";
    case Library::zlib: return "zlib";
  }
  return "zlib";
}

bool inflate_sized(std::string_view in, uint64_t expected, std::string& out, std::string& error) {
  if (expected > max_inflated_size(in.size())) {
    out.clear();
    error = "header states " + std::to_string(expected) + " bytes, more than its " + std::to_string(in.size()) +
            " compressed bytes can hold";
    return false;
  }
  switch (chosen()) {
    case Library::libdeflate:
      if (inflate_libdeflate(in, expected, out)) return true;
      break;
    case Library::isal:
      if (inflate_isal(in, expected, out)) return true;
      break;
    case Library::zlib:
      break;
  }
  // zlib also for every stream a fast path refused: it tells how much decoded.
  return inflate_zlib(in, expected, out, error);
}

bool inflate_stream(std::string_view in, uint64_t limit, std::string& out, std::string& error) {
  out.clear();
  z_stream zs{};
  if (inflateInit(&zs) != Z_OK) {
    error = "zlib cannot start";
    return false;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  std::size_t left_in = in.size() - zs.avail_in;
  int rc = Z_OK;
  std::size_t produced = 0;
  while (rc == Z_OK) {
    if (zs.avail_in == 0 && left_in > 0) {
      zs.avail_in = static_cast<uInt>(std::min<std::size_t>(left_in, UINT32_MAX));
      left_in -= zs.avail_in;
    }
    // Grow with what the stream yields, never with what a header claims.
    if (produced == out.size()) {
      if (out.size() >= limit) break;
      out.resize(static_cast<std::size_t>(std::min<uint64_t>(limit, std::max<std::size_t>(out.size() * 2, 64 * 1024))));
    }
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(std::min<std::size_t>(out.size() - produced, UINT32_MAX));
    const uInt room = zs.avail_out;
    rc = ::inflate(&zs, Z_NO_FLUSH);
    produced += room - zs.avail_out;
    if (rc == Z_BUF_ERROR && zs.avail_out > 0) break;  // input ran out
    if (rc == Z_BUF_ERROR) rc = Z_OK;
  }
  out.resize(produced);
  const char* msg = zs.msg;
  inflateEnd(&zs);
  if (rc == Z_STREAM_END) return true;
  if (rc == Z_OK)
    error = "inflates to more than " + std::to_string(limit) + " bytes";
  else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT)
    error = "damaged compressed data after " + std::to_string(produced) + " bytes (zlib: " + (msg ? msg : "data error") + ")";
  else
    error = "truncated: the compressed data ends after " + std::to_string(produced) + " decoded bytes";
  return false;
}

}  // namespace sfmc::compress
