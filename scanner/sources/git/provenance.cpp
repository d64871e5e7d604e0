#include "sources/git/provenance.hpp"

#include "sources/git/refs.hpp"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace sfmc::git {

namespace {

std::string iso_date(int64_t t, int offset_minutes) {
  time_t local = static_cast<time_t>(t + int64_t{offset_minutes} * 60);
  struct tm tm {};
  gmtime_r(&local, &tm);
  char buf[64];  // room for any year tm can hold
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

}  // namespace

CommitInfo describe_commit(git_commit* c) {
  CommitInfo info;
  info.id = hex(*git_commit_id(c));
  const git_signature* a = git_commit_author(c);
  if (a) info.author = std::string(a->name ? a->name : "") + " <" + (a->email ? a->email : "") + ">";
  info.time = git_commit_time(c);
  info.date = iso_date(info.time, git_commit_time_offset(c));
  return info;
}

std::optional<CommitInfo> describe_commit(git_repository* repo, const ObjectId& id) {
  git_oid oid = to_oid(id);
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo, &oid) != 0) return std::nullopt;
  Commit owned(c);
  return describe_commit(c);
}

std::optional<CommitInfo> describe_tag(git_repository* repo, const ObjectId& id) {
  git_oid oid = to_oid(id);
  git_tag* t = nullptr;
  if (git_tag_lookup(&t, repo, &oid) != 0) return std::nullopt;
  std::unique_ptr<git_tag, Deleter<git_tag, git_tag_free>> owned(t);
  CommitInfo info;
  info.id = hex(oid);
  if (const git_signature* s = git_tag_tagger(t)) {
    info.author = std::string(s->name ? s->name : "") + " <" + (s->email ? s->email : "") + ">";
    info.time = s->when.time;
    info.date = iso_date(info.time, s->when.offset);
  }
  return info;
}

std::vector<RefTip> list_ref_tips(git_repository* repo) {
  std::vector<RefTip> tips;
  for (const Tip& t : read_tips(repo)) {
    git_oid oid = to_oid(t.target);
    git_object* obj = nullptr;
    if (git_object_lookup(&obj, repo, &oid, GIT_OBJECT_ANY) != 0) continue;
    Object owned(obj);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) != 0) continue;  // e.g. a tag of a blob
    Object p(peeled);
    tips.push_back({t.name, to_id(*git_object_id(peeled))});
  }
  return tips;
}

}  // namespace sfmc::git

namespace sfmc::git {

std::set<std::string> paths_at_head(git_repository* repo, const std::set<std::string>& paths) {
  std::set<std::string> present;
  git_object* obj = nullptr;
  if (paths.empty() || git_revparse_single(&obj, repo, "HEAD^{tree}") != 0) return present;
  Tree tree(reinterpret_cast<git_tree*>(obj));
  for (const std::string& p : paths) {
    git_tree_entry* e = nullptr;
    if (git_tree_entry_bypath(&e, tree.get(), p.c_str()) == 0) {
      present.insert(p);
      git_tree_entry_free(e);
    }
  }
  return present;
}

RepositoryIdentity describe_repository(git_repository* repo) {
  RepositoryIdentity id;
  git_oid head;
  if (git_reference_name_to_id(&head, repo, "HEAD") == 0) id.head_commit = hex(head);
  git_reference* ref = nullptr;
  if (git_repository_head_detached(repo) != 1 && git_repository_head(&ref, repo) == 0) {
    Reference owned(ref);
    if (git_reference_is_branch(ref)) id.branch = git_reference_shorthand(ref);
  }
  git_strarray names{};
  if (git_remote_list(&names, repo) == 0) {
    std::string chosen;
    for (std::size_t i = 0; i < names.count; ++i)
      if (std::string(names.strings[i]) == "origin") chosen = "origin";
    if (chosen.empty() && names.count > 0) chosen = names.strings[0];
    git_remote* remote = nullptr;
    if (!chosen.empty() && git_remote_lookup(&remote, repo, chosen.c_str()) == 0) {
      if (const char* url = git_remote_url(remote)) id.remote_url = url;
      git_remote_free(remote);
    }
    git_strarray_dispose(&names);
  }
  return id;
}

}  // namespace sfmc::git
