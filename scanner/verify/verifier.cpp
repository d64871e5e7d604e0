#include "verify/verifier.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "verify/https_post.hpp"

namespace sfmc {

namespace {

struct Outcome {
  std::string verdict;  // live, revoked, unknown
  std::string detail;
};

bool loopback(const std::string& url) {
  for (const char* prefix : {"http://127.", "http://localhost:", "http://localhost/", "http://[::1]"})
    if (url.rfind(prefix, 0) == 0) return true;
  return false;
}

Outcome ask(const std::string& url, const std::string& client_id, const std::string& secret, long timeout_ms) {
  HttpExchange x;
  x.url = url;
  x.json_body = nlohmann::json{{"grant_type", "client_credentials"}, {"client_id", client_id}, {"client_secret", secret}}.dump();
  x.timeout_ms = timeout_ms;
  x.allow_plain_http = loopback(url);
  https_post(x);
  x.json_body.assign(x.json_body.size(), '\0');
  if (!x.answered) return {"unknown", x.error};
  if (x.status == 200) {
    nlohmann::json j = nlohmann::json::parse(x.body, nullptr, false);
    if (!j.is_discarded() && j.contains("access_token")) return {"live", "the token endpoint issued an access token"};
    return {"unknown", "HTTP 200 without an access token"};
  }
  if (x.status == 401) return {"revoked", "the token endpoint refused the pair (HTTP 401)"};
  return {"unknown", "HTTP " + std::to_string(x.status)};
}

}  // namespace

// A verifier whose module cannot be loaded answers "unknown" with the reason; the CLI
// refuses --verify before scanning in that case (https_post_available).
Verifier::Verifier(VerifyOptions options) : options_(std::move(options)) {}

std::string Verifier::token_url(const std::string& subdomain) const {
  std::string base = options_.endpoint.empty() ? "https://" + subdomain + ".auth.marketingcloudapis.com" : options_.endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string url = base + "/v2/token";
  if (url.rfind("https://", 0) != 0 && !loopback(url)) return {};
  return url;
}

void Verifier::verify(const std::vector<Finding*>& findings) {
  using Key = std::tuple<std::string, std::string, std::string>;  // client id, secret, subdomain
  // Several ids or subdomains near a secret give several pairs: at most this many are
  // asked, nearest first; if none of them is live and more were possible, the answer
  // is "ambiguous" rather than a guess.
  constexpr std::size_t kMaxPairs = 4;
  std::map<Key, Outcome> asked;
  std::vector<std::pair<Finding*, std::vector<Key>>> paired;
  std::vector<bool> truncated;
  for (Finding* f : findings) {
    std::vector<std::string> ids, subdomains;
    for (const ContextHit& c : f->context) {
      if (c.rule_id == "sfmc-client-id") ids.push_back(c.value);
      if (c.rule_id == "sfmc-auth-url") subdomains.push_back(c.value);
    }
    if (ids.empty() || subdomains.empty()) {
      f->verification = "unpaired";
      f->verification_detail = ids.empty() ? "no client id found near it" : "no auth subdomain found near it";
      continue;
    }
    std::vector<Key> keys;
    for (std::size_t k = 0; k < ids.size() + subdomains.size() && keys.size() < kMaxPairs; ++k)
      for (std::size_t i = 0; i <= k && keys.size() < kMaxPairs; ++i)  // nearest pairs first
        if (i < ids.size() && k - i < subdomains.size()) keys.emplace_back(ids[i], f->secret, subdomains[k - i]);
    for (const Key& key : keys) asked.try_emplace(key);
    paired.emplace_back(f, keys);
    truncated.push_back(ids.size() * subdomains.size() > keys.size());
  }

  std::vector<std::map<Key, Outcome>::iterator> work;
  for (auto it = asked.begin(); it != asked.end(); ++it) work.push_back(it);
  std::atomic<std::size_t> next{0};
  std::mutex pace;
  auto slot = std::chrono::steady_clock::now();
  const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / std::max(options_.requests_per_second, 0.01)));
  auto worker = [&] {
    for (std::size_t i; (i = next++) < work.size();) {
      {
        // At most requests_per_second, whatever the concurrency.
        std::unique_lock<std::mutex> lock(pace);
        auto now = std::chrono::steady_clock::now();
        if (slot > now) std::this_thread::sleep_until(slot);
        slot = std::max(slot, now) + gap;
      }
      const auto& [client_id, secret, subdomain] = work[i]->first;
      std::string url = token_url(subdomain);
      work[i]->second = url.empty() ? Outcome{"unknown", "refused: the endpoint is neither HTTPS nor loopback"}
                                    : ask(url, client_id, secret, options_.timeout_ms);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < std::max(1u, options_.concurrency); ++t) pool.emplace_back(worker);
  for (std::thread& t : pool) t.join();

  for (std::size_t p = 0; p < paired.size(); ++p) {
    auto& [f, keys] = paired[p];
    const Outcome* live = nullptr;
    bool all_revoked = true;
    std::string details;
    for (const Key& key : keys) {
      const Outcome& o = asked[key];
      if (o.verdict == "live" && !live) live = &o;
      if (o.verdict != "revoked") all_revoked = false;
      details += (details.empty() ? "" : "; ") + std::get<0>(key) + "@" + std::get<2>(key) + ": " + o.detail;
    }
    if (live) {
      f->verification = "live";
      f->level = Level::error;  // the most severe finding there is
    } else if (truncated[p]) {
      f->verification = "ambiguous";
    } else if (all_revoked) {
      f->verification = "revoked";
      f->level = Level::note;
      f->reason = f->reason.empty() ? "revoked" : f->reason + "; revoked";
    } else {
      f->verification = "unknown";
    }
    f->verification_detail = keys.size() == 1 ? asked[keys.front()].detail : details;
  }
}

}  // namespace sfmc
