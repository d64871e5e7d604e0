#pragma once
// Live verification (opt-in, --verify): asks the Marketing Cloud token endpoint of the
// subdomain found with a secret whether the secret and the client id found with it
// still work. A 200 with an access token is live, a 401 revoked; anything else
// (timeouts, 429, 5xx) is unknown, never revoked.
#include <string>
#include <vector>

#include "core/finding.hpp"

namespace sfmc {

struct VerifyOptions {
  // Replaces https://<subdomain>.auth.marketingcloudapis.com (tests use a loopback server).
  std::string endpoint;
  long timeout_ms = 10000;
  unsigned concurrency = 4;
  double requests_per_second = 5;
};

class Verifier {
 public:
  explicit Verifier(VerifyOptions options);
  // Sets verification on every finding of a secret rule; each distinct (client id,
  // secret, subdomain) is asked once.
  void verify(const std::vector<Finding*>& findings);

  // Where a secret found with `subdomain` is sent; empty if the URL would leave
  // HTTPS for anything but loopback.
  std::string token_url(const std::string& subdomain) const;

 private:
  VerifyOptions options_;
};

}  // namespace sfmc
