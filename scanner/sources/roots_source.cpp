#include "sources/roots_source.hpp"

#include <map>

#include "sources/bucket/aws_settings.hpp"
#include "sources/bucket/bucket_source.hpp"
#include "sources/file_walker.hpp"

namespace sfmc {

namespace {

class ByKindReader final : public InputReader {
 public:
  void add(InputItem::Kind kind, std::shared_ptr<InputReader> reader) { readers_.emplace(kind, std::move(reader)); }
  void read(const InputItem& item, InputContext& ctx) override {
    auto it = readers_.find(item.kind);
    if (it == readers_.end()) it = readers_.find(InputItem::Kind::file);  // standard input
    if (it != readers_.end()) it->second->read(item, ctx);
  }

 private:
  std::map<InputItem::Kind, std::shared_ptr<InputReader>> readers_;
};

// A root that cannot be read at all: one skipped input saying why.
class FailedRoot final : public InputSource {
 public:
  FailedRoot(InputItem item, std::size_t root) : item_(std::move(item)) { item_->root = root; }
  std::optional<InputItem> next() override {
    std::optional<InputItem> out = std::move(item_);
    item_.reset();
    return out;
  }
  std::unique_ptr<InputReader> make_reader() const override { return nullptr; }

 private:
  std::optional<InputItem> item_;
};

}  // namespace

std::unique_ptr<InputSource> open_roots(const std::vector<std::string>& roots, const WalkOptions& walk,
                                        const StoreOptions& stores) {
  std::vector<RootsSource::Part> parts;
  // One client per kind of store (s3, gs), made when a root first needs it.
  std::map<std::string, std::shared_ptr<const BucketClient>> clients;
  std::map<std::string, std::string> settings_errors;
  for (std::size_t i = 0; i < roots.size();) {
    if (!is_bucket_url(roots[i])) {
      std::size_t end = i;
      while (end < roots.size() && !is_bucket_url(roots[end])) ++end;
      std::vector<std::string> run(roots.begin() + static_cast<std::ptrdiff_t>(i), roots.begin() + static_cast<std::ptrdiff_t>(end));
      parts.push_back({std::make_unique<FileWalker>(run, walk), i, InputItem::Kind::file});
      i = end;
      continue;
    }
    std::string error;
    std::optional<BucketLocation> where = parse_bucket_url(roots[i], error);
    std::shared_ptr<const BucketClient>* client = nullptr;
    std::string* settings_error = nullptr;
    if (where) {
      client = &clients[where->scheme];
      settings_error = &settings_errors[where->scheme];
      if (!*client && settings_error->empty()) {
        AwsSettings settings;
        const bool read = where->scheme == "gs" ? read_gcs_settings(stores.endpoint_url, settings, *settings_error)
                                                : read_aws_settings(stores.endpoint_url, settings, *settings_error);
        if (read) *client = std::make_shared<const BucketClient>(std::move(settings), stores.timeout);
      }
    }
    if (where && *client) {
      parts.push_back({std::make_unique<BucketSource>(*client, std::move(*where), 0, walk), i, InputItem::Kind::bucket_object});
    } else {
      parts.push_back({std::make_unique<FailedRoot>(
                           skipped_input(roots[i], SkipReason::unreadable, where ? *settings_error : error), 0),
                       i, InputItem::Kind::skipped});
    }
    ++i;
  }
  return std::make_unique<RootsSource>(std::move(parts));
}

std::optional<InputItem> RootsSource::next() {
  while (at_ < parts_.size()) {
    if (std::optional<InputItem> item = parts_[at_].source->next()) {
      item->root += parts_[at_].first_root;
      return item;
    }
    ++at_;
  }
  return std::nullopt;
}

std::unique_ptr<InputReader> RootsSource::make_reader() const {
  auto reader = std::make_unique<ByKindReader>();
  for (const Part& p : parts_)
    if (std::unique_ptr<InputReader> r = p.source->make_reader()) reader->add(p.reads, std::move(r));
  return reader;
}

}  // namespace sfmc
