#include "decode/content.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include "decode/base64.hpp"
#include "compress/stream_decoder.hpp"
#include "decode/gzip_whole.hpp"
#include "decode/decompressing_source.hpp"
#include "decode/mail.hpp"
#include "decode/pdf.hpp"
#include "decode/sniff.hpp"
#include "decode/utf16.hpp"

namespace sfmc {

std::string ContentInfo::display_path() const {
  std::string out;
  for (std::size_t i = 0; i < chain.size(); ++i) out += (i ? "!" : "") + chain[i];
  return out;
}

namespace {

constexpr std::size_t kPeek = 64 * 1024;

// What one input may expand to, shared by every nesting level inside it.
struct Budget {
  uint64_t compressed = 0;  // the input's own size, when known
  uint64_t expanded = 0;
  uint64_t members = 0;
  std::string tripped;      // why reading stopped, once a limit is hit

  // Counts `n` more expanded bytes; false (and `tripped` set) once a limit is passed.
  bool charge(uint64_t n, const ArchiveLimits& l) {
    expanded += n;
    if (expanded > l.max_expanded)
      tripped = "expanded past " + std::to_string(l.max_expanded) + " bytes (limit)";
    else if (compressed && expanded > (64ull << 20) && expanded / compressed > l.max_ratio)
      tripped = "expansion ratio past " + std::to_string(l.max_ratio) + ":1 (a zip bomb?)";
    return tripped.empty();
  }
};

struct Walk {
  const DecodeOptions& options;
  InputContext& ctx;
  Budget budget;
  int encoded_depth = 0;  // base64 layers around the stream being read
};

// Base64 layers decoded inside one another. They do not count against --archive-depth:
// each layer is 3/4 the size of the one around it, so nesting cannot make a bomb, and a
// secret base64'd four or six times (a Kubernetes Secret of a base64'd config of...)
// is found. Deeper than this is an encoding-limit warning.
constexpr int kMaxEncodedDepth = 8;

void scan_stream(ByteSource& src, ContentInfo info, int depth, Walk& walk);

// Where a stream's bytes go: into the matcher, and past the base64 run finder (when on),
// which sees every byte once, right after the matcher did.
struct Output {
  InputContext& ctx;
  Base64RunFinder* runs = nullptr;
  uint64_t at = 0;  // stream offset of the next byte
  // Whether a run's characters can be placed exactly. UTF-16 text can (lines and
  // columns count decoded characters, as everywhere), so nothing sets this today.
  bool exact_offsets = true;

  void committed(const char* p, std::size_t n) {
    if (!runs) {
      ctx.commit(n);
      at += n;
      return;
    }
    // In slices, so the finder reads each while it is still in the core's cache from
    // the matcher's pass (a whole 1 MiB chunk is not).
    constexpr std::size_t kSlice = 64 << 10;
    for (std::size_t done = 0; done < n;) {
      const std::size_t k = std::min(kSlice, n - done);
      ctx.commit(k);
      runs->feed(std::string_view(p + done, k), at, ctx);
      at += k;
      done += k;
    }
  }
  void write_all(std::string_view data) {
    while (!data.empty()) {
      std::span<char> area = ctx.write_area();
      std::size_t n = std::min(data.size(), area.size());
      std::memcpy(area.data(), data.data(), n);
      committed(area.data(), n);
      data.remove_prefix(n);
    }
  }
  // Ends the stream (runs first: their positions need the stream still open).
  void end(uint64_t bytes, std::optional<Skipped> problem) {
    if (runs) runs->finish(ctx);
    ctx.end(bytes, std::move(problem));
  }
};

// A stream that is a base64 run's decoded bytes, not a file or member of its own.
bool decoded_layer(const ContentInfo& info) {
  return info.encoding == "base64" && !info.chain.empty() && info.chain.back().rfind("base64@", 0) == 0;
}

// A read that failed, as the skip it makes: a store that did not answer in time cut the
// input (io-timeout); anything else left it unreadable.
Skipped read_failed(const ByteSource& src, const std::string& doing) {
  return {"", src.timed_out() ? SkipReason::io_timeout : SkipReason::unreadable, doing + src.error()};
}

// Reads the first bytes without losing them: they are matched or handed on after.
std::string peek(ByteSource& src, bool& failed) {
  std::string head(kPeek, '\0');
  std::size_t got = 0;
  while (got < head.size()) {
    ssize_t n = src.read(head.data() + got, head.size() - got);
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  head.resize(got);
  return head;
}

// Reads the rest of an open stream straight into the matcher's buffer, and ends it.
void scan_rest(ByteSource& src, uint64_t bytes, Output& out) {
  InputContext& ctx = out.ctx;
  std::optional<Skipped> problem;
  // A short read that reaches the known size is the end: no read() just to see 0.
  const uint64_t size = src.size_hint();
  for (;;) {
    if (size > 0 && bytes >= size) break;
    std::span<char> area = ctx.write_area();
    ssize_t n = src.read(area.data(), area.size());
    if (n < 0) {
      problem = read_failed(src, "read failed after " + std::to_string(bytes) + " bytes: ");
      break;
    }
    if (n == 0) break;
    out.committed(area.data(), static_cast<std::size_t>(n));
    bytes += static_cast<uint64_t>(n);
  }
  out.end(bytes, std::move(problem));
}

// A stream as bytes: text, or binary data (secrets in SQLite files and core dumps count).
void scan_bytes(ByteSource& src, std::string_view head, ContentInfo info, Output& out) {
  out.ctx.begin(std::move(info));
  out.write_all(head);
  scan_rest(src, head.size(), out);
}

void scan_utf16(ByteSource& src, std::string_view head, ContentInfo info, bool big_endian, Output& out) {
  info.encoding = big_endian ? "utf-16be" : "utf-16le";
  // Decoded UTF-8 offsets are not the container's: a run found in it is placed at its start only.
  if (info.in_place) info.in_place->exact = false;
  out.ctx.begin(std::move(info));
  Utf16Decoder decoder(big_endian);
  std::string utf8;
  decoder.decode(head, utf8);
  out.write_all(utf8);
  uint64_t bytes = head.size();
  std::string raw(kPeek, '\0');
  std::optional<Skipped> problem;
  for (;;) {
    ssize_t n = src.read(raw.data(), raw.size());
    if (n < 0) {
      problem = read_failed(src, "read failed after " + std::to_string(bytes) + " bytes: ");
      break;
    }
    if (n == 0) break;
    bytes += static_cast<uint64_t>(n);
    utf8.clear();
    decoder.decode(std::string_view(raw.data(), static_cast<std::size_t>(n)), utf8);
    out.write_all(utf8);
  }
  utf8.clear();
  decoder.finish(utf8);
  out.write_all(utf8);
  out.end(bytes, std::move(problem));
}

// One archive member's bytes, counted against the input's budget as they expand.
class MemberSource final : public ByteSource {
 public:
  MemberSource(archive* a, Walk& walk) : a_(a), walk_(walk) {}
  ssize_t read(char* buf, std::size_t n) override {
    if (!walk_.budget.tripped.empty()) return -1;
    la_ssize_t got = archive_read_data(a_, buf, n);
    if (got < 0) {
      error_ = archive_error_string(a_) ? archive_error_string(a_) : "damaged member";
      return -1;
    }
    if (!walk_.budget.charge(static_cast<uint64_t>(got), walk_.options.limits)) {
      error_ = walk_.budget.tripped;
      return -1;
    }
    return got;
  }
  std::string error() const override { return error_; }

 private:
  archive* a_;
  Walk& walk_;
  std::string error_;
};

struct ArchiveClient {
  ByteSource* src = nullptr;
  std::string buffer = std::string(kPeek, '\0');
  std::string error;
};

la_ssize_t archive_read_cb(archive*, void* client, const void** block) {
  auto* c = static_cast<ArchiveClient*>(client);
  ssize_t n = c->src->read(c->buffer.data(), c->buffer.size());
  if (n < 0) {
    c->error = c->src->error();
    return -1;
  }
  *block = c->buffer.data();
  return n;
}

// "config.env.gz" holds "config.env": a compressed file without archive format has no
// member name of its own.
std::string raw_member_name(const std::string& container) {
  std::string base = container.substr(container.find_last_of("/!") == std::string::npos ? 0 : container.find_last_of("/!") + 1);
  for (const char* ext : {".gz", ".tgz", ".bz2", ".xz", ".zst", ".zstd"}) {
    std::string e(ext);
    if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0)
      return base.substr(0, base.size() - e.size()) + (e == ".tgz" ? ".tar" : "");
  }
  return base.empty() ? "data" : base;
}

// libarchive converts member names to the locale's character set, and in the C locale
// (the scanner never calls setlocale) a UTF-8 name does not convert: the name is lost.
// While an archive is read, this thread's locale is C.UTF-8, whatever the process's.
class Utf8NamesOnThisThread {
 public:
  Utf8NamesOnThisThread() {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
    if (utf8 != static_cast<locale_t>(0)) previous_ = uselocale(utf8);
  }
  ~Utf8NamesOnThisThread() {
    if (previous_ != static_cast<locale_t>(0)) uselocale(previous_);
  }
  Utf8NamesOnThisThread(const Utf8NamesOnThisThread&) = delete;
  Utf8NamesOnThisThread& operator=(const Utf8NamesOnThisThread&) = delete;

 private:
  locale_t previous_ = static_cast<locale_t>(0);
};

// A member's name as UTF-8 where libarchive can tell; else its bytes as they are (the
// reporters escape what is not UTF-8).
std::string member_name(archive_entry* entry) {
  if (const char* utf8 = archive_entry_pathname_utf8(entry)) return utf8;
  if (const char* mbs = archive_entry_pathname(entry)) return mbs;
  return {};
}

// How far opening `src` as an archive got.
enum class ArchiveOutcome {
  read,          // every member was read (or a limit stopped it, with a warning)
  not_archive,   // it could not be opened, or its first header is damaged: nothing was read
  no_members,    // it opened but held no member at all
  damaged,       // members were read, then it broke off (reported)
};

struct ArchiveResult {
  ArchiveOutcome outcome = ArchiveOutcome::not_archive;
  bool compressed = false;  // a compression filter (gzip, xz...) sits under the format
};

// Opens `src` as an archive and scans its members. With `decompress_only`, no archive
// format is tried: the decompressed stream is one member, matched as its bytes.
ArchiveResult scan_archive(ByteSource& src, const ContentInfo& info, int depth, Walk& walk, bool decompress_only) {
  ArchiveResult result;
  Utf8NamesOnThisThread utf8_names;
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  if (!decompress_only) {
    archive_read_support_format_all(a.get());
    // A second tar after the first one's end blocks (`cat a.tar b.tar`) is read too:
    // tar stops at the first zero block otherwise and the rest would go unseen.
    archive_read_set_format_option(a.get(), "tar", "read_concatenated_archives", "1");
  }
  archive_read_support_format_raw(a.get());  // a compressed single file: one member
  ArchiveClient client;
  client.src = &src;
  if (archive_read_open(a.get(), &client, nullptr, archive_read_cb, nullptr) != ARCHIVE_OK) return result;
  // Filter 0 is the outermost one; a plain archive has only "none".
  result.compressed = archive_filter_count(a.get()) > 1 && archive_filter_code(a.get(), 0) != ARCHIVE_FILTER_NONE;
  InputContext& ctx = walk.ctx;
  uint64_t members = 0;
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    // RETRY (a tar header whose checksum fails) ranks above WARN but is damage all the
    // same: taken for a member, it would end the archive in silence.
    if (rc < ARCHIVE_WARN || rc == ARCHIVE_RETRY) {
      if (members == 0) {
        result.outcome = ArchiveOutcome::not_archive;
        return result;
      }
      const char* why = archive_error_string(a.get());
      ctx.note({"", SkipReason::corrupt_archive,
                "damaged after " + std::to_string(members) + " members: " + (why ? why : "unreadable header")},
               info.chain);
      result.outcome = ArchiveOutcome::damaged;
      return result;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;  // folders, links, devices
    ++members;
    if (++walk.budget.members > walk.options.limits.max_members) {
      ctx.note({"", SkipReason::archive_limit,
                "more than " + std::to_string(walk.options.limits.max_members) + " members (limit); the rest was not read"},
               info.chain);
      result.outcome = ArchiveOutcome::read;
      return result;
    }
    const bool raw = archive_format(a.get()) == ARCHIVE_FORMAT_RAW;
    if (raw && !result.compressed && !decompress_only) {
      // No format and no compression recognised (a tar header that fails its checksum):
      // the "member" would be the input itself, opened again and again.
      result.outcome = ArchiveOutcome::not_archive;
      return result;
    }
    std::string name = raw ? std::string() : member_name(entry);
    ContentInfo member = info;
    member.chain.push_back(name.empty() ? raw_member_name(info.chain.back()) : std::move(name));
    member.encoding = "utf-8";
    member.in_place.reset();  // a member has lines of its own
    if (archive_entry_mtime_is_set(entry)) member.mtime = archive_entry_mtime(entry);
    if (ctx.max_size() > 0 && archive_entry_size_is_set(entry) && static_cast<uint64_t>(archive_entry_size(entry)) > ctx.max_size()) {
      ctx.note({"", SkipReason::too_large,
                std::to_string(archive_entry_size(entry)) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
               member.chain);
      continue;
    }
    MemberSource ms(a.get(), walk);
    scan_stream(ms, std::move(member), depth + 1, walk);
    if (!walk.budget.tripped.empty()) {
      ctx.note({"", SkipReason::archive_limit, walk.budget.tripped + "; the rest was not read"}, info.chain);
      result.outcome = ArchiveOutcome::read;
      return result;
    }
  }
  result.outcome = members == 0 ? ArchiveOutcome::no_members : ArchiveOutcome::read;
  return result;
}

// Opens `src` (rewindable) as an archive; whatever its members did not account for is
// still matched: a compressed stream with no archive inside (content starting with
// 512 NULs looks like an empty tar) or a damaged one is matched as its decompressed
// bytes, a damaged plain archive as its bytes. False: not an archive at all (nothing
// read; `src` may have been consumed).
bool scan_archive_or_rest(ByteSource& src, const ContentInfo& info, int depth, Walk& walk) {
  ArchiveResult r = scan_archive(src, info, depth, walk, false);
  if (r.outcome == ArchiveOutcome::read) return true;
  if (r.outcome == ArchiveOutcome::no_members && !r.compressed) return true;  // an empty zip or tar
  if (r.outcome == ArchiveOutcome::not_archive && !r.compressed) return false;
  InputContext& ctx = walk.ctx;
  if (!src.rewind()) {
    ctx.note({"", SkipReason::corrupt_archive,
              "could not be read again to match what its members did not cover; the rest was not matched"},
             info.chain);
    return true;
  }
  if (r.compressed) {
    if (r.outcome == ArchiveOutcome::damaged)
      ctx.note({"", SkipReason::corrupt_archive, "matched again as its decompressed bytes"}, info.chain);
    ArchiveResult again = scan_archive(src, info, depth, walk, true);
    if (again.outcome != ArchiveOutcome::not_archive) return true;
    if (!src.rewind()) return true;
    if (r.outcome != ArchiveOutcome::damaged) return false;
  }
  // A damaged archive's own bytes: members after the damage (and a tar member that
  // claims more bytes than there are) are still matched.
  ContentInfo whole = info;
  whole.encoding = "binary";
  ctx.begin(std::move(whole));
  Output out{ctx};  // bytes of a damaged archive: no base64 runs looked for in them
  scan_rest(src, 0, out);
  return true;
}

// Mail and PDF files are parsed in memory, up to this size (larger ones are matched as bytes).
constexpr std::size_t kHoldDocument = 256u << 20;

// Appends the rest of `src` to `into`, up to `cap` bytes in all. False on a read error.
bool read_whole(ByteSource& src, std::string& into, std::size_t cap) {
  while (into.size() < cap) {
    std::size_t at = into.size();
    into.resize(std::min(cap, at + kPeek));
    ssize_t n = src.read(into.data() + at, into.size() - at);
    if (n <= 0) {
      into.resize(at);
      return n == 0;
    }
    into.resize(at + static_cast<std::size_t>(n));
  }
  return true;
}

// Gzip files up to this size are inflated whole (decode/gzip_whole.hpp), larger ones streamed.
constexpr uint64_t kWholeGzip = 1u << 20;
// What a small .gz file may inflate to in memory. More than that is streamed
// (decode/decompressing_source.hpp) in flat memory, whatever its size: a 12 MB dump.sql.gz
// of 100 MB, a multi-member file, a lying trailer. Holding more would buy little speed
// and cost a user's RAM.
constexpr uint64_t kWholeInflated = 16u << 20;

// A decompressed source that stops (ends) when the input's expansion budget is spent.
class BudgetedSource final : public ByteSource {
 public:
  BudgetedSource(ByteSource& inner, Walk& walk) : inner_(inner), walk_(walk) {}
  ssize_t read(char* buf, std::size_t n) override {
    if (!walk_.budget.tripped.empty()) return 0;
    ssize_t got = inner_.read(buf, n);
    if (got > 0 && !walk_.budget.charge(static_cast<uint64_t>(got), walk_.options.limits)) return 0;
    return got;
  }
  bool rewind() override { return inner_.rewind(); }
  bool can_rewind() const override { return inner_.can_rewind(); }
  std::string error() const override { return inner_.error(); }
  bool timed_out() const override { return inner_.timed_out(); }

 private:
  ByteSource& inner_;
  Walk& walk_;
};

bool is_tar(std::string_view head) { return head.size() >= 262 && head.substr(257, 5) == "ustar"; }

// What a compressed stream decompresses to: a tar is opened as the one-level archive a
// .tar.gz always was; anything else is one member, "config.env" of "config.env.gz", a
// level deeper.
void scan_decompressed(ByteSource& decoded, const ContentInfo& info, int depth, Walk& walk) {
  bool failed = false;
  std::string head = peek(decoded, failed);
  if (failed) {
    walk.ctx.note(read_failed(decoded, "read failed: "), info.chain);
    return;
  }
  PrefixedSource whole(head, decoded);
  if (is_tar(head) && scan_archive_or_rest(whole, info, depth, walk)) return;
  ContentInfo member = info;
  member.chain.push_back(raw_member_name(info.chain.back()));
  member.encoding = "utf-8";
  member.in_place.reset();
  // Read once: the context pass would otherwise decode the whole stream a second time
  // (a 100 MB .xz took 0.9 s where one pass takes 0.5 s).
  OnePassSource once(whole);
  scan_stream(once, std::move(member), depth + 1, walk);
}

// A gzip, xz, zstd or bzip2 file or stream, of any size. A small .gz file is inflated in
// one call; the rest is streamed through the matcher in constant memory, every member
// of it. A damaged stream is matched up to the damage, with a warning, and then as its
// own bytes (when they can be read again).
void scan_compressed(ByteSource& src, std::string_view head, compress::Format format, ContentInfo info, int depth,
                     Walk& walk, Output& out) {
  InputContext& ctx = walk.ctx;
  Budget& b = walk.budget;
  if (format == compress::Format::gzip && src.can_rewind() && src.size_hint() > 0 && src.size_hint() <= kWholeGzip) {
    std::string gz(head);
    if (!read_whole(src, gz, kWholeGzip + 1)) {
      ctx.note(read_failed(src, "read failed: "), info.chain);
      return;
    }
    const uint64_t room = b.expanded >= walk.options.limits.max_expanded ? 0 : walk.options.limits.max_expanded - b.expanded;
    std::string inflated;
    if (gz.size() <= kWholeGzip && gunzip_whole(gz, std::min(room, kWholeInflated), inflated) == GunzipWhole::inflated) {
      b.expanded += inflated.size();
      MemorySource decoded(inflated);
      scan_decompressed(decoded, info, depth, walk);
      return;
    }
    if (!src.rewind()) {
      ctx.note(read_failed(src, "could not be read again to stream it: "), info.chain);
      return;
    }
    head = {};  // read again from the start
  }
  PrefixedSource compressed(head, src);
  DecompressingSource decompressing(compressed, format);
  BudgetedSource decoded(decompressing, walk);
  scan_decompressed(decoded, info, depth, walk);
  if (!b.tripped.empty()) {
    ctx.note({"", SkipReason::archive_limit, b.tripped + "; the rest was not read"}, info.chain);
    return;
  }
  if (!decompressing.damaged()) return;
  if (decoded_layer(info))  // a base64 run that only started like one: counted, as below
    ctx.decoded_not_archive();
  else
    ctx.note({"", SkipReason::corrupt_archive, "damaged " + std::string(compress::name_of(format)) + " stream, " +
                                                   decompressing.damage() + ": the bytes that decoded were matched"},
             info.chain);
  // The file's own bytes, as the README promises for a damaged archive: text after the
  // damage, or a file that only looked compressed.
  if (!src.rewind()) return;
  info.encoding = "binary";
  scan_bytes(src, {}, std::move(info), out);
}

// Room left in the input's expansion budget.
uint64_t budget_left(const Walk& walk) {
  const uint64_t max = walk.options.limits.max_expanded;
  return walk.budget.expanded >= max ? 0 : max - walk.budget.expanded;
}

// Decoded content of a document (a mail part, a PDF page) as a stream of its own, one
// level deeper: an attached zip is opened, base64 inside it decoded.
void scan_decoded(std::string_view decoded, ContentInfo info, int depth, Walk& walk) {
  walk.budget.expanded += decoded.size();
  MemorySource src(decoded);
  scan_stream(src, std::move(info), depth + 1, walk);
}

// Where byte `offset` of `raw` is: its line, and its column (in bytes: a mail body's
// encoded text is ASCII).
TextPosition position_in(const std::string& raw, uint64_t offset) {
  TextPosition p;
  p.offset = offset;
  p.line = 1 + static_cast<uint64_t>(std::count(raw.begin(), raw.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  const std::size_t line_start = offset == 0 ? std::string::npos : raw.rfind('\n', offset - 1);
  p.column = line_start == std::string::npos ? offset + 1 : offset - line_start;
  return p;
}

// A part's encoded body as it lies in its message; empty when its place is not known.
std::string_view body_of(const std::string& raw, const MailPart& part) {
  if (part.body_begin < 0 || part.body_end <= part.body_begin || static_cast<uint64_t>(part.body_end) > raw.size()) return {};
  return std::string_view(raw).substr(static_cast<std::size_t>(part.body_begin), static_cast<std::size_t>(part.body_end - part.body_begin));
}

// A quoted-printable part's body, mapped byte by byte to where it lies in its message;
// nullopt when its place is not known or it does not decode as the parser decoded it.
std::optional<ContentInfo::InPlace> quoted_printable_body(const std::string& raw, const MailPart& part) {
  const std::string_view body = body_of(raw, part);
  if (part.encoding != "quoted-printable" || body.empty()) return std::nullopt;
  const TextPosition start = position_in(raw, static_cast<uint64_t>(part.body_begin));
  std::optional<DecodedSpans> spans = DecodedSpans::quoted_printable(body, start, part.decoded);
  if (!spans) return std::nullopt;
  ContentInfo::InPlace where;
  where.geometry.at = start;
  where.exact = true;
  where.layers = part.chain.size();
  where.spans = std::make_shared<const DecodedSpans>(std::move(*spans));
  return where;
}

// Where a base64 part's body lies in its message, as a base64 run found in the text
// would be described: its first character's line and column, and the width of its
// lines. A finding in the part is then located at the characters that encode it, in
// the file a user opens (the part's name is said apart). nullopt when the body's place
// is not known or it is not laid out as base64 is (lines of one width, the last shorter).
std::optional<ContentInfo::InPlace> base64_body(const std::string& raw, const MailPart& part) {
  const std::string_view body = body_of(raw, part);
  if (part.encoding != "base64" || body.empty()) return std::nullopt;
  // Lines of the body, line breaks apart: every one but the last of the first's width.
  uint64_t width = 0, break_bytes = 0;
  bool last = false;
  for (std::size_t at = 0; at < body.size();) {
    std::size_t eol = body.find('\n', at);
    const std::size_t next = eol == std::string_view::npos ? body.size() : eol + 1;
    std::size_t end = eol == std::string_view::npos ? body.size() : eol;
    const bool cr = end > at && body[end - 1] == '\r';
    if (cr) --end;
    const std::string_view line = body.substr(at, end - at);
    at = next;
    if (line.empty()) {
      last = true;  // the blank line before the boundary, or the body's end
      continue;
    }
    for (char c : line)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') return std::nullopt;
    if (last) return std::nullopt;  // text after a blank line: not one run
    if (width == 0) {
      width = line.size();
      break_bytes = eol == std::string_view::npos ? 0 : (cr ? 2 : 1);
    } else if (line.size() > width) {
      return std::nullopt;
    } else if (line.size() < width) {
      last = true;  // the shorter last line: nothing may follow
    }
  }
  if (width == 0) return std::nullopt;
  ContentInfo::InPlace where;
  where.geometry.at = position_in(raw, static_cast<uint64_t>(part.body_begin));
  where.geometry.line_width = body.size() > width + break_bytes ? width : 0;
  where.geometry.break_bytes = break_bytes;
  where.exact = true;
  where.layers = part.chain.size();
  return where;
}

// A MIME message or mbox: its text (encoded bodies blanked, so nothing is matched twice)
// at the file's own lines, then each encoded part decoded, named by its file name.
void scan_mail(const std::string& raw, ContentInfo info, int depth, Walk& walk, Output& out) {
  MailContent mail = read_mail(raw, budget_left(walk));
  ContentInfo container = info;
  out.ctx.begin(std::move(info));
  out.write_all(mail.text);
  out.end(raw.size(), std::nullopt);
  if (!mail.problem.empty()) walk.ctx.note({"", SkipReason::corrupt_archive, mail.problem}, container.chain);
  if (!mail.limit.empty()) walk.ctx.note({"", SkipReason::encoding_limit, mail.limit}, container.chain);
  if (!mail.unavailable.empty()) walk.ctx.note({"", SkipReason::decoder_unavailable, mail.unavailable}, container.chain);
  for (MailPart& part : mail.parts) {
    ContentInfo child = container;
    child.chain.insert(child.chain.end(), part.chain.begin(), part.chain.end());
    child.encoding = part.encoding;
    // A base64 part of a message read where it lies is located in the message; one of a
    // message that is itself decoded in place, at where that message is.
    std::optional<ContentInfo::InPlace> in_place = base64_body(raw, part);
    if (!in_place) in_place = quoted_printable_body(raw, part);
    if (in_place && container.in_place) {
      in_place = container.in_place;
      in_place->exact = false;
      in_place->layers += part.chain.size();
    }
    child.in_place = in_place;
    scan_decoded(part.decoded, std::move(child), depth, walk);
    part.decoded = std::string();
  }
}

// Decoded bytes of one PDF page held to pull out its text; a larger page has its start
// matched as bytes (with a warning), and the next pages are still decoded.
constexpr uint64_t kHoldPage = 64u << 20;

// Whether `s` starts with a zlib header (RFC 1950): deflate, a window of at most 32 KiB,
// a check that holds. One in about 250 random positions passes; their inflating fails at once.
bool zlib_header(std::string_view s) {
  if (s.size() < 2) return false;
  const unsigned cmf = static_cast<unsigned char>(s[0]), flg = static_cast<unsigned char>(s[1]);
  return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
}

// A PDF whose page tree cannot be walked (a /Pages loop, a catalog nested too deep to
// parse) still has its pages' streams in its bytes: every Flate stream is decoded and
// matched, in constant memory, named by the byte it starts at. Returns how many.
uint64_t scan_pdf_streams(std::string_view raw, const ContentInfo& container, int depth, Walk& walk) {
  InputContext& ctx = walk.ctx;
  uint64_t streams = 0;
  for (std::size_t at = 0; (at = raw.find("stream", at)) != std::string_view::npos;) {
    std::size_t start = at + 6;
    const bool keyword = (at < 3 || raw.substr(at - 3, 3) != "end");
    at = start;
    if (!keyword) continue;
    if (start < raw.size() && raw[start] == '\r') ++start;
    if (start >= raw.size() || raw[start] != '\n' || !zlib_header(raw.substr(start + 1))) continue;
    ++start;
    if (++walk.budget.members > walk.options.limits.max_members) {
      ctx.note({"", SkipReason::archive_limit,
                "more than " + std::to_string(walk.options.limits.max_members) + " streams and members (limit); the rest was not decoded"},
               container.chain);
      return streams;
    }
    ContentInfo child = container;
    child.chain.push_back("stream@" + std::to_string(start));
    child.encoding = "utf-8";
    child.in_place.reset();
    MemorySource compressed(raw.substr(start));
    DecompressingSource inflating(compressed, compress::Format::zlib);
    BudgetedSource decoded(inflating, walk);
    scan_stream(decoded, std::move(child), depth + 1, walk);
    ++streams;
    if (!walk.budget.tripped.empty()) {
      ctx.note({"", SkipReason::archive_limit, walk.budget.tripped + "; the rest of the streams were not decoded"}, container.chain);
      return streams;
    }
  }
  return streams;
}

// A PDF: its bytes as they are (strings in unfiltered streams, metadata), then the text
// of each page with compressed content, named "page N". Pages count against the input's
// limits as archive members do: their number, their decoded bytes, the expansion ratio.
void scan_pdf(const std::string& raw, ContentInfo info, int depth, Walk& walk, Output& out) {
  const ArchiveLimits& l = walk.options.limits;
  Budget& b = walk.budget;
  PdfLimits limits;
  const uint64_t ratio_cap = std::max<uint64_t>(64ull << 20, b.compressed ? b.compressed * l.max_ratio : l.max_expanded);
  limits.max_decoded = std::min(budget_left(walk), ratio_cap > b.expanded ? ratio_cap - b.expanded : 0);
  limits.max_page = kHoldPage;
  limits.max_pages = b.members >= l.max_members ? 0 : l.max_members - b.members;
  PdfContent pdf = read_pdf(raw, limits);
  ContentInfo container = info;
  info.encoding = "binary";
  out.ctx.begin(std::move(info));
  out.write_all(raw);
  out.end(raw.size(), std::nullopt);
  if (!pdf.unavailable.empty()) walk.ctx.note({"", SkipReason::decoder_unavailable, pdf.unavailable}, container.chain);
  for (const std::string& problem : pdf.problems)
    walk.ctx.note({"", SkipReason::corrupt_archive, (pdf.opened ? "" : "cannot be read as a PDF (its bytes were matched): ") + problem},
                  container.chain);
  for (const std::string& limit : pdf.limits) walk.ctx.note({"", SkipReason::archive_limit, limit}, container.chain);
  b.members += pdf.pages.size();
  for (PdfPage& page : pdf.pages) {
    ContentInfo child = container;
    child.chain.push_back("page " + std::to_string(page.number));
    child.encoding = "pdf-text";
    child.in_place.reset();
    scan_decoded(page.text, std::move(child), depth, walk);
    page.text = std::string();
  }
  if (pdf.unavailable.empty() && !pdf.page_tree_read) {
    const uint64_t streams = scan_pdf_streams(raw, container, depth, walk);
    walk.ctx.note({"", SkipReason::corrupt_archive,
                   "its pages could not all be found: its " + std::to_string(streams) +
                       " Flate streams were decoded and matched instead, each named by the byte it starts at"},
                  container.chain);
  }
}

// What one stream is, and matches it: as bytes, decoded, or opened as an archive.
void decode_stream(ByteSource& src, ContentInfo info, int depth, Walk& walk, Output& out) {
  InputContext& ctx = walk.ctx;
  // The first bytes go straight into the matcher's buffer: for plain content (nearly
  // every file) they are matched where they lie, never copied.
  std::span<char> area = ctx.write_area();
  ssize_t n = src.read(area.data(), area.size());
  if (n < 0) {
    ctx.note(read_failed(src, "read failed: "), info.chain);
    return;
  }
  std::string_view first(area.data(), static_cast<std::size_t>(n));
  ContentKind kind = sniff(first);
  // Documents are parsed whole, in memory: only when small enough, on, and not nested
  // too deep (then matched as they are, with a warning: their encoded parts go unread).
  const bool may_parse = src.size_hint() == 0 || src.size_hint() <= kHoldDocument;
  const bool document = (kind == ContentKind::mail && walk.options.mail) || (kind == ContentKind::pdf && walk.options.pdf);
  if (document && !may_parse)
    ctx.note({"", SkipReason::archive_limit,
              "larger than " + std::to_string(kHoldDocument >> 20) + " MiB: matched as bytes, not parsed"}, info.chain);
  else if (document && depth >= walk.options.limits.max_depth)
    ctx.note({"", SkipReason::archive_limit,
              std::string(kind == ContentKind::mail ? "mail" : "PDF") + " nested deeper than --archive-depth " +
                  std::to_string(walk.options.limits.max_depth) + ": matched as bytes, not decoded"},
             info.chain);
  const bool parse = may_parse && depth < walk.options.limits.max_depth;
  if (kind == ContentKind::mail && !(walk.options.mail && parse)) kind = ContentKind::text;
  if (kind == ContentKind::pdf && !(walk.options.pdf && parse))
    kind = std::memchr(first.data(), 0, first.size()) ? ContentKind::binary : ContentKind::text;
  if (kind == ContentKind::mail || kind == ContentKind::pdf) {
    std::string whole(first);
    if (!read_whole(src, whole, kHoldDocument)) {
      ctx.note(read_failed(src, "read failed: "), info.chain);
      return;
    }
    if (whole.size() >= kHoldDocument) {
      // Too large to parse: matched as it is, streamed on from what was read.
      ctx.note({"", SkipReason::archive_limit,
                "larger than " + std::to_string(kHoldDocument >> 20) + " MiB: matched as bytes, not parsed"},
               info.chain);
      PrefixedSource rest(whole, src);
      if (kind == ContentKind::pdf) info.encoding = "binary";
      scan_bytes(rest, {}, std::move(info), out);
      return;
    }
    if (kind == ContentKind::mail)
      scan_mail(whole, std::move(info), depth, walk, out);
    else
      scan_pdf(whole, std::move(info), depth, walk, out);
    return;
  }
  if (kind == ContentKind::text || (kind == ContentKind::binary && walk.options.binary) ||
      (kind == ContentKind::archive && !walk.options.archives)) {
    if (kind != ContentKind::text && info.encoding != "base64") info.encoding = "binary";
    // The matcher sees the source's own bytes: if need be, they can be read again.
    if (src.can_rewind())
      ctx.begin_rewindable(std::move(info), src);
    else
      ctx.begin(std::move(info));
    out.committed(first.data(), first.size());
    scan_rest(src, first.size(), out);
    return;
  }
  std::string head(first);  // decoded or opened below: the matcher buffer is needed for that
  if (kind == ContentKind::archive && walk.options.archives && !src.can_rewind() &&
      depth < walk.options.limits.max_depth) {
    // An archive inside an archive cannot be read twice: hold it (when small enough) so
    // that, if it turns out damaged, its bytes can still be matched in full.
    constexpr std::size_t kHoldNested = 16u << 20;
    std::string held = head;
    bool complete = false, failed = false;
    while (held.size() < kHoldNested) {
      std::size_t at = held.size();
      held.resize(std::min(kHoldNested, at + kPeek));
      ssize_t n = src.read(held.data() + at, held.size() - at);
      if (n <= 0) {
        held.resize(at);
        complete = n == 0;
        failed = n < 0;
        break;
      }
      held.resize(at + static_cast<std::size_t>(n));
    }
    if (complete) {
      MemorySource whole(held);
      scan_stream(whole, std::move(info), depth, walk);
      return;
    }
    if (failed) {
      ctx.note(read_failed(src, "read failed: "), info.chain);
      return;
    }
    // Larger than that: streamed as it comes, starting with what was read so far.
    MemorySource start(held);
    PrefixedSource whole(held, src);
    if (const auto format = compress::format_of(held)) {
      scan_compressed(whole, {}, *format, std::move(info), depth, walk, out);
      return;
    }
    if (scan_archive_or_rest(whole, info, depth, walk)) return;
    if (decoded_layer(info)) ctx.decoded_not_archive();
    else
      ctx.note({"", SkipReason::corrupt_archive, "cannot be opened as an archive: its first " + std::to_string(held.size()) +
                                                     " bytes matched as bytes"},
               info.chain);
    info.encoding = "binary";
    scan_bytes(start, {}, std::move(info), out);
    return;
  }
  if (kind == ContentKind::archive && walk.options.archives && depth < walk.options.limits.max_depth) {
    if (const auto format = compress::format_of(head)) {
      scan_compressed(src, head, *format, std::move(info), depth, walk, out);
      return;
    }
  }
  if (kind == ContentKind::archive) {
    if (depth >= walk.options.limits.max_depth) {
      ctx.note({"", SkipReason::archive_limit,
                "archive nested deeper than --archive-depth " + std::to_string(walk.options.limits.max_depth) +
                    ": matched as bytes, not opened"},
               info.chain);
    } else {
      PrefixedSource whole(head, src);
      if (scan_archive_or_rest(whole, info, depth, walk)) return;
      // Not an archive after all, or too damaged to open: its bytes are still matched.
      // Said for a file or member a user has; a base64 run whose decoded bytes only
      // start like an archive (random text does, now and then) is only counted.
      if (decoded_layer(info)) ctx.decoded_not_archive();
      else ctx.note({"", SkipReason::corrupt_archive, "cannot be opened as an archive: matched as bytes"}, info.chain);
      if (!src.rewind()) {
        info.encoding = "binary";
        MemorySource what_we_have(head);
        scan_bytes(what_we_have, {}, std::move(info), out);
        return;
      }
      bool failed = false;
      head = peek(src, failed);
    }
  }
  if (kind == ContentKind::utf16le || kind == ContentKind::utf16be) {
    scan_utf16(src, head, std::move(info), kind == ContentKind::utf16be, out);
    return;
  }
  if (!walk.options.binary) {
    ctx.note({"", SkipReason::binary, "binary content (--no-binary)"}, info.chain);
    return;
  }
  if (info.encoding != "base64") info.encoding = "binary";
  scan_bytes(src, head, std::move(info), out);
}

// Decoded bytes of base64 runs held for one stream: the rest is reported, not matched.
constexpr std::size_t kHeldRuns = 64u << 20;

std::string position_name(const TextPosition& p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

// After a stream has ended: matches what its base64 runs decode to, each as a stream
// of its own (so a base64'd zip is opened, base64'd UTF-16 decoded), one base64 layer
// deeper (kMaxEncodedDepth), at the same archive depth.
void scan_runs(Base64RunFinder& finder, const ContentInfo& container, bool exact, int depth, Walk& walk) {
  InputContext& ctx = walk.ctx;
  for (const EncodedRun& run : finder.runs()) {
    ContentInfo child = container;
    child.chain.push_back("base64@" + position_name(run.geometry.at));
    child.encoding = "base64";
    if (container.in_place) {
      child.in_place = container.in_place;  // located at the outermost run, in the file a user can open
      child.in_place->exact = false;
      ++child.in_place->layers;
    } else {
      child.in_place = ContentInfo::InPlace{run.geometry, exact, 1};
    }
    Budget& b = walk.budget;
    b.expanded += run.decoded.size();
    if (b.expanded > walk.options.limits.max_expanded) {
      b.tripped = "expanded past " + std::to_string(walk.options.limits.max_expanded) + " bytes (limit)";
      ctx.note({"", SkipReason::archive_limit, b.tripped + ": base64 runs from here on were not decoded"}, child.chain);
      return;
    }
    if (run.truncated)
      ctx.note({"", SkipReason::archive_limit,
                "base64 run longer than " + std::to_string(kHeldRuns >> 20) + " MiB decoded: only its start was matched"},
               child.chain);
    MemorySource decoded(run.decoded);
    ++walk.encoded_depth;
    scan_stream(decoded, std::move(child), depth, walk);
    --walk.encoded_depth;
    if (!b.tripped.empty()) return;
  }
  if (finder.dropped_some())
    ctx.note({"", SkipReason::archive_limit,
              "base64 runs past " + std::to_string(kHeldRuns >> 20) + " MiB decoded in one stream: the later ones were not decoded"},
             container.chain);
}

// Past the depth limit base64 is not decoded, but a run long enough to hold a token is
// still looked for, so that what was left encoded is a counted warning, not a silent gap.
constexpr std::size_t kHeldAtLimit = 4096;

void scan_stream(ByteSource& src, ContentInfo info, int depth, Walk& walk) {
  if (!walk.options.base64) {
    Output out{walk.ctx};
    decode_stream(src, std::move(info), depth, walk, out);
    return;
  }
  if (walk.encoded_depth >= kMaxEncodedDepth) {
    Base64RunFinder finder(kHeldAtLimit);
    Output out{walk.ctx, &finder};
    ContentInfo container = info;
    decode_stream(src, std::move(info), depth, walk, out);
    if (finder.has_runs() || finder.dropped_some()) {
      const std::vector<EncodedRun> runs = finder.runs();
      std::string first = runs.empty() ? std::string() : " (the first at " + position_name(runs.front().geometry.at) + ")";
      walk.ctx.note({"", SkipReason::encoding_limit,
                     "base64 nested more than " + std::to_string(kMaxEncodedDepth) + " layers deep" + first +
                         ": matched as it is, not decoded"},
                    container.chain);
    }
    return;
  }
  Base64RunFinder finder(kHeldRuns);
  Output out{walk.ctx, &finder};
  ContentInfo container = info;
  decode_stream(src, std::move(info), depth, walk, out);
  if (finder.has_runs() || finder.dropped_some()) scan_runs(finder, container, out.exact_offsets, depth, walk);
}

}  // namespace

void scan_content(ByteSource& source, ContentInfo info, const DecodeOptions& options, InputContext& ctx) {
  Walk walk{options, ctx, {}};
  walk.budget.compressed = source.size_hint();
  scan_stream(source, std::move(info), 0, walk);
}

}  // namespace sfmc
