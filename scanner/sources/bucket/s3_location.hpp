#pragma once
// Where an object store input points (`s3://BUCKET[/PREFIX]`, `gs://BUCKET[/PREFIX]`:
// Cloud Storage through its S3-compatible XML API), and the strict
// percent-encoding SigV4 signs: S3 compares its canonical request with ours byte for
// byte, so a key's bytes are encoded the one way AWS does.
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

// Every byte outside A-Z a-z 0-9 - . _ ~ as %XX (upper case); '/' kept when `keep_slash`
// (an object key in a path), encoded otherwise (a query value).
std::string aws_uri_encode(std::string_view bytes, bool keep_slash);
// %XX sequences undone (keys in a listing asked with encoding-type=url); '+' stays '+'.
std::string percent_decode(std::string_view text);

}  // namespace sfmc
