#include "sources/bucket/bucket_source.hpp"

#include <algorithm>
#include <cstring>

#include "decode/byte_source.hpp"
#include "decode/content.hpp"

namespace sfmc {

namespace {

// An object's bytes, asked for a range at a time: memory stays bounded whatever its size.
class ObjectSource final : public ByteSource {
 public:
  static constexpr uint64_t kRange = 8u << 20;
  ObjectSource(const BucketClient& client, std::string bucket, std::string key, uint64_t size)
      : client_(client), bucket_(std::move(bucket)), key_(std::move(key)), size_(size) {}
  ssize_t read(char* buf, std::size_t n) override {
    if (at_ == buffer_.size()) {
      if (offset_ >= size_) return 0;
      const uint64_t want = std::min(kRange, size_ - offset_);
      buffer_.clear();
      at_ = 0;
      bool gone = false;
      if (!client_.read(bucket_, key_, offset_, want, buffer_, error_, gone)) {
        if (gone) error_ = "the object is gone (deleted since it was listed): " + error_;
        return -1;
      }
      if (buffer_.empty()) return 0;  // shorter than listed: it ends here
      buffer_start_ = offset_;
      offset_ += buffer_.size();
    }
    const std::size_t k = std::min(n, buffer_.size() - at_);
    std::memcpy(buf, buffer_.data() + at_, k);
    at_ += k;
    return static_cast<ssize_t>(k);
  }
  bool rewind() override {
    at_ = 0;
    // An object held whole (most are: one range) is read again from memory, not asked
    // for again; a larger one from its first range.
    if (buffer_start_ != 0) {
      offset_ = buffer_start_ = 0;
      buffer_.clear();
    }
    return true;
  }
  bool can_rewind() const override { return true; }
  std::string error() const override { return error_; }
  uint64_t size_hint() const override { return size_; }

 private:
  const BucketClient& client_;
  std::string bucket_, key_;
  uint64_t size_;
  uint64_t offset_ = 0;        // of the next range to ask for
  uint64_t buffer_start_ = 0;  // where the range in buffer_ starts
  std::string buffer_;
  std::size_t at_ = 0;
  std::string error_;
};

}  // namespace

BucketSource::BucketSource(std::shared_ptr<const BucketClient> client, BucketLocation where, std::size_t root,
                           WalkOptions options)
    : client_(std::move(client)), where_(std::move(where)), root_(root), rules_(std::move(options)) {}

std::optional<InputItem> BucketSource::next() {
  for (;;) {
    if (ended_) return std::nullopt;
    if (at_ == page_.objects.size()) {
      if (listed_ && !page_.truncated) {
        ended_ = true;
        return std::nullopt;
      }
      const std::string token = page_.next_token;
      std::string error;
      ListPage page;
      if (!client_->list(where_.bucket, where_.prefix, token, page, error)) {
        ended_ = true;
        // The listing failed: what it would have listed is unknown, so the whole
        // prefix (or the rest of it) is reported, never an empty, clean bucket.
        return skipped_input(where_.url(), SkipReason::unreadable,
                             std::string(listed_ ? "listing stopped after " + std::to_string(objects_) + " objects: "
                                                 : "cannot list: ") + error);
      }
      listed_ = true;
      page_ = std::move(page);
      at_ = 0;
      continue;
    }
    BucketObject& o = page_.objects[at_++];
    ++objects_;
    if (!o.key.empty() && o.key.back() == '/' && o.size == 0) continue;  // a "folder" marker
    InputItem item;
    item.kind = InputItem::Kind::bucket_object;
    item.path = "s3://" + where_.bucket + "/" + o.key;
    item.root = root_;
    // Below the prefix, as a path below a folder: what --exclude globs and resume see.
    std::string relative = o.key.substr(std::min(where_.prefix.size(), o.key.size()));
    if (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
    // A key is passed over if its name or any folder above it would be in a walk.
    bool passed = false;
    int depth = 0;
    for (std::size_t start = 0; !passed;) {
      const std::size_t slash = relative.find('/', start);
      ++depth;
      const std::string upto = relative.substr(0, slash);
      const std::string name = upto.substr(start);
      passed = rules_.passed_over(upto, name, depth);
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (passed) continue;
    item.relative = std::move(relative);
    item.name = std::move(o.key);
    item.size = o.size;
    return item;
  }
}

std::unique_ptr<InputReader> BucketSource::make_reader() const { return std::make_unique<BucketReader>(client_); }

void BucketReader::read(const InputItem& item, InputContext& ctx) {
  ContentInfo info;
  info.chain = {item.path};
  if (ctx.max_size() > 0 && item.size > ctx.max_size()) {
    ctx.note({item.path, SkipReason::too_large,
              std::to_string(item.size) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
             info.chain);
    return;
  }
  const std::string bucket = item.path.substr(5, item.path.find('/', 5) - 5);
  ObjectSource object(*client_, bucket, item.name, item.size);
  scan_content(object, std::move(info), ctx.decode_options(), ctx);
}

}  // namespace sfmc
