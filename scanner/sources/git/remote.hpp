#pragma once
// Remote repositories of a sweep: fetched with libgit2 as bare mirrors (every ref) into a
// cache folder, so the history sweep reads them like any local repository.
//
// Credentials never come from the command line or the URL: a URL holding a password is
// refused. They come from $SFMC_GIT_USERNAME / $SFMC_GIT_PASSWORD, from git's credential
// helpers (`git credential fill`, never prompting), or from ssh-agent for ssh URLs; none
// is written to the mirror's config or to any output.
#include <string>

namespace sfmc::git {

// https://, http://, ssh://, git://, file:// URLs and scp-like user@host:path.
bool is_remote(const std::string& spec);

// The URL with nothing secret in it, as reports and the mirror's config name it.
// Throws GitError (whose message shows the URL with the password masked) when the URL
// carries a password.
std::string checked_url(const std::string& url);

// The URL with any password replaced by "***" (for messages about a refused URL).
std::string masked_url(const std::string& url);

// Fetches `url` (already checked) into a bare mirror below `cache_dir`: a new clone the
// first time, a fetch with pruning when the cache already holds it. Returns the
// mirror's path. Throws GitError saying why it could not.
std::string mirror(const std::string& url, const std::string& cache_dir);

}  // namespace sfmc::git
