#pragma once
// One HTTPS POST of a JSON body, for live verification: the only part of --verify that
// needs libcurl (and, through it, TLS, Kerberos, LDAP, ...), built as the module
// "verify" (verify/https_post_curl.cpp) so that a scan without --verify never maps them.
#include <string>

namespace sfmc {

struct HttpExchange {
  // The request.
  std::string url;
  std::string json_body;
  long timeout_ms = 10000;
  bool allow_plain_http = false;  // only for loopback test servers
  // The reply.
  bool answered = false;  // false: no HTTP reply (`error` says why)
  long status = 0;
  std::string body;       // at most 64 KiB of it
  std::string error;
};

// Sends the request, loading libcurl on first use (core/module_loader.hpp). Redirects
// are never followed: a secret goes to the URL given or nowhere.
void https_post(HttpExchange& exchange);

// Whether the module can be loaded; `why` says why not.
bool https_post_available(std::string& why);

}  // namespace sfmc

// The entry point of the module "verify": false when it failed (out of memory).
extern "C" bool sfmc_https_post(sfmc::HttpExchange* exchange) noexcept;
