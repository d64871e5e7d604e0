// OpenSSL's low-level SHA-256 functions rather than EVP: EVP's first use initialises
// the library (reads openssl.cnf, sets up the default provider), about 1 ms that every
// run paid at start-up for hashing the rule files (the database cache key). The
// low-level functions run the same SHA-NI / AVX2 block code and need no set-up. They
// are deprecated in OpenSSL 3 but present in every 3.x.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "core/sha256.hpp"

#include <openssl/sha.h>

namespace sfmc {

Sha256::Sha256() : ctx_(new SHA256_CTX) { SHA256_Init(static_cast<SHA256_CTX*>(ctx_)); }

Sha256::~Sha256() { delete static_cast<SHA256_CTX*>(ctx_); }

void Sha256::update(std::string_view data) { SHA256_Update(static_cast<SHA256_CTX*>(ctx_), data.data(), data.size()); }

std::string Sha256::hex_digest() {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_Final(md, static_cast<SHA256_CTX*>(ctx_));
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(SHA256_DIGEST_LENGTH * 2, '0');
  for (unsigned i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    out[2 * i] = digits[md[i] >> 4];
    out[2 * i + 1] = digits[md[i] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.hex_digest();
}

}  // namespace sfmc
