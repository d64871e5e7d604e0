#pragma once
// What the scan produces: findings, and inputs it could not scan. Reporters are pure
// functions of these.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/verdict.hpp"

namespace sfmc {

struct Location {
  std::string path;  // as enumerated ("-" for stdin)
  uint64_t line = 0, column = 0;          // 1-based; column in code points
  uint64_t end_line = 0, end_column = 0;  // end column is exclusive, as in SARIF
  uint64_t byte_offset = 0, byte_length = 0;
};

// An identifier found near a secret (client id, auth subdomain): pairing input for
// rotation and live verification. Not secret, so shown in full.
struct ContextHit {
  std::string rule_id;
  std::string value;
  uint64_t line = 0, column = 0;
};

// What in git a finding was found in. A message finding has no file: its
// Location.path is empty and the commit (or tag) names it.
enum class GitObjectKind {
  blob,            // a file's content
  commit_message,  // the message of `commit`
  tag_message,     // the message of the annotated tag `tag` (object `tag_object`)
};
std::string_view to_string(GitObjectKind k);

// Where a finding sits in git history (sfmc-scan git).
struct GitOrigin {
  GitObjectKind kind = GitObjectKind::blob;
  std::string blob;                      // the blob's id (blob findings)
  std::string commit, author, date;      // the commit that introduced it (or holds the message); empty when
                                         // staged, or held by no commit at all; for a tag: the tagger and date
  int64_t time = 0;                      // that commit's date, seconds since the epoch
  std::string tag, tag_object;           // tag messages: the tag's name and object id
  bool reachable = true;                 // false: only in the object database (--all-objects)
  std::vector<std::string> refs;         // refs it is reachable from: a handful, most telling first
  uint64_t ref_count = 0;                // how many refs reach it in all (refs may list fewer)
  std::vector<std::string> other_paths;  // other paths the same blob has in history
  std::string repository = {};           // in a sweep of several repositories: which one ("" otherwise)
  std::optional<bool> path_at_head;      // whether HEAD's tree still has the path; unset: not known
  // --range and --pre-push: the commit of the scanned changes that added the allow
  // comment on this finding's line. A change cannot waive its own finding: the comment
  // is not honoured, and the finding says why it was reported anyway.
  std::string allow_comment_added_by = {};
};

// Why a finding is accepted rather than acted on.
struct Suppression {
  std::string kind;           // SARIF: "inSource" (an allow comment) or "external" (a baseline)
  std::string justification;  // "sfmc-scan:allow comment on the line", "in baseline .sfmc-baseline.json"
};

struct Finding {
  uint32_t rule_index = 0;
  std::string rule_id;
  Verdict verdict = Verdict::unchecked;
  Level level = Level::error;
  std::string reason;  // why the verdict, in words ("checksum does not match", "contains EXAMPLE")
  Location location;
  std::string secret;           // the full value; printed only with --show-secrets
  std::string secret_redacted;  // "SFMC_aB3x…9f2c"
  std::string secret_sha256;    // partialFingerprints secretHash/v1
  std::string line_hash;        // partialFingerprints primaryLocationLineHash, never derived from the raw secret
  std::string snippet;          // the line around the finding, secret redacted
  std::string snippet_revealed; // the same with the secret in full (used only with --show-secrets)
  std::vector<ContextHit> context;
  std::optional<GitOrigin> git;
  std::string encoding = "utf-8";  // of the content it was found in: utf-8, utf-16le, utf-16be, binary
  // The encodings decoded in place to find it, outermost first ("base64@9:11": a base64
  // run starting at line 9, column 11 of its file). Its location is in the file itself,
  // at the encoded characters; these are said beside it, never as a path.
  std::vector<std::string> decoded;
  int64_t mtime = 0;               // the file's modification time (seconds since the epoch), 0 if unknown
  std::string etag;                // a bucket object's ETag (the version read), "" for files
  std::optional<Suppression> suppression;
  std::string verification;         // with --verify: live, revoked, unknown, unpaired ("" when not asked)
  std::string verification_detail;

  // The expiry bound (SFMC_FORMAT.md): the secret existed at first_seen, so it expires
  // no later than 180 days after. Set by triage (report/triage.hpp); 0: unknown.
  int64_t first_seen = 0;
  int64_t expires_no_later_than = 0;
  bool expired = false;
};

// Finding::decoded as one text: "base64@9:11", "base64@9:11!base64@1:5" (a run in a run).
inline std::string decoded_text(const std::vector<std::string>& decoded) {
  std::string out;
  for (const std::string& layer : decoded) out += (out.empty() ? "" : "!") + layer;
  return out;
}

enum class SkipReason {
  unreadable,       // open() or read() failed (permissions, I/O error)
  too_large,        // larger than --max-file-size
  symlink_loop,     // a followed symlink leads back to a folder being walked
  symlink,          // a symlink, not followed (--follow-symlinks is off)
  special_file,     // fifo, socket or device: reading could block or never end
  not_found,        // a path given on the command line does not exist
  submodule,        // a git submodule: its content lives in another repository
  shallow,          // a shallow clone: history before the boundary is not there to scan
  partial_clone,    // a partial clone: objects its filter left on the server are not there to scan
  binary,           // binary content, with --no-binary
  corrupt_archive,  // looks like an archive but cannot be read as one (its bytes are matched instead)
  archive_limit,    // an archive limit tripped (size, expansion ratio, members, nesting)
  other_file_system,  // a folder on another file system, with --one-file-system
  git_internals,      // a .git folder below a scanned one: `sfmc-scan git` reads history
  pseudo_file_system, // /proc, /sys and the like: generated files that may never end
  repository_unavailable,  // a repository of a sweep that could not be opened or cloned
  findings_limit,          // scanned, but the findings per input reached their limit: the rest were not examined
  missing_object,          // a git object the history names that the repository does not hold (not scanned)
  decoder_unavailable,     // a mail or PDF decoder module could not be loaded: the bytes were matched, not decoded
  encoding_limit,          // encoded content (base64) nested deeper than --archive-depth: matched as it is, not decoded
  io_timeout,              // the store did not answer within --io-timeout: the file was not read
};

std::string_view to_string(SkipReason r);
// Skipped because the user chose so (or did not choose otherwise), not because anything
// failed: listed only with --verbose.
inline bool skipped_by_choice(SkipReason r) { return r == SkipReason::symlink || r == SkipReason::git_internals; }
// Content of the input was left unread or undecoded (a read failed, a store did not
// answer, an object the history names is not in the repository, a limit stopped a
// decoder, a decoder module was missing): a secret may be in what was not looked at, so
// the run is not a clean bill and exits 2. Skips the user chose (--max-file-size,
// symlinks not followed, a shallow or partial clone) and inputs with no content to read
// (fifos, a symlink loop, /proc) are not.
inline bool leaves_content_unscanned(SkipReason r) {
  return r == SkipReason::unreadable || r == SkipReason::missing_object || r == SkipReason::decoder_unavailable ||
         r == SkipReason::archive_limit || r == SkipReason::encoding_limit || r == SkipReason::io_timeout;
}

struct Skipped {
  std::string path;
  SkipReason reason = SkipReason::unreadable;
  std::string detail;  // the system's words, e.g. "Permission denied"
  std::string repository = {};  // in a sweep of several repositories: which one ("" otherwise)
};

}  // namespace sfmc
