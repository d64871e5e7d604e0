#include "core/verdict.hpp"

#include "core/finding.hpp"

namespace sfmc {

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::checksum_valid: return "checksum-valid";
    case Verdict::checksum_invalid: return "checksum-invalid";
    case Verdict::placeholder: return "placeholder";
    case Verdict::unchecked: return "unchecked";
  }
  return "unknown";
}

std::string_view to_string(Level l) {
  switch (l) {
    case Level::note: return "note";
    case Level::warning: return "warning";
    case Level::error: return "error";
  }
  return "none";
}

std::optional<Verdict> parse_verdict(std::string_view s) {
  for (Verdict v : {Verdict::checksum_valid, Verdict::checksum_invalid, Verdict::placeholder,
                    Verdict::unchecked})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::optional<Level> parse_level(std::string_view s) {
  for (Level l : {Level::note, Level::warning, Level::error})
    if (to_string(l) == s) return l;
  return std::nullopt;
}

Level level_of(Verdict v) {
  switch (v) {
    case Verdict::checksum_valid: return Level::error;
    case Verdict::checksum_invalid: return Level::warning;
    case Verdict::placeholder: return Level::note;
    case Verdict::unchecked: return Level::error;
  }
  return Level::error;
}

std::string_view to_string(SkipReason r) {
  switch (r) {
    case SkipReason::unreadable: return "unreadable";
    case SkipReason::too_large: return "too-large";
    case SkipReason::symlink_loop: return "symlink-loop";
    case SkipReason::symlink: return "symlink-not-followed";
    case SkipReason::special_file: return "special-file";
    case SkipReason::pseudo_file_system: return "pseudo-file-system";
    case SkipReason::not_found: return "not-found";
    case SkipReason::submodule: return "submodule";
    case SkipReason::shallow: return "shallow-history";
    case SkipReason::partial_clone: return "partial-clone";
    case SkipReason::binary: return "binary";
    case SkipReason::corrupt_archive: return "corrupt-archive";
    case SkipReason::archive_limit: return "archive-limit";
    case SkipReason::other_file_system: return "other-file-system";
    case SkipReason::git_internals: return "git-internals";
    case SkipReason::repository_unavailable: return "repository-unavailable";
    case SkipReason::findings_limit: return "findings-limit";
    case SkipReason::missing_object: return "missing-object";
    case SkipReason::decoder_unavailable: return "decoder-unavailable";
    case SkipReason::encoding_limit: return "encoding-limit";
    case SkipReason::io_timeout: return "io-timeout";
  }
  return "unknown";
}

}  // namespace sfmc

namespace sfmc {

std::string_view to_string(GitObjectKind k) {
  switch (k) {
    case GitObjectKind::blob: return "blob";
    case GitObjectKind::commit_message: return "commit-message";
    case GitObjectKind::tag_message: return "tag-message";
  }
  return "blob";
}

}  // namespace sfmc
