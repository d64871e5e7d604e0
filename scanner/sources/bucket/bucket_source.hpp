#pragma once
// A bucket prefix as scan input (`s3://BUCKET[/PREFIX]`, `gs://...`): its objects in the store's
// order (keys in byte order), listed a page at a time as the scan goes, each read in
// ranged GETs into the same decoders as a file. The next page is asked for while the
// objects of the last are read. --exclude and --max-depth apply to the
// keys as to paths ('/' separates their folders).
#include <future>
#include <memory>
#include <string>

#include "sources/bucket/bucket_client.hpp"
#include "sources/bucket/s3_location.hpp"
#include "sources/input.hpp"
#include "sources/walk_rules.hpp"

namespace sfmc {

class BucketSource final : public InputSource {
 public:
  BucketSource(std::shared_ptr<const BucketClient> client, BucketLocation where, std::size_t root, WalkOptions options);
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override;

 private:
  std::shared_ptr<const BucketClient> client_;
  std::shared_ptr<const ObjectStore> store_;
  BucketLocation where_;
  std::size_t root_;
  WalkRules rules_;
  // A page of the listing, or why there is none.
  struct PageResult {
    bool ok = false;
    ListPage page;
    std::string error;
  };
  PageResult fetch_page(const std::string& token) const;

  ListPage page_;
  std::future<PageResult> next_page_;  // asked for as soon as the page before came
  std::size_t at_ = 0;
  bool listed_ = false;  // the first page was asked for
  bool ended_ = false;
  uint64_t objects_ = 0;
};

// Reads bucket objects (InputItem::Kind::bucket_object) into the decoders, from the
// store each item names, taking the first range an I/O thread fetched ahead.
class BucketReader final : public InputReader {
 public:
  void read(const InputItem& item, InputContext& ctx) override;
};

}  // namespace sfmc
