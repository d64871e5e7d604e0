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

std::string aws_uri_encode(std::string_view bytes, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || (c == '/' && keep_slash)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && digit(text[i + 1]) >= 0 && digit(text[i + 2]) >= 0) {
      out += static_cast<char>(digit(text[i + 1]) * 16 + digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace sfmc
