#pragma once
// One GET to an object store, signed with AWS Signature V4: the only part of bucket
// reading that needs libcurl, built as the module "store" (store_request_curl.cpp) so
// that a scan of files never maps it. Each thread keeps its connection open between
// requests (HTTP keep-alive).
#include <cstddef>
#include <string>

namespace sfmc {

struct StoreRequest {
  // The request. `url` is encoded as signed: path bytes percent-encoded once, the query
  // sorted by name (SigV4 signs it as given).
  std::string url;
  std::string access_key_id;  // "": sent unsigned
  std::string secret_access_key;
  std::string session_token;
  std::string region;
  std::string ca_bundle;      // "": the system's
  std::string range;          // "A-B" (bytes, both included), or "" for the whole object
  std::string if_match;       // an ETag (unquoted): only that version of the object (else 412)
  long timeout_ms = 60000;    // to connect, and the longest wait for the next byte
  // The reply.
  bool answered = false;  // false: no HTTP reply (`error` says why)
  long status = 0;
  std::string body;
  std::string error;
};

// Sends the request, loading libcurl on first use (core/module_loader.hpp).
void store_get(StoreRequest& request);

}  // namespace sfmc

extern "C" bool sfmc_store_get(sfmc::StoreRequest* request) noexcept;
