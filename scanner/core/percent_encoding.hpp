#pragma once
// Percent-encoding as URIs and AWS Signature V4 need it: every byte outside the
// unreserved set A-Z a-z 0-9 - . _ ~ as %XX (upper case), once. SARIF artifact URIs and
// S3 request paths are both written with it, so a key and its report name agree.
#include <string>
#include <string_view>

namespace sfmc {

// `keep_slash`: '/' stays (a path); otherwise it is encoded too (a query value).
std::string percent_encode(std::string_view bytes, bool keep_slash = true);
// %XX sequences undone; anything else (a lone '%', '+') kept as it is.
std::string percent_decode(std::string_view text);

}  // namespace sfmc
