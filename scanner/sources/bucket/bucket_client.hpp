#pragma once
// The requests a sweep makes of an S3-compatible store: list a prefix one page at a
// time (ListObjectsV2), read a range of an object (GET). Throttling (503 SlowDown, 429)
// and dropped connections are tried again with backoff and jitter; what still fails is
// an error in the store's own words.
#include <chrono>
#include <cstdint>
#include <string>

#include "sources/bucket/aws_settings.hpp"
#include "sources/bucket/s3_xml.hpp"

namespace sfmc {

class BucketClient {
 public:
  BucketClient(AwsSettings settings, std::chrono::milliseconds timeout);

  // The page of `prefix`'s listing that starts at `token` ("" : the first).
  bool list(const std::string& bucket, const std::string& prefix, const std::string& token, ListPage& page,
            std::string& error) const;
  // Bytes [from, from + n) of an object into `out`; `gone`: the object is not there
  // (deleted since the listing).
  bool read(const std::string& bucket, const std::string& key, uint64_t from, uint64_t n, std::string& out,
            std::string& error, bool& gone) const;

  const AwsSettings& settings() const { return settings_; }
  // The URL of a bucket's root (path-style or virtual-hosted), for messages and requests.
  std::string bucket_url(const std::string& bucket) const;

 private:
  // Sends a GET, trying again while the store throttles or the connection drops.
  bool send(const std::string& url, const std::string& range, std::string& body, long& status,
            std::string& error) const;

  AwsSettings settings_;
  std::chrono::milliseconds timeout_;
};

}  // namespace sfmc
