#pragma once
// Base64 runs inside a content stream, found as the stream passes on its way to the
// matcher and decoded so the decoding layer can match what they hold (a Kubernetes
// Secret's data values, a base64'd .env in JSON, a base64'd zip).
//
// Cost matters: this looks at every byte of every text file. A run is looked at only
// where it may be kept (a SIMD search; identifiers, paths and hashes are shorter): when
// it is long enough to hold a token (64 bytes take at least 86 characters, wherever the
// token starts inside the decoded bytes), or is a line of 40 or more that may go on
// wrapped.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/text_position.hpp"

namespace sfmc {

class InputContext;

// How an encoded run's characters sit in the text around it, so a position inside the
// decoded bytes can be turned back into the line and column of the characters encoding it.
struct EncodedGeometry {
  TextPosition at;             // the run's first character, in the stream it was found in
  uint64_t line_width = 0;     // alphabet characters per line when wrapped, 0 on one line
  uint64_t break_bytes = 0;    // bytes of each line break: "\n" 1, "\r\n" 2, an escaped "\n" in JSON 2
  bool break_is_escape = false;  // the breaks are "\n" escapes, so the run stays on one line

  // The position of the run's k-th alphabet character.
  TextPosition position_of(uint64_t k) const;
};

struct EncodedRun {
  EncodedGeometry geometry;
  std::string_view decoded;  // held by the finder that found it
  bool truncated = false;  // longer than the finder may hold: only the start was decoded
};

class Base64RunFinder {
 public:
  // Shortest run that can hold a token (64 bytes encode to at least 86 characters).
  static constexpr std::size_t kMinRun = 86;
  // A run (or a wrapped block's first line) is kept only from this many characters on.
  static constexpr std::size_t kMinStretch = 40;

  // `max_held`: decoded bytes kept for one stream, all runs together.
  explicit Base64RunFinder(std::size_t max_held) : max_held_(max_held) {}

  // `bytes` were just committed to `ctx` at stream offset `at` (so ctx.position_at works
  // for them); a run may go on from one call to the next.
  void feed(std::string_view bytes, uint64_t at, InputContext& ctx);
  // The stream ended: closes an open run.
  void finish(InputContext& ctx);

  // The runs long enough to hold a token, in stream order; valid while the finder lives.
  std::vector<EncodedRun> runs() const;
  bool has_runs() const { return !held_runs_.empty(); }
  bool dropped_some() const { return dropped_; }  // runs past max_held were not kept at all

 private:
  std::size_t walk(const char* p, std::size_t n, std::size_t i, uint64_t base, InputContext& ctx);
  void start(uint64_t offset);
  void close(InputContext& ctx, uint64_t chunk_base);
  void put(unsigned v);
  void put_all(const char* p, std::size_t n);  // n alphabet characters
  void flush_quad();

  struct Held {
    EncodedGeometry geometry;
    std::size_t begin, size;  // in arena_
    bool truncated;
  };
  std::size_t max_held_;
  bool dropped_ = false;
  std::string arena_;  // the decoded bytes of every run kept, one after another
  std::vector<Held> held_runs_;

  // The open run.
  bool open_ = false;
  uint64_t start_ = 0;         // stream offset of its first character
  bool position_known_ = false;
  EncodedGeometry geometry_;
  std::string decoded_;
  bool truncated_ = false;
  uint64_t total_ = 0;         // alphabet characters so far
  uint64_t segment_ = 0;       // alphabet characters on the current line
  uint64_t lines_ = 0;         // line breaks joined so far
  std::size_t decoded_at_line_ = 0;  // decoded_.size() when the current line began
  int pending_break_ = 0;      // 0 none; 1 saw '\r'; 2 saw '\\'; 3 saw '\\r'; 4 saw '\\r\\'
  bool after_break_ = false;   // a break was joined: the next character must continue the run
  uint32_t quad_ = 0;
  int quad_len_ = 0;
};

// The forms of the finder's search: it uses the widest this CPU has.
enum class Base64Search { portable, avx2, avx512 };
std::vector<Base64Search> base64_search_levels();  // those this CPU has, widest last
// Where the search says the next run worth walking starts in `chunk`, from `from` on
// (chunk.size() if none), in one of the forms this CPU has. For tests, which hold every
// form to the same answers.
std::size_t base64_next_run(std::string_view chunk, std::size_t from, Base64Search search);

// Decodes standard or URL-safe base64 (both alphabets at once, padding and line breaks
// skipped); for tests and small inputs.
std::string decode_base64(std::string_view text);

}  // namespace sfmc
