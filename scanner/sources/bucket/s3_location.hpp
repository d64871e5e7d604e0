#pragma once
// Where an object store input points (`s3://BUCKET[/PREFIX]`, `gs://BUCKET[/PREFIX]`:
// Cloud Storage through its S3-compatible XML API). Keys in requests are encoded with
// core/percent_encoding.hpp, the one way SigV4 signs them.
#include <optional>
#include <string>
#include <string_view>

namespace sfmc {

struct BucketLocation {
  std::string scheme = "s3";  // s3, gs
  std::string bucket;
  std::string prefix;  // "" for the whole bucket; a key prefix, not necessarily ending in '/'
  std::string url() const { return scheme + "://" + bucket + (prefix.empty() ? "" : "/" + prefix); }
  std::string object_url(const std::string& key) const { return scheme + "://" + bucket + "/" + key; }
};

// Whether a command-line input names an object store rather than a path.
bool is_bucket_url(std::string_view input);
// `s3://BUCKET[/PREFIX]` or `gs://...`; nullopt with `error` set when it is not a valid one.
std::optional<BucketLocation> parse_bucket_url(std::string_view input, std::string& error);

}  // namespace sfmc
