#include "compress/stream_decoder.hpp"

#include <bzlib.h>
#include <isa-l/igzip_lib.h>
#include <lzma.h>
#include <zstd.h>

#include <algorithm>
#include <climits>

namespace sfmc::compress {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kGzipMagic = "\x1f\x8b"sv;
constexpr std::string_view kXzMagic = "\xfd" "7zXZ\x00"sv;
constexpr std::string_view kZstdMagic = "\x28\xb5\x2f\xfd"sv;
constexpr std::string_view kZstdSkippable = "\x2a\x4d\x18"sv;  // after a first byte 0x50..0x5f
constexpr std::string_view kBzip2Magic = "BZh"sv;

// Whether `in` starts like `magic`, as far as `in` goes (a read may end mid-magic).
bool starts_like(std::string_view in, std::string_view magic) {
  const std::size_t k = std::min(in.size(), magic.size());
  return k > 0 && in.substr(0, k) == magic.substr(0, k);
}

// Whether the bytes after a member start another one of the same format.
bool starts_member(Format f, std::string_view in) {
  switch (f) {
    case Format::gzip: return starts_like(in, kGzipMagic);
    case Format::xz: return starts_like(in, kXzMagic);
    case Format::zstd:
      return starts_like(in, kZstdMagic) ||
             ((static_cast<unsigned char>(in[0]) & 0xf0) == 0x50 && starts_like(in.substr(1), kZstdSkippable));
    case Format::bzip2: return starts_like(in, kBzip2Magic);
    case Format::zlib: return false;
  }
  return false;
}

// A codec's answer to one call.
struct Step {
  std::size_t consumed = 0;
  std::size_t produced = 0;
  bool member_end = false;
  const char* error = nullptr;  // damaged: why, in the library's words
};

// The most memory one xz stream may ask for: its header names a dictionary size, and a
// hostile file may name gigabytes. xz -9 needs 65 MiB.
constexpr uint64_t kXzMemLimit = 256ull << 20;

}  // namespace

class StreamDecoder::Codec {
 public:
  virtual ~Codec() = default;
  virtual void start() = 0;  // ready for a new member
  virtual Step run(std::string_view in, char* out, std::size_t n) = 0;
};

namespace {

uint32_t clamp32(std::size_t n) { return static_cast<uint32_t>(std::min<std::size_t>(n, UINT32_MAX)); }

// ISA-L for gzip and zlib: about twice zlib's speed on text, with a fast CRC-32 (zlib's
// crc32_z alone took a third of zlib's time on a 100 MB dump).
class IsalCodec final : public StreamDecoder::Codec {
 public:
  explicit IsalCodec(bool gzip) : gzip_(gzip) {}
  void start() override {
    isal_inflate_init(&st_);
    st_.crc_flag = gzip_ ? ISAL_GZIP : IGZIP_ZLIB;
  }
  Step run(std::string_view in, char* out, std::size_t n) override {
    st_.next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));
    st_.avail_in = clamp32(in.size());
    st_.next_out = reinterpret_cast<uint8_t*>(out);
    st_.avail_out = clamp32(n);
    const uint32_t in_before = st_.avail_in, out_before = st_.avail_out;
    const int rc = isal_inflate(&st_);
    Step s{in_before - st_.avail_in, out_before - st_.avail_out};
    if (rc < 0 || rc == ISAL_NEED_DICT) s.error = message(rc);
    else if (st_.block_state == ISAL_BLOCK_FINISH) s.member_end = true;
    return s;
  }

 private:
  static const char* message(int rc) {
    switch (rc) {
      case ISAL_INVALID_BLOCK: return "invalid deflate block";
      case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
      case ISAL_INVALID_WRAPPER: return "invalid header";
      case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
      case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
      case ISAL_NEED_DICT: return "needs a preset dictionary";
      default: return "data error";
    }
  }
  bool gzip_;
  inflate_state st_{};
};

class XzCodec final : public StreamDecoder::Codec {
 public:
  ~XzCodec() override { lzma_end(&strm_); }
  void start() override {
    lzma_end(&strm_);
    strm_ = LZMA_STREAM_INIT;
    failed_ = lzma_stream_decoder(&strm_, kXzMemLimit, 0) != LZMA_OK;
  }
  Step run(std::string_view in, char* out, std::size_t n) override {
    if (failed_) return Step{0, 0, false, "liblzma cannot start"};
    strm_.next_in = reinterpret_cast<const uint8_t*>(in.data());
    strm_.avail_in = in.size();
    strm_.next_out = reinterpret_cast<uint8_t*>(out);
    strm_.avail_out = n;
    const lzma_ret rc = lzma_code(&strm_, LZMA_RUN);
    Step s{in.size() - strm_.avail_in, n - strm_.avail_out};
    switch (rc) {
      case LZMA_OK:
      case LZMA_BUF_ERROR: break;  // needs more input: the caller decides whether it ended
      case LZMA_STREAM_END: s.member_end = true; break;
      case LZMA_MEMLIMIT_ERROR: s.error = "needs more than 256 MiB of memory to decode (a hostile header?)"; break;
      case LZMA_FORMAT_ERROR: s.error = "not an xz stream"; break;
      case LZMA_OPTIONS_ERROR: s.error = "unsupported options"; break;
      case LZMA_DATA_ERROR: s.error = "corrupt data"; break;
      default: s.error = "data error"; break;
    }
    return s;
  }

 private:
  lzma_stream strm_ = LZMA_STREAM_INIT;
  bool failed_ = false;
};

class ZstdCodec final : public StreamDecoder::Codec {
 public:
  ZstdCodec() : dctx_(ZSTD_createDCtx()) {}
  ~ZstdCodec() override { ZSTD_freeDCtx(dctx_); }
  void start() override {
    // A frame's window is bounded by zstd's default (128 MiB): larger ones are refused.
    if (dctx_) ZSTD_DCtx_reset(dctx_, ZSTD_reset_session_only);
  }
  Step run(std::string_view in, char* out, std::size_t n) override {
    if (!dctx_) return Step{0, 0, false, "libzstd cannot start"};
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    ZSTD_outBuffer ob{out, n, 0};
    const std::size_t rc = ZSTD_decompressStream(dctx_, &ob, &ib);
    Step s{ib.pos, ob.pos};
    if (ZSTD_isError(rc)) s.error = ZSTD_getErrorName(rc);
    else if (rc == 0) s.member_end = true;  // a frame ended and was flushed whole
    return s;
  }

 private:
  ZSTD_DCtx* dctx_;
};

class Bzip2Codec final : public StreamDecoder::Codec {
 public:
  ~Bzip2Codec() override {
    if (ready_) BZ2_bzDecompressEnd(&strm_);
  }
  void start() override {
    if (ready_) BZ2_bzDecompressEnd(&strm_);
    strm_ = bz_stream{};
    ready_ = BZ2_bzDecompressInit(&strm_, 0, 0) == BZ_OK;
  }
  Step run(std::string_view in, char* out, std::size_t n) override {
    if (!ready_) return Step{0, 0, false, "libbz2 cannot start"};
    strm_.next_in = const_cast<char*>(in.data());
    strm_.avail_in = clamp32(in.size());
    strm_.next_out = out;
    strm_.avail_out = clamp32(n);
    const unsigned in_before = strm_.avail_in, out_before = strm_.avail_out;
    const int rc = BZ2_bzDecompress(&strm_);
    Step s{in_before - strm_.avail_in, out_before - strm_.avail_out};
    if (rc == BZ_STREAM_END) s.member_end = true;
    else if (rc == BZ_DATA_ERROR_MAGIC) s.error = "not a bzip2 stream";
    else if (rc == BZ_DATA_ERROR) s.error = "corrupt data (a block fails its check)";
    else if (rc == BZ_MEM_ERROR) s.error = "out of memory";
    else if (rc != BZ_OK) s.error = "data error";
    return s;
  }

 private:
  bz_stream strm_{};
  bool ready_ = false;
};

std::unique_ptr<StreamDecoder::Codec> make_codec(Format f) {
  switch (f) {
    case Format::gzip: return std::make_unique<IsalCodec>(true);
    case Format::zlib: return std::make_unique<IsalCodec>(false);
    case Format::xz: return std::make_unique<XzCodec>();
    case Format::zstd: return std::make_unique<ZstdCodec>();
    case Format::bzip2: return std::make_unique<Bzip2Codec>();
  }
  return nullptr;
}

}  // namespace

std::optional<Format> format_of(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  if (starts(kGzipMagic)) return Format::gzip;
  if (starts(kXzMagic)) return Format::xz;
  if (starts(kZstdMagic)) return Format::zstd;
  if (head.size() >= 4 && starts(kBzip2Magic) && head[3] >= '1' && head[3] <= '9') return Format::bzip2;
  return std::nullopt;
}

const char* name_of(Format format) {
  switch (format) {
    case Format::gzip: return "gzip";
    case Format::zlib: return "zlib";
    case Format::xz: return "xz";
    case Format::zstd: return "zstd";
    case Format::bzip2: return "bzip2";
  }
  return "compressed";
}

StreamDecoder::StreamDecoder(Format format) : format_(format), codec_(make_codec(format)) { codec_->start(); }

StreamDecoder::~StreamDecoder() = default;

void StreamDecoder::reset() {
  codec_->start();
  state_ = State::more;
  at_member_end_ = false;
  total_out_ = 0;
  error_.clear();
}

std::size_t StreamDecoder::decode(std::string_view& in, char* out, std::size_t n) {
  std::size_t written = 0;
  while (state_ == State::more && written < n) {
    if (at_member_end_) {
      if (in.empty()) break;
      if (!starts_member(format_, in)) {
        // Zero padding (tape blocks, xz's stream padding) is neither a member nor damage.
        if (in.find_first_not_of('\0') == std::string_view::npos) {
          in.remove_prefix(in.size());
          continue;
        }
        state_ = State::damaged;
        error_ = std::string("bytes after a ") + name_of(format_) + " member start no member, after " +
                 std::to_string(total_out_ + written) + " decoded bytes";
        break;
      }
      codec_->start();
      at_member_end_ = false;
    }
    const Step s = codec_->run(in, out + written, n - written);
    in.remove_prefix(s.consumed);
    written += s.produced;
    if (s.error) {
      state_ = State::damaged;
      error_ = "damaged " + std::string(name_of(format_)) + " data after " + std::to_string(total_out_ + written) +
               " decoded bytes (" + s.error + ")";
    } else if (s.member_end) {
      if (format_ == Format::zlib)
        state_ = State::end;
      else
        at_member_end_ = true;
    } else if (s.consumed == 0 && s.produced == 0) {
      break;  // needs more input
    }
  }
  total_out_ += written;
  return written;
}

void StreamDecoder::finish() {
  if (state_ != State::more) return;
  if (at_member_end_) {
    state_ = State::end;
    return;
  }
  state_ = State::damaged;
  error_ = std::string("truncated: the ") + name_of(format_) + " data ends after " + std::to_string(total_out_) +
           " decoded bytes";
}

}  // namespace sfmc::compress
