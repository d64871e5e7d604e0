#include "sources/bucket/bucket_source.hpp"

#include <algorithm>
#include <cstring>

#include "decode/byte_source.hpp"
#include "decode/content.hpp"
#include "sources/prefetch_source.hpp"

namespace sfmc {

namespace {

// One bucket of a store, as the items of its objects name it.
class BucketStore final : public ObjectStore {
 public:
  BucketStore(std::shared_ptr<const BucketClient> client, std::string bucket)
      : client_(std::move(client)), bucket_(std::move(bucket)) {}
  bool read(const std::string& key, const std::string& etag, uint64_t from, uint64_t n, std::string& out,
            std::string& error) const override {
    BucketClient::ReadFailure why{};
    if (client_->read(bucket_, key, etag, from, n, out, error, why)) return true;
    if (why == BucketClient::ReadFailure::gone) error = "the object is gone (deleted since it was listed): " + error;
    // The version listed is not there to read; the next sweep lists and reads the new one.
    if (why == BucketClient::ReadFailure::changed)
      error = "the object changed since it was listed (its ETag is no longer " + etag + "): " + error;
    return false;
  }
  std::string address() const override { return client_->bucket_url(bucket_); }

 private:
  std::shared_ptr<const BucketClient> client_;
  std::string bucket_;
};

// An object's bytes, asked for a range at a time (memory stays bounded whatever its
// size), starting with those an I/O thread fetched ahead. The range held is read again
// from memory on a rewind (the context pass): an object of one range is asked for once.
class ObjectSource final : public ByteSource {
 public:
  static constexpr uint64_t kRange = 8u << 20;
  ObjectSource(const ObjectStore& store, std::string key, std::string etag, uint64_t size, std::string head)
      : store_(store), key_(std::move(key)), etag_(std::move(etag)), size_(size), offset_(head.size()), buffer_(std::move(head)) {}
  ssize_t read(char* buf, std::size_t n) override {
    if (at_ == buffer_.size()) {
      if (offset_ >= size_) return 0;
      std::string next;
      if (!store_.read(key_, etag_, offset_, std::min(kRange, size_ - offset_), next, error_)) return -1;
      if (next.empty()) return 0;  // shorter than listed: it ends here
      buffer_ = std::move(next);
      buffer_start_ = offset_;
      offset_ += buffer_.size();
      at_ = 0;
    }
    const std::size_t k = std::min(n, buffer_.size() - at_);
    std::memcpy(buf, buffer_.data() + at_, k);
    at_ += k;
    return static_cast<ssize_t>(k);
  }
  bool rewind() override {
    at_ = 0;
    if (buffer_start_ != 0) {  // past the first range: from the start again
      offset_ = buffer_start_ = 0;
      buffer_.clear();
    }
    return true;
  }
  bool can_rewind() const override { return true; }
  std::string error() const override { return error_; }
  uint64_t size_hint() const override { return size_; }

 private:
  const ObjectStore& store_;
  std::string key_;
  std::string etag_;  // every range from the version listed
  uint64_t size_;
  uint64_t offset_;            // of the next range to ask for
  std::string buffer_;         // the range held: [buffer_start_, offset_)
  uint64_t buffer_start_ = 0;
  std::size_t at_ = 0;         // of buffer_, given out
  std::string error_;
};

}  // namespace

BucketSource::BucketSource(std::shared_ptr<const BucketClient> client, BucketLocation where, std::size_t root,
                           WalkOptions options)
    : client_(std::move(client)),
      store_(std::make_shared<BucketStore>(client_, where.bucket)),
      where_(std::move(where)),
      root_(root),
      rules_(std::move(options)) {}

BucketSource::PageResult BucketSource::fetch_page(const std::string& token) const {
  PageResult r;
  r.ok = client_->list(where_.bucket, where_.prefix, token, r.page, r.error);
  return r;
}

std::optional<InputItem> BucketSource::next() {
  for (;;) {
    if (ended_) return std::nullopt;
    if (at_ == page_.objects.size()) {
      if (listed_ && !page_.truncated) {
        ended_ = true;
        return std::nullopt;
      }
      PageResult got = next_page_.valid() ? next_page_.get() : fetch_page(page_.next_token);
      if (!got.ok) {
        const std::string& error = got.error;
        ended_ = true;
        // The listing failed: what it would have listed is unknown, so the whole
        // prefix (or the rest of it) is reported, never an empty, clean bucket.
        return skipped_input(where_.url(), SkipReason::unreadable,
                             std::string(listed_ ? "listing stopped after " + std::to_string(objects_) + " objects: "
                                                 : "cannot list: ") + error);
      }
      listed_ = true;
      page_ = std::move(got.page);
      at_ = 0;
      if (page_.truncated)
        next_page_ = std::async(std::launch::async, [this, token = page_.next_token] { return fetch_page(token); });
      continue;
    }
    BucketObject& o = page_.objects[at_++];
    ++objects_;
    if (!o.key.empty() && o.key.back() == '/' && o.size == 0) continue;  // a "folder" marker
    InputItem item;
    item.kind = InputItem::Kind::bucket_object;
    item.path = where_.object_url(o.key);
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
    item.store = store_;
    item.mtime = o.modified;
    item.etag = std::move(o.etag);
    return item;
  }
}

std::unique_ptr<InputReader> BucketSource::make_reader() const { return std::make_unique<BucketReader>(); }

void BucketReader::read(const InputItem& item, InputContext& ctx) {
  ContentInfo info;
  info.chain = {item.path};
  // When the object was written, and which version of it was read: first-seen and the
  // expiry bound follow from the one, a re-sweep can tell a changed object by the other.
  info.mtime = item.mtime;
  info.etag = item.etag;
  if (ctx.max_size() > 0 && item.size > ctx.max_size()) {
    ctx.note({item.path, SkipReason::too_large,
              std::to_string(item.size) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
             info.chain);
    return;
  }
  // Its first range, when an I/O thread fetched it ahead (sources/prefetch_source.hpp).
  std::string head;
  if (item.prefetched) {
    if (std::optional<PrefetchedFile::Opened> opened = item.prefetched->take()) {
      if (opened->timed_out) {
        ctx.note({item.path, SkipReason::io_timeout, io_timeout_detail(item.prefetched->io.deadline) + ": not read"},
                 info.chain);
        return;
      }
      if (opened->error != 0) {
        ctx.note({item.path, SkipReason::unreadable, opened->error_detail}, info.chain);
        return;
      }
      head = std::move(opened->head);
    }
  }
  ObjectSource object(*item.store, item.name, item.etag, item.size, std::move(head));
  scan_content(object, std::move(info), ctx.decode_options(), ctx);
}

}  // namespace sfmc
