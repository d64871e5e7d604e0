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

// A partial clone (git clone --filter=...) names its promisor remote in the config.
bool is_partial_clone(git_repository* repo) {
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) != 0) return false;
  bool partial = false;
  const char* value = nullptr;
  if (git_config_get_string(&value, cfg, "extensions.partialclone") == 0 && value && *value) partial = true;
  git_config_iterator* it = nullptr;
  if (!partial && git_config_iterator_glob_new(&it, cfg, "remote\\..*\\.promisor") == 0) {
    git_config_entry* e = nullptr;
    while (git_config_next(&e, it) == 0)
      if (std::string(e->value) == "true") partial = true;
    git_config_iterator_free(it);
  }
  git_config_free(cfg);
  return partial;
}

}  // namespace sfmc::git
