#pragma once
// Files written whole and renamed into place (reports, --state, checkpoints, the rule
// cache), so that a reader never sees half a file. The temporary file sits beside its
// target and is created exclusively: in a shared sticky folder (/tmp) a name another
// user guessed and planted as a symlink is never followed, never truncated.
#include <sys/types.h>

#include <optional>
#include <string>

namespace sfmc {

// Creates a new, empty file named "<target>.<tag>.XXXXXX" (a random suffix) with
// O_CREAT | O_EXCL | O_CLOEXEC and mode 0600, readable by nobody else while it is
// written. Returns its descriptor and sets `path`; -1 with errno set on failure.
int create_temp_beside(const std::string& target, const char* tag, std::string& path);

// Gives the finished temporary file `mode` less the umask, as open() would have, just
// before it is renamed into place. False with errno set.
bool publish_mode(int fd, mode_t mode = 0666);

// Writes all of `content` to `fd` (short writes and EINTR retried). False with errno.
bool write_all(int fd, const std::string& content);

// Ends a temporary file made by create_temp_beside, written on `fd`: syncs it when
// `durable`, gives it `mode`, closes `fd` and renames the file over `target`. `written`:
// whether writing it went well (errno says why not). False with errno set, the
// temporary file removed and `target` untouched. For files written as they are made.
bool publish_temp(int fd, const std::string& temp, const std::string& target, mode_t mode, bool durable, bool written);

// Writes `content` to a temporary file beside `target` (created as above), syncs it when
// `durable`, and renames it over `target`. False with errno, the temporary file removed.
bool replace_file(const std::string& target, const std::string& content, mode_t mode = 0666, bool durable = false);

// Writes `content` to a temporary file beside `path` and renames it over `path`, so
// `path` holds either its old content or all of the new, never a part. False (errno
// set) when that fails; `path` is then untouched.
bool write_file_atomically(const std::string& path, const std::string& content);

// Where an atomic write of `path` renames its temporary file to: `path` itself, or the
// file a symbolic link at `path` points to (the link stays a link). nullopt when `path`
// exists and is not a regular file (/dev/null, a FIFO, a terminal, /dev/stdout): that is
// written in place, since renaming over it would replace the device with a file.
std::optional<std::string> atomic_target(const std::string& path);

// Why `path` must not be written, or "": a symbolic link another user (not root) owns,
// in a folder others can write to (a shared /tmp). Written through, it would let that
// user point root's report at any file; replaced, it would still be written where
// that user chose. Refused instead, before anything is opened.
std::string planted_link(const std::string& path);

}  // namespace sfmc
