#pragma once
// SHA-256 (OpenSSL libcrypto) as lower-case hex: secret fingerprints and cache keys.
#include <string>
#include <string_view>

namespace sfmc {

std::string sha256_hex(std::string_view data);

// Incremental form, for hashing many pieces without concatenating them.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex_digest();  // finalises; the object is spent afterwards

 private:
  void* ctx_;  // SHA256_CTX*, kept opaque so OpenSSL headers stay out of ours
};

}  // namespace sfmc
