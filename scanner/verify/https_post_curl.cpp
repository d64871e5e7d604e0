// The libcurl side of verify/https_post, built as the module "verify".
#include <curl/curl.h>

#include <mutex>

#include "core/module_loader.hpp"
#include "verify/https_post.hpp"

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto* body = static_cast<std::string*>(out);
  if (body->size() < 65536) body->append(data, size * n);
  return size * n;
}

void post(sfmc::HttpExchange& x) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (!curl) {
    x.error = "libcurl could not start";
    return;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, x.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, x.json_body.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, x.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a secret never follows a redirect elsewhere
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, x.allow_plain_http ? "http,https" : "https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &x.body);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "sfmc-scan/" SFMC_VERSION " (--verify)");
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &x.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK)
    x.error = curl_easy_strerror(rc);
  else
    x.answered = true;
}

}  // namespace

extern "C" bool sfmc_https_post(sfmc::HttpExchange* exchange) noexcept {
  return sfmc::completes([&] { post(*exchange); });
}
