#pragma once
// Remote repositories of a sweep: fetched with libgit2 as bare mirrors (every ref) into a
// cache folder, so the history sweep reads them like any local repository.
//
// Credentials never come from the command line, and a URL holding a password is
// refused. They come from $SFMC_GIT_USERNAME / $SFMC_GIT_PASSWORD, from git's credential
// helpers (`git credential fill`, never prompting), or from ssh-agent for ssh URLs. A
// credential is tied to the host of the URL it was given for: it is never sent to
// another host a redirect points at, nor over plain http unless the user allows it
// (MirrorOptions::allow_insecure_http). None is written to the mirror's config or to
// any output: a user name in an http(s) URL (`https://TOKEN@host/...`, a token to some
// hosts) is taken off the URL everything shows and writes, and only authenticates.
#include <string>

namespace sfmc::git {

// https://, http://, ssh://, git://, file:// URLs and scp-like user@host:path.
bool is_remote(const std::string& spec);

// The URL everything shows and writes (reports, state, logs, the mirror's config): an
// http(s), git or file URL without its user information; an ssh URL keeps its login
// name (`git@host:path`), never a password.
std::string shown_url(const std::string& url);

// The URL, checked: throws GitError (naming shown_url) when it carries a password.
std::string checked_url(const std::string& url);

struct MirrorOptions {
  std::string cache_dir;
  bool allow_insecure_http = false;  // --allow-insecure-http: credentials may go over plain http
};

// Fetches `url` (checked) into a bare mirror below `options.cache_dir`: a new clone the
// first time, a fetch with pruning when the cache already holds it. Returns the
// mirror's path. Throws GitError saying why it could not (naming shown_url).
std::string mirror(const std::string& url, const MirrorOptions& options);

}  // namespace sfmc::git
