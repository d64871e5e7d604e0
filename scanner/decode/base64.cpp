#include "decode/base64.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "sources/input.hpp"

namespace sfmc {

namespace {

constexpr unsigned kNot = 0xFF;

// Both alphabets at once: '+' and '-' are 62, '/' and '_' are 63. A run mixing them is
// decoded anyway; it is only ever matched, never trusted.
constexpr std::array<unsigned char, 256> make_values() {
  std::array<unsigned char, 256> v{};
  for (auto& x : v) x = kNot;
  for (int c = 'A'; c <= 'Z'; ++c) v[c] = static_cast<unsigned char>(c - 'A');
  for (int c = 'a'; c <= 'z'; ++c) v[c] = static_cast<unsigned char>(26 + c - 'a');
  for (int c = '0'; c <= '9'; ++c) v[c] = static_cast<unsigned char>(52 + c - '0');
  v['+'] = v['-'] = 62;
  v['/'] = v['_'] = 63;
  return v;
}
constexpr std::array<unsigned char, 256> kValue = make_values();

inline unsigned value(char c) { return kValue[static_cast<unsigned char>(c)]; }

// Which of 16 bytes are in either alphabet (a bit each).
inline unsigned alphabet_mask(__m128i v) {
  auto in = [](__m128i x, char lo, char hi) {
    const __m128i t = _mm_sub_epi8(x, _mm_set1_epi8(lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(static_cast<char>(hi - lo))), t);
  };
  auto is = [](__m128i x, char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
  // Letters of both cases at once (c | 0x20 is a lower-case letter only for letters);
  // '+' to '9' but ',' and '.' are '+', '-', '/' and the digits.
  const __m128i letters = in(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i punct = _mm_andnot_si128(_mm_or_si128(is(v, ','), is(v, '.')), in(v, '+', '9'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letters, punct), is(v, '_'))));
}

// What the search needs of 256 bytes, by 8-byte groups (a bit each, the group at p in
// bit 0): which are alphabet characters through and through, and which hold a
// character a wrapped line may break at ('\n', '\r', or the '\\' of an escaped "\n").
struct Groups {
  uint32_t whole = 0, breaks = 0;
};

inline uint64_t group_bits_of(unsigned mask16) {  // 16 byte flags to 2 group flags
  return uint64_t{(mask16 & 0xFFu) == 0xFFu} | uint64_t{(mask16 >> 8) == 0xFFu} << 1;
}

inline Groups groups_sse2(const char* p) {
  Groups g;
  const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), bs = _mm_set1_epi8('\\');
  for (int k = 0; k < 16; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    g.whole |= static_cast<uint32_t>(group_bits_of(alphabet_mask(v))) << (2 * k);
    const auto brk = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)), _mm_cmpeq_epi8(v, bs))));
    g.breaks |= static_cast<uint32_t>(uint32_t{(brk & 0xFFu) != 0} | uint32_t{(brk >> 8) != 0} << 1) << (2 * k);
  }
  return g;
}

// The same with two table lookups per byte (one per nibble): a byte is of a class when
// the classes its low nibble allows include its high nibble's. Alphabet classes: 1 "+-/"
// (high nibble 2), 2 digits (3), 4 A-O and a-o (4, 6), 8 P-Z and '_' (5), 16 p-z (7);
// breaks: 32 '\n' and '\r' (0), 64 '\\' (5). Bytes of 0x80 and up are in none.
__attribute__((target("avx2"))) inline Groups groups_avx2(const char* p) {
  constexpr char D = 2 | 8 | 16, A = 2 | 4 | 8 | 16;  // low nibble 0; 1 to 9 (digits, letters)
  const __m256i by_low = _mm256_setr_epi8(D, A, A, A, A, A, A, A, A, A, 4 | 8 | 16 | 32, 1 | 4, 4 | 64, 1 | 4 | 32, 4, 1 | 4 | 8,
                                          D, A, A, A, A, A, A, A, A, A, 4 | 8 | 16 | 32, 1 | 4, 4 | 64, 1 | 4 | 32, 4, 1 | 4 | 8);
  const __m256i by_high = _mm256_setr_epi8(32, 0, 1, 2, 4, 8 | 64, 4, 16, 0, 0, 0, 0, 0, 0, 0, 0,
                                           32, 0, 1, 2, 4, 8 | 64, 4, 16, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
  const __m256i alphabet = _mm256_set1_epi8(31), breaks = _mm256_set1_epi8(32 | 64);
  Groups g;
  for (int k = 0; k < 8; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
    const __m256i lo = _mm256_shuffle_epi8(by_low, v);  // a byte of 0x80 or more looks up 0
    const __m256i hi = _mm256_shuffle_epi8(by_high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
    const __m256i c = _mm256_and_si256(lo, hi);
    const __m256i outside = _mm256_cmpeq_epi8(_mm256_and_si256(c, alphabet), zero);
    const __m256i whole = _mm256_cmpeq_epi64(outside, zero);
    const __m256i brk = _mm256_cmpeq_epi64(_mm256_and_si256(c, breaks), zero);  // none in the group
    g.whole |= static_cast<uint32_t>(_mm256_movemask_pd(_mm256_castsi256_pd(whole))) << (4 * k);
    g.breaks |= static_cast<uint32_t>(~_mm256_movemask_pd(_mm256_castsi256_pd(brk)) & 0xF) << (4 * k);
  }
  return g;
}

// The same with AVX-512 VBMI, where one instruction looks 64 bytes up in a table of the
// 128 ASCII values (bytes of 0x80 and up are masked out first): 1 alphabet, 2 break.
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) inline Groups groups_avx512(const char* p) {
  alignas(64) static constexpr auto table = [] {
    std::array<unsigned char, 128> t{};
    for (int c = 0; c < 128; ++c) t[c] = kValue[c] != kNot ? 1 : c == '\n' || c == '\r' || c == '\\' ? 2 : 0;
    return t;
  }();
  const __m512i low = _mm512_load_si512(table.data()), high = _mm512_load_si512(table.data() + 64);
  const __m512i alphabet = _mm512_set1_epi8(1), breaks = _mm512_set1_epi8(2);
  Groups g;
  for (int k = 0; k < 4; ++k) {
    const __m512i v = _mm512_loadu_si512(p + 64 * k);
    const __m512i c = _mm512_maskz_permutex2var_epi8(~_mm512_movepi8_mask(v), low, v, high);
    g.whole |= static_cast<uint32_t>(_mm512_cmpeq_epi64_mask(c, alphabet)) << (8 * k);
    g.breaks |= static_cast<uint32_t>(_mm512_test_epi64_mask(c, breaks)) << (8 * k);
  }
  return g;
}

// The first j >= i at which p[j] is not in either alphabet, n when there is none.
// Sixteen bytes at a time: most of the time walking a run goes here.
inline std::size_t alphabet_end(const char* p, std::size_t n, std::size_t i) {
  for (; i + 16 <= n; i += 16) {
    const unsigned bad = ~alphabet_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i))) & 0xFFFFu;
    if (bad) return i + static_cast<std::size_t>(__builtin_ctz(bad));
  }
  while (i < n && value(p[i]) != kNot) ++i;
  return i;
}

// Whether a run of `len` characters followed by `after` may go on as wrapped base64:
// the first line of a block is at least kMinStretch long, a multiple of 4, and ends at
// a line break ("\n", "\r\n", or an escaped "\n" in JSON). walk() applies the same
// rule to the lines after it.
inline bool may_wrap(std::size_t len, char after) {
  return len >= Base64RunFinder::kMinStretch && len % 4 == 0 && (after == '\n' || after == '\r' || after == '\\');
}

// Where walk() must start next: the first run at or after i (none starts before i)
// that holds kMinRun characters or may go on wrapped; n if none. A run that reaches
// the chunk's end (it may go on in the next) may be returned or left to feed(), which
// looks at the chunk's last characters.
//
// The search runs over every byte of every text input, so it works on 8-byte groups,
// 256 bytes at a time. A run of kMinRun (86) holds 9 whole groups in a row, wherever it
// starts; one of kMinStretch (40) ending at a line break holds 4 whole groups followed
// by a group with the break. Identifiers, paths and hashes (a 40-character commit id
// every 2 KB of a lockfile-heavy repository) meet neither and cost nothing more; the
// few that do and may not be kept are passed over here without being opened or decoded.
template <Groups (*Classify)(const char*)>
[[gnu::always_inline]] inline std::size_t next_run(const char* p, std::size_t n, std::size_t i) {
  static_assert(Base64RunFinder::kMinRun >= 9 * 8 + 7 && Base64RunFinder::kMinStretch >= 4 * 8 + 7,
                "the group counts below must fit in the shortest runs kept");
  Groups before;  // the 256 bytes before `at` (since i), bit 31 their last group
  for (std::size_t at = i; at < n; at += 256) {
    Groups g;
    const bool last_block = at + 256 >= n;
    if (at + 256 <= n) {
      g = Classify(p + at);
    } else {  // the last bytes, in a copy: nothing past the chunk is read
      char last[256];
      std::memset(last, ' ', sizeof last);
      std::memcpy(last, p + at, n - at);
      g = Classify(last);
    }
    // Bit k of w and b is group k - 8: the eight before `at` come first. A start at
    // group k needs groups up to k + 8, so starts from -8 to 23 are decided here, the
    // ones after with the next 256 bytes; in the last, every start is (the groups past
    // the end are neither whole nor breaks).
    const uint64_t w = uint64_t{g.whole} << 8 | before.whole >> 24, b = uint64_t{g.breaks} << 8 | before.breaks >> 24;
    before = g;
    const uint64_t w2 = w & (w >> 1), w4 = w2 & (w2 >> 2), w8 = w4 & (w4 >> 4);
    const uint64_t hits = ((w8 & (w >> 8)) | (w4 & (b >> 4))) & (last_block ? ~uint64_t{0} : 0xFFFFFFFFu);
    if (hits == 0) continue;
    const std::size_t group = at + 8 * static_cast<std::size_t>(std::countr_zero(hits)) - 64;
    std::size_t s = group;
    while (s >= i + 16) {  // back to the run's first character, 16 at a time
      const unsigned bad = ~alphabet_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + s - 16))) & 0xFFFFu;
      if (bad) {
        s -= static_cast<std::size_t>(__builtin_clz(bad << 16));
        break;
      }
      s -= 16;
    }
    while (s > i && value(p[s - 1]) != kNot) --s;
    const std::size_t e = alphabet_end(p, n, group + 32);
    if (e >= n || e - s >= Base64RunFinder::kMinRun || may_wrap(e - s, p[e])) return s;
    // Passed over; padding ends a value, so the next may start right after it.
    i = p[e] == '=' ? e + 1 : e;
    at = i - 256;  // the loop's step brings it to i
    before = Groups{};
  }
  return n;
}

__attribute__((target("avx2"))) std::size_t next_run_avx2(const char* p, std::size_t n, std::size_t i) {
  return next_run<groups_avx2>(p, n, i);
}
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) std::size_t next_run_avx512(const char* p, std::size_t n, std::size_t i) {
  return next_run<groups_avx512>(p, n, i);
}
std::size_t next_run_sse2(const char* p, std::size_t n, std::size_t i) { return next_run<groups_sse2>(p, n, i); }

using NextRun = std::size_t (*)(const char*, std::size_t, std::size_t);
NextRun next_run_for(Base64Search search) {
  switch (search) {
    case Base64Search::avx512: return next_run_avx512;
    case Base64Search::avx2: return next_run_avx2;
    case Base64Search::portable: break;
  }
  return next_run_sse2;
}

// The widest search this CPU has, chosen once.
const NextRun kNextRun = next_run_for(base64_search_levels().back());

std::size_t next_run_start(const char* p, std::size_t n, std::size_t i) { return kNextRun(p, n, i); }

}  // namespace

TextPosition EncodedGeometry::position_of(uint64_t k) const {
  if (line_width == 0 || k < line_width) return {at.offset + k, at.line, at.column + k};
  const uint64_t breaks = k / line_width;
  TextPosition p;
  p.offset = at.offset + k + breaks * break_bytes;
  if (break_is_escape) {
    p.line = at.line;
    p.column = at.column + k + breaks * break_bytes;
  } else {
    p.line = at.line + breaks;
    p.column = 1 + k % line_width;
  }
  return p;
}

void Base64RunFinder::start(uint64_t offset) {
  open_ = true;
  start_ = offset;
  position_known_ = false;
  geometry_ = EncodedGeometry{};
  decoded_.clear();
  truncated_ = false;
  total_ = segment_ = lines_ = 0;
  decoded_at_line_ = 0;
  pending_break_ = 0;
  after_break_ = false;
  quad_ = 0;
  quad_len_ = 0;
}

void Base64RunFinder::put(unsigned v) {
  quad_ = (quad_ << 6) | v;
  if (++quad_len_ < 4) return;
  if (decoded_.size() + 3 + arena_.size() > max_held_) {
    truncated_ = true;
  } else {
    decoded_.push_back(static_cast<char>(quad_ >> 16));
    decoded_.push_back(static_cast<char>(quad_ >> 8));
    decoded_.push_back(static_cast<char>(quad_));
  }
  quad_ = 0;
  quad_len_ = 0;
}

void Base64RunFinder::put_all(const char* p, std::size_t n) {
  std::size_t i = 0;
  while (i < n && quad_len_ != 0) put(value(p[i++]));
  // Whole quads straight into the output while they fit; put() handles the limit.
  const std::size_t quads = (n - i) / 4;
  const std::size_t held = arena_.size() + decoded_.size();
  const std::size_t room = held < max_held_ ? (max_held_ - held) / 3 : 0;
  const std::size_t fast = std::min(quads, room);
  if (fast > 0) {
    std::size_t at = decoded_.size();
    decoded_.resize(at + 3 * fast);
    char* out = decoded_.data() + at;
    for (std::size_t q = 0; q < fast; ++q, i += 4, out += 3) {
      const uint32_t v = (value(p[i]) << 18) | (value(p[i + 1]) << 12) | (value(p[i + 2]) << 6) | value(p[i + 3]);
      out[0] = static_cast<char>(v >> 16);
      out[1] = static_cast<char>(v >> 8);
      out[2] = static_cast<char>(v);
    }
  }
  while (i < n) put(value(p[i++]));
}

// Unpadded ends: 2 characters hold one byte, 3 hold two (1 is not base64 and gives none).
void Base64RunFinder::flush_quad() {
  if (quad_len_ >= 2 && decoded_.size() + 2 + arena_.size() <= max_held_) {
    const uint32_t q = quad_ << (6 * (4 - quad_len_));
    decoded_.push_back(static_cast<char>(q >> 16));
    if (quad_len_ == 3) decoded_.push_back(static_cast<char>(q >> 8));
  }
  quad_ = 0;
  quad_len_ = 0;
}

void Base64RunFinder::close(InputContext& ctx, uint64_t) {
  flush_quad();
  if (total_ >= kMinRun) {
    if (!position_known_) geometry_.at = ctx.position_at(start_);
    if (decoded_.empty() || arena_.size() >= max_held_) {
      dropped_ = true;
    } else {
      held_runs_.push_back(Held{geometry_, arena_.size(), decoded_.size(), truncated_});
      arena_.append(decoded_);
    }
  }
  open_ = false;
  // The buffer is kept for the next run (one allocation per stream, not per run),
  // unless a long run made it large.
  if (decoded_.capacity() > (1u << 20)) decoded_ = std::string();
  decoded_.clear();
}

// Goes on with the open run from p[i]; returns where it ended (the run is then closed),
// or n with the run still open.
std::size_t Base64RunFinder::walk(const char* p, std::size_t n, std::size_t i, uint64_t base, InputContext& ctx) {
  // A line break continues a run only as wrapped base64 does it: every line but the
  // last the same length, a multiple of 4, at least kMinStretch. Lists of separate
  // values (one hash a line) mostly fail that, and a value glued to the next line's
  // text would decode into garbage that hides a token's right boundary.
  auto may_break = [&] {
    return segment_ >= kMinStretch && segment_ % 4 == 0 && (lines_ == 0 || segment_ == geometry_.line_width);
  };
  auto join = [&](uint64_t bytes, bool escape) {
    if (lines_ == 0) {
      geometry_.line_width = segment_;
      geometry_.break_bytes = bytes;
      geometry_.break_is_escape = escape;
    }
    ++lines_;
    after_break_ = true;
    pending_break_ = 0;
  };
  while (i < n) {
    const char c = p[i];
    if (pending_break_) {
      if (pending_break_ == 1 && c == '\n') {
        join(2, false);
      } else if (pending_break_ == 2 && c == 'n') {
        join(2, true);
      } else if (pending_break_ == 2 && c == 'r') {
        pending_break_ = 3;
      } else if (pending_break_ == 3 && c == '\\') {
        pending_break_ = 4;
      } else if (pending_break_ == 4 && c == 'n') {
        join(4, true);
      } else {
        close(ctx, base);
        return i;
      }
      ++i;
      continue;
    }
    const unsigned v = value(c);
    if (v != kNot) {
      const std::size_t e = alphabet_end(p, n, i);
      if (after_break_) {
        after_break_ = false;
        segment_ = 0;
        decoded_at_line_ = decoded_.size();
      }
      // All of the segment at once, except past a wrapped block's line width, where
      // the one-character path below splits the run.
      std::size_t take = e - i;
      if (lines_ > 0) take = segment_ < geometry_.line_width ? std::min<std::size_t>(take, geometry_.line_width - segment_) : 0;
      if (take > 1) {
        put_all(p + i, take);
        segment_ += take;
        total_ += take;
        i += take;
        continue;
      }
      put(v);
      ++segment_;
      ++total_;
      ++i;
      if (lines_ > 0 && segment_ > geometry_.line_width) {
        // Longer than the lines before it: not their continuation. The wrapped block
        // ends at the last break, and this line starts a run of its own.
        if (!position_known_) {
          geometry_.at = ctx.position_at(start_);
          position_known_ = true;
        }
        const TextPosition line_start = geometry_.position_of(total_ - segment_);
        const uint64_t line_chars = segment_;
        std::string line_bytes = decoded_.substr(decoded_at_line_);
        decoded_.resize(decoded_at_line_);
        const uint32_t quad = quad_;
        const int quad_len = quad_len_;
        quad_len_ = 0;
        total_ -= line_chars;
        close(ctx, base);
        start(line_start.offset);
        geometry_.at = line_start;
        position_known_ = true;
        decoded_ = std::move(line_bytes);
        quad_ = quad;
        quad_len_ = quad_len;
        total_ = segment_ = line_chars;
      }
      continue;
    }
    if (after_break_) {  // a blank line or indentation after the break: the run ended with it
      close(ctx, base);
      return i;
    }
    if (c == '=') {  // padding: the end of this value
      close(ctx, base);
      return i + 1;
    }
    if (may_break()) {
      if (c == '\n') {
        join(1, false);
        ++i;
        continue;
      }
      if (c == '\r' || c == '\\') {
        pending_break_ = c == '\r' ? 1 : 2;
        ++i;
        continue;
      }
    }
    close(ctx, base);
    return i;
  }
  return n;
}

void Base64RunFinder::feed(std::string_view bytes, uint64_t at, InputContext& ctx) {
  const char* p = bytes.data();
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  if (open_) i = walk(p, n, 0, at, ctx);
  if (!open_) {
    // Each run that may be kept (SIMD search, next_run), walked from its first character.
    for (;;) {
      const std::size_t s = next_run_start(p, n, i);
      if (s >= n) break;
      start(at + s);
      i = walk(p, n, s, at, ctx);
      if (open_) break;
    }
    if (!open_) {
      // The run the chunk ends in, if the search left it: it may go on in the next chunk.
      std::size_t k = n;
      while (k > i && value(p[k - 1]) != kNot) --k;
      if (k < n) {
        start(at + k);
        walk(p, n, k, at, ctx);
      }
    }
  }
  // Its first character leaves the matcher's buffer before the next chunk comes.
  if (open_ && !position_known_) {
    geometry_.at = ctx.position_at(start_);
    position_known_ = true;
  }
}

void Base64RunFinder::finish(InputContext& ctx) {
  if (open_) close(ctx, 0);
}

std::vector<EncodedRun> Base64RunFinder::runs() const {
  std::vector<EncodedRun> out;
  out.reserve(held_runs_.size());
  for (const Held& h : held_runs_)
    out.push_back(EncodedRun{h.geometry, std::string_view(arena_).substr(h.begin, h.size), h.truncated});
  return out;
}

std::vector<Base64Search> base64_search_levels() {
  std::vector<Base64Search> out{Base64Search::portable};
  if (__builtin_cpu_supports("avx2")) out.push_back(Base64Search::avx2);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi"))
    out.push_back(Base64Search::avx512);
  return out;
}

std::size_t base64_next_run(std::string_view chunk, std::size_t from, Base64Search search) {
  return next_run_for(search)(chunk.data(), chunk.size(), from);
}

std::string decode_base64(std::string_view text) {
  std::string out;
  uint32_t quad = 0;
  int len = 0;
  for (char c : text) {
    const unsigned v = value(c);
    if (v == kNot) continue;
    quad = (quad << 6) | v;
    if (++len == 4) {
      out.push_back(static_cast<char>(quad >> 16));
      out.push_back(static_cast<char>(quad >> 8));
      out.push_back(static_cast<char>(quad));
      quad = 0;
      len = 0;
    }
  }
  if (len >= 2) {
    quad <<= 6 * (4 - len);
    out.push_back(static_cast<char>(quad >> 16));
    if (len == 3) out.push_back(static_cast<char>(quad >> 8));
  }
  return out;
}

}  // namespace sfmc
