#include "sources/bucket/bucket_client.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "core/percent_encoding.hpp"
#include "sources/bucket/store_request.hpp"

namespace sfmc {

namespace {

constexpr int kAttempts = 5;

bool worth_retrying(bool answered, long status) {
  return !answered || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::string reply_error(long status, const std::string& body) {
  const StoreError e = parse_store_error(body);
  std::string out = "HTTP " + std::to_string(status);
  if (!e.code.empty()) out += " " + e.code;
  if (!e.message.empty()) out += ": " + e.message;
  if (e.code == "PermanentRedirect" || e.code == "AuthorizationHeaderMalformed")
    out += " (the bucket is in another region: set AWS_REGION)";
  return out;
}

}  // namespace

BucketClient::BucketClient(AwsSettings settings, std::chrono::milliseconds timeout)
    : settings_(std::move(settings)), timeout_(timeout) {}

std::string BucketClient::bucket_url(const std::string& bucket) const {
  if (settings_.endpoint.empty()) {
    // Dotted names break the certificate of virtual-hosted names: path-style for them.
    if (settings_.path_style || bucket.find('.') != std::string::npos)
      return "https://s3." + settings_.region + ".amazonaws.com/" + bucket;
    return "https://" + bucket + ".s3." + settings_.region + ".amazonaws.com";
  }
  if (settings_.path_style) return settings_.endpoint + "/" + bucket;
  const auto scheme_end = settings_.endpoint.find("://") + 3;
  return settings_.endpoint.substr(0, scheme_end) + bucket + "." + settings_.endpoint.substr(scheme_end);
}

bool BucketClient::send(const std::string& url, const std::string& range, const std::string& if_match,
                        std::string& body, long& status, std::string& error) const {
  thread_local std::mt19937 jitter(std::random_device{}());
  for (int attempt = 0;; ++attempt) {
    StoreRequest r;
    r.url = url;
    r.access_key_id = settings_.access_key_id;
    r.secret_access_key = settings_.secret_access_key;
    r.session_token = settings_.session_token;
    r.region = settings_.region;
    r.ca_bundle = settings_.ca_bundle;
    r.range = range;
    r.if_match = if_match;
    r.timeout_ms = timeout_.count() > 0 ? static_cast<long>(timeout_.count()) : 0;
    store_get(r);
    status = r.status;
    if (!worth_retrying(r.answered, r.status) || attempt + 1 == kAttempts) {
      if (!r.answered) {
        error = "no answer from " + url.substr(0, url.find('?')) + ": " + r.error;
        return false;
      }
      body = std::move(r.body);
      if (status / 100 != 2) {
        error = reply_error(status, body);
        return false;
      }
      return true;
    }
    // Exponential backoff with full jitter: 50 ms, 100 ms, 200 ms, 400 ms at most.
    std::uniform_int_distribution<int> wait(0, 50 << attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(wait(jitter)));
  }
}

bool BucketClient::list(const std::string& bucket, const std::string& prefix, const std::string& token,
                        ListPage& page, std::string& error) const {
  // Sorted by name, each value encoded once: SigV4 signs the query as it is sent.
  std::string query;
  if (!token.empty()) query += "continuation-token=" + percent_encode(token, false) + "&";
  query += "encoding-type=url&list-type=2";
  if (!prefix.empty()) query += "&prefix=" + percent_encode(prefix, false);
  const std::string root = bucket_url(bucket);
  std::string body;
  long status = 0;
  if (!send(root + "/?" + query, "", "", body, status, error)) return false;
  return parse_list_page(body, true, page, error);
}

bool BucketClient::read(const std::string& bucket, const std::string& key, const std::string& etag, uint64_t from,
                        uint64_t n, std::string& out, std::string& error, ReadFailure& why) const {
  why = ReadFailure::other;
  long status = 0;
  const std::string range = std::to_string(from) + "-" + std::to_string(from + n - 1);
  if (!send(bucket_url(bucket) + "/" + percent_encode(key, true), range, etag, out, status, error)) {
    if (status == 404) why = ReadFailure::gone;
    if (status == 412) why = ReadFailure::changed;
    return false;
  }
  if (status == 200) {  // a store that ignores Range sends it all
    out.erase(0, std::min<uint64_t>(from, out.size()));
    if (out.size() > n) out.resize(n);
  }
  return true;
}

}  // namespace sfmc
