#include "sources/bucket/s3_location.hpp"

namespace sfmc {

bool is_bucket_url(std::string_view input) { return input.substr(0, 5) == "s3://" || input.substr(0, 5) == "gs://"; }

std::optional<BucketLocation> parse_bucket_url(std::string_view input, std::string& error) {
  if (!is_bucket_url(input)) {
    error = "not an s3:// or gs:// address";
    return std::nullopt;
  }
  std::string_view rest = input.substr(5);
  const std::size_t slash = rest.find('/');
  BucketLocation loc;
  loc.scheme = std::string(input.substr(0, 2));
  loc.bucket = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) loc.prefix = std::string(rest.substr(slash + 1));
  // S3's naming rules: 3-63 characters of lower-case letters, digits, '.' and '-'
  // (older buckets may hold '_' and capitals: accepted, as the store decides).
  bool valid = loc.bucket.size() >= 3 && loc.bucket.size() <= 255;
  for (char c : loc.bucket)
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '-' || c == '_');
  if (!valid) {
    error = "'" + loc.bucket + "' is not a bucket name (3-63 letters, digits, '.' or '-'): write " + loc.scheme + "://BUCKET[/PREFIX]";
    return std::nullopt;
  }
  return loc;
}

}  // namespace sfmc
