#include "sources/git/remote.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <vector>

#include "core/sha256.hpp"
#include "sources/git/git_handle.hpp"

extern char** environ;

namespace sfmc::git {

namespace {

namespace fs = std::filesystem;

struct UrlParts {
  std::string scheme, userinfo, rest;  // rest: host[:port]/path
};

// Splits scheme://[userinfo@]rest; scp-like user@host:path has no scheme.
UrlParts split(const std::string& url) {
  UrlParts p;
  std::size_t s = url.find("://");
  std::string tail = url;
  if (s != std::string::npos) {
    p.scheme = url.substr(0, s);
    tail = url.substr(s + 3);
  }
  std::size_t slash = tail.find('/');
  std::size_t at = tail.rfind('@', slash == std::string::npos ? std::string::npos : slash);
  if (at != std::string::npos) {
    p.userinfo = tail.substr(0, at);
    tail = tail.substr(at + 1);
  }
  p.rest = tail;
  return p;
}

// Runs `git credential fill` for this URL, without a terminal prompt. Returns the
// username and password it printed, if any.
bool credential_fill(const std::string& url, std::string& user, std::string& password) {
  UrlParts p = split(url);
  std::size_t slash = p.rest.find('/');
  std::string request = "protocol=" + p.scheme + "\nhost=" + p.rest.substr(0, slash) + "\n";
  if (slash != std::string::npos) request += "path=" + p.rest.substr(slash + 1) + "\n";
  std::string name = split(url).userinfo;
  if (!name.empty()) request += "username=" + name + "\n";
  request += "\n";
  int in[2], out[2];
  if (pipe(in) != 0) return false;
  if (pipe(out) != 0) {
    close(in[0]), close(in[1]);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "GIT_TERMINAL_PROMPT=", 20) != 0 && std::strncmp(*e, "GIT_ASKPASS=", 12) != 0 &&
        std::strncmp(*e, "SSH_ASKPASS=", 12) != 0)
      env_store.emplace_back(*e);
  env_store.emplace_back("GIT_TERMINAL_PROMPT=0");  // a sweep never waits for a person
  std::vector<char*> env;
  for (std::string& s : env_store) env.push_back(s.data());
  env.push_back(nullptr);
  char arg0[] = "git", arg1[] = "credential", arg2[] = "fill";
  char* argv[] = {arg0, arg1, arg2, nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, "git", &actions, nullptr, argv, env.data());
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    return false;
  }
  ssize_t ignored = write(in[1], request.data(), request.size());
  (void)ignored;
  close(in[1]);
  std::string reply;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) reply.append(buf, static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
  std::map<std::string, std::string> fields;
  std::size_t start = 0;
  while (start < reply.size()) {
    std::size_t end = reply.find('\n', start);
    if (end == std::string::npos) end = reply.size();
    std::string line = reply.substr(start, end - start);
    if (std::size_t eq = line.find('='); eq != std::string::npos) fields[line.substr(0, eq)] = line.substr(eq + 1);
    start = end + 1;
  }
  if (!fields.count("password")) return false;
  user = fields["username"];
  password = fields["password"];
  return true;
}

std::string lowercase(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The host name of scheme://[userinfo@]host[:port]/path, lowercase and without the port,
// as libgit2's certificate callback names it ([::1] for an IPv6 address).
std::string host_of(const UrlParts& p) {
  const std::string authority = p.rest.substr(0, p.rest.find('/'));
  if (!authority.empty() && authority.front() == '[') return lowercase(authority.substr(0, authority.find(']') + 1));
  return lowercase(authority.substr(0, authority.find(':')));
}

bool is_ssh(const UrlParts& p) { return p.scheme.empty() || p.scheme == "ssh" || p.scheme == "git+ssh" || p.scheme == "ssh+git"; }

struct CredentialState {
  std::string url;     // as shown: no user information
  std::string scheme;  // of the URL the user gave
  std::string host;    // the one host the credentials are for (host_of)
  std::string user;    // the user name the URL carried, if any
  bool allow_insecure_http = false;
  std::string connected_host;  // the host of the last TLS connection (https), as libgit2 reports it
  std::string refused;         // why credentials were withheld
  int userpass_attempts = 0, ssh_attempts = 0;
};

// https: libgit2 names the host of each TLS connection it opens, redirects included;
// its own certificate check stands (GIT_PASSTHROUGH).
int certificate_check(git_cert*, int, const char* host, void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  state->connected_host = lowercase(host ? host : "");
  return GIT_PASSTHROUGH;
}

// Whether a user name and password may be sent now: to the URL's own host, encrypted.
bool may_send_password(CredentialState& state) {
  if (state.scheme == "http" && !state.allow_insecure_http) {
    state.refused = "the server asks for credentials over plain http; they are not sent unencrypted "
                    "(use an https URL, or --allow-insecure-http)";
    return false;
  }
  if (state.scheme == "https" && !state.connected_host.empty()) {
    if (state.connected_host != state.host) {
      state.refused = "the request was sent on to " + state.connected_host + "; credentials for " + state.host +
                      " are not sent to another host";
      return false;
    }
  }
  return true;
}

int credentials(git_credential** out, const char*, const char* username_from_url, unsigned int allowed, void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && state->userpass_attempts++ == 0) {
    if (!may_send_password(*state)) {
      git_error_set_str(GIT_ERROR_NET, state->refused.c_str());
      return GIT_EAUTH;
    }
    const char* env_user = std::getenv("SFMC_GIT_USERNAME");
    const char* pass = std::getenv("SFMC_GIT_PASSWORD");
    const std::string user = env_user && *env_user ? env_user : state->user;
    if (pass && *pass) return git_credential_userpass_plaintext_new(out, user.empty() ? "x-access-token" : user.c_str(), pass);
    std::string u = user, p;
    const std::string ask = state->scheme + "://" + (user.empty() ? "" : user + "@") + state->url.substr(state->url.find("://") + 3);
    if (credential_fill(ask, u, p)) return git_credential_userpass_plaintext_new(out, u.c_str(), p.c_str());
    // A token given as the URL's user name (https://TOKEN@host/...) is the whole credential.
    if (!state->user.empty()) return git_credential_userpass_plaintext_new(out, state->user.c_str(), "");
  }
  if ((allowed & GIT_CREDENTIAL_SSH_KEY) && state->ssh_attempts++ == 0)
    return git_credential_ssh_key_from_agent(out, username_from_url ? username_from_url : "git");
  if ((allowed & GIT_CREDENTIAL_USERNAME) && username_from_url) return git_credential_username_new(out, username_from_url);
  git_error_set_str(GIT_ERROR_NET, state->refused.empty()
                                       ? "authentication failed (credentials come from $SFMC_GIT_USERNAME/$SFMC_GIT_PASSWORD, "
                                         "git credential helpers or ssh-agent)"
                                       : state->refused.c_str());
  return GIT_EAUTH;
}

// A mirror of every ref, as `git clone --mirror` makes.
int create_mirror_remote(git_remote** out, git_repository* repo, const char* name, const char* url, void*) {
  int rc = git_remote_create_with_fetchspec(out, repo, name, url, "+refs/*:refs/*");
  if (rc < 0) return rc;
  git_config* cfg = nullptr;
  if (git_repository_config(&cfg, repo) == 0) {
    git_config_set_bool(cfg, "remote.origin.mirror", 1);
    git_config_free(cfg);
  }
  return 0;
}

// A folder name for a URL: readable, and distinct for distinct URLs.
std::string cache_name(const std::string& url) {
  std::string name;
  for (char ch : split(url).rest) name += (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-') ? ch : '_';
  if (name.size() > 80) name = name.substr(name.size() - 80);
  return name + "-" + sha256_hex(url).substr(0, 12);
}

}  // namespace

bool is_remote(const std::string& spec) {
  static const char* schemes[] = {"https://", "http://", "ssh://", "git://", "file://", "git+ssh://", "ssh+git://"};
  for (const char* s : schemes)
    if (spec.rfind(s, 0) == 0) return true;
  // scp-like: user@host:path (no slash before the colon)
  std::size_t colon = spec.find(':'), at = spec.find('@'), slash = spec.find('/');
  return at != std::string::npos && colon != std::string::npos && at < colon && (slash == std::string::npos || colon < slash);
}

std::string shown_url(const std::string& url) {
  UrlParts p = split(url);
  if (p.userinfo.empty()) return url;
  if (is_ssh(p)) {
    const std::string login = p.userinfo.substr(0, p.userinfo.find(':'));
    return (p.scheme.empty() ? "" : p.scheme + "://") + login + "@" + p.rest;
  }
  return p.scheme + "://" + p.rest;
}

std::string checked_url(const std::string& url) {
  UrlParts p = split(url);
  if (p.userinfo.find(':') != std::string::npos) {
    throw GitError(shown_url(url) +
                   ": a password in a URL is refused (it would show in shell history, process lists and reports); "
                   "give it in $SFMC_GIT_PASSWORD or a git credential helper");
  }
  return url;
}

std::string mirror(const std::string& given, const MirrorOptions& options) {
  ensure_initialised();
  const std::string url = shown_url(given);  // what libgit2 fetches and the mirror's config keeps
  const UrlParts parts = split(given);
  std::error_code ec;
  fs::create_directories(options.cache_dir, ec);
  std::string path = (fs::path(options.cache_dir) / cache_name(url)).string();
  CredentialState state;
  state.url = url;
  state.scheme = parts.scheme;
  state.host = host_of(parts);
  if (!is_ssh(parts)) state.user = parts.userinfo;
  state.allow_insecure_http = options.allow_insecure_http;
  git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
  fetch.callbacks.credentials = credentials;
  fetch.callbacks.certificate_check = certificate_check;
  fetch.callbacks.payload = &state;
  fetch.prune = GIT_FETCH_PRUNE;
  fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
  // Over plain http no TLS connection names the host a redirect leads to: when the user
  // lets credentials go over http, no redirect is followed at all.
  if (parts.scheme == "http" && options.allow_insecure_http) fetch.follow_redirects = GIT_REMOTE_REDIRECT_NONE;
  git_repository* existing = nullptr;
  if (fs::exists(fs::path(path) / "HEAD", ec) && git_repository_open_bare(&existing, path.c_str()) == 0) {
    Repository repo(existing);
    // A mirror an older sfmc-scan made may hold a user name in its URL: written afresh.
    check(git_remote_set_url(repo.get(), "origin", url.c_str()), "cannot update the mirror of " + url);
    git_remote* remote = nullptr;
    check(git_remote_lookup(&remote, repo.get(), "origin"), "cannot update the mirror of " + url);
    int rc = git_remote_fetch(remote, nullptr, &fetch, nullptr);
    git_remote_free(remote);
    check(rc, "cannot fetch " + url);
    return path;
  }
  fs::remove_all(path, ec);  // a clone that failed half-way
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  opts.bare = 1;
  opts.remote_cb = create_mirror_remote;
  opts.fetch_opts = fetch;
  git_repository* cloned = nullptr;
  int rc = git_clone(&cloned, url.c_str(), path.c_str(), &opts);
  if (rc < 0) {
    std::string why = last_error();
    fs::remove_all(path, ec);
    throw GitError("cannot clone " + url + ": " + why);
  }
  git_repository_free(cloned);
  return path;
}

}  // namespace sfmc::git
