#pragma once
// S3's XML answers read with expat: a page of ListObjectsV2, and an error's code and
// message. Only the elements sfmc-scan uses are kept; the rest is skipped.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfmc {

struct BucketObject {
  std::string key;            // decoded (the listing is asked with encoding-type=url)
  uint64_t size = 0;
  std::string etag;           // without its quotes
  std::string last_modified;  // ISO 8601, as S3 gives it
  int64_t modified = 0;       // the same in seconds since the epoch, 0 if unreadable
};

struct ListPage {
  std::vector<BucketObject> objects;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken: where the next page starts
};

// False with `error` when `xml` is not a ListBucketResult.
bool parse_list_page(std::string_view xml, bool keys_url_encoded, ListPage& page, std::string& error);

struct StoreError {
  std::string code;     // AccessDenied, NoSuchBucket, SlowDown...
  std::string message;
};
// The <Error> of an answer; code "" when the body is not one.
StoreError parse_store_error(std::string_view xml);

}  // namespace sfmc
