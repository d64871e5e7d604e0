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
  // Why a read failed, where the store said something a sweep can explain.
  enum class ReadFailure { other, gone, changed };
  // Bytes [from, from + n) of an object into `out`, of its version `etag` if not "".
  // On failure, `why`: the object is not there (deleted since the listing), or its ETag
  // is not `etag` any more (rewritten since the listing).
  bool read(const std::string& bucket, const std::string& key, const std::string& etag, uint64_t from, uint64_t n,
            std::string& out, std::string& error, ReadFailure& why) const;

  const AwsSettings& settings() const { return settings_; }
  // The URL of a bucket's root (path-style or virtual-hosted), for messages and requests.
  std::string bucket_url(const std::string& bucket) const;

 private:
  // Sends a GET, trying again while the store throttles or the connection drops.
  bool send(const std::string& url, const std::string& range, const std::string& if_match, std::string& body,
            long& status, std::string& error) const;

  AwsSettings settings_;
  std::chrono::milliseconds timeout_;
};

}  // namespace sfmc
