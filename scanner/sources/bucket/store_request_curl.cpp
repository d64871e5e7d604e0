// The libcurl side of sources/bucket/store_request, built as the module "store".
#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "core/module_loader.hpp"
#include "sources/bucket/store_request.hpp"

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// One handle per thread, reset between requests: its connection stays open for the next.
struct Handle {
  CURL* curl = curl_easy_init();
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

void get(sfmc::StoreRequest& r) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  thread_local Handle handle;
  CURL* curl = handle.curl;
  if (!curl) {
    r.error = "libcurl could not start";
    return;
  }
  curl_easy_reset(curl);
  curl_slist* headers = nullptr;
  // S3 wants the payload's hash in a header of its own, which libcurl 7.88 does not add:
  // a GET has no payload to hash, and UNSIGNED-PAYLOAD says so.
  headers = curl_slist_append(headers, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
  std::string token_header;
  if (!r.session_token.empty()) {
    token_header = "x-amz-security-token: " + r.session_token;
    headers = curl_slist_append(headers, token_header.c_str());
  }
  std::string if_match_header;
  if (!r.if_match.empty()) {
    if_match_header = "If-Match: \"" + r.if_match + "\"";
    headers = curl_slist_append(headers, if_match_header.c_str());
  }
  std::string userpwd, sigv4;
  if (!r.access_key_id.empty()) {
    userpwd = r.access_key_id + ":" + r.secret_access_key;
    sigv4 = "aws:amz:" + r.region + ":s3";
    curl_easy_setopt(curl, CURLOPT_USERPWD, userpwd.c_str());
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (!r.range.empty()) curl_easy_setopt(curl, CURLOPT_RANGE, r.range.c_str());
  if (!r.ca_bundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, r.ca_bundle.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, r.timeout_ms);
  // A body that stops coming for the timeout ends the request; a large one that keeps
  // coming does not.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, std::max(1L, r.timeout_ms / 1000));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // credentials go to the endpoint given, nowhere else
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "sfmc-scan/" SFMC_VERSION);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    r.error = curl_easy_strerror(rc);
    r.answered = false;
  } else {
    r.answered = true;
  }
}

}  // namespace

extern "C" bool sfmc_store_get(sfmc::StoreRequest* request) noexcept {
  return sfmc::completes([&] { get(*request); });
}
