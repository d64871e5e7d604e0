#pragma once
// A bucket prefix as scan input (`s3://BUCKET[/PREFIX]`): its objects in the store's
// order (keys in byte order), listed a page at a time as the scan goes, each read in
// ranged GETs into the same decoders as a file. --exclude and --max-depth apply to the
// keys as to paths ('/' separates their folders).
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
  BucketLocation where_;
  std::size_t root_;
  WalkRules rules_;
  ListPage page_;
  std::size_t at_ = 0;
  bool listed_ = false;  // the first page was asked for
  bool ended_ = false;
  uint64_t objects_ = 0;
};

// Reads bucket objects (InputItem::Kind::bucket_object) into the decoders.
class BucketReader final : public InputReader {
 public:
  explicit BucketReader(std::shared_ptr<const BucketClient> client) : client_(std::move(client)) {}
  void read(const InputItem& item, InputContext& ctx) override;

 private:
  std::shared_ptr<const BucketClient> client_;
};

}  // namespace sfmc
