#include "sources/git/git_handle.hpp"

#include <cstring>
#include <mutex>

namespace sfmc::git {

void ensure_initialised() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  });
}

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

void check(int rc, const std::string& what) {
  if (rc < 0) throw GitError(what + ": " + last_error());
}

ObjectId to_id(const git_oid& oid) {
  ObjectId id;
  std::memcpy(id.data(), oid.id, id.size());
  return id;
}

git_oid to_oid(const ObjectId& id) {
  git_oid oid;
  std::memcpy(oid.id, id.data(), id.size());
  return oid;
}

std::string hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

std::string hex(const ObjectId& id) { return hex(to_oid(id)); }

Repository open_repository(const std::string& path) {
  ensure_initialised();
  git_repository* repo = nullptr;
  check(git_repository_open_ext(&repo, path.c_str(), 0, nullptr), "cannot open a git repository at " + path);
  return Repository(repo);
}

}  // namespace sfmc::git
