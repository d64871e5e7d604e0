#include "sources/git/object_source.hpp"

#include <algorithm>

#include "decode/content.hpp"
#include "sources/input_reader.hpp"

namespace sfmc::git {

std::vector<ObjectId> all_object_ids(git_repository* repo) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo), "cannot open the object database");
  Odb owned(odb);
  std::vector<ObjectId> all;
  check(git_odb_foreach(
            odb,
            [](const git_oid* oid, void* payload) {
              static_cast<std::vector<ObjectId>*>(payload)->push_back(to_id(*oid));
              return 0;
            },
            &all),
        "cannot list the object database");
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

std::optional<InputItem> ObjectSource::next() {
  if (next_ >= ids_.size()) return std::nullopt;
  InputItem item;
  item.kind = InputItem::Kind::git_blob;
  item.object_id = ids_[next_++];
  item.path = hex(item.object_id);
  return item;
}

std::unique_ptr<InputReader> ObjectSource::make_reader() const { return std::make_unique<BlobReader>(path_); }

BlobReader::BlobReader(const std::string& repository_path) : repo_(open_repository(repository_path)) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo_.get()), "cannot open the object database");
  odb_.reset(odb);
}

void BlobReader::read(const InputItem& item, InputContext& ctx) {
  git_oid oid = to_oid(item.object_id);
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (git_odb_read_header(&size, &type, odb_.get(), &oid) < 0) {
    ctx.note({item.path, SkipReason::unreadable, "cannot read object " + hex(oid) + ": " + last_error()}, {item.path});
    return;
  }
  if (type != GIT_OBJECT_BLOB) return;  // commits, trees, tags: not content
  if (ctx.max_size() > 0 && size > ctx.max_size()) {
    ctx.note({item.path, SkipReason::too_large, std::to_string(size) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
             {item.path});
    return;
  }
  git_odb_object* obj = nullptr;
  if (git_odb_read(&obj, odb_.get(), &oid) < 0) {
    ctx.note({item.path, SkipReason::unreadable, "cannot read blob " + hex(oid) + ": " + last_error()}, {item.path});
    return;
  }
  OdbObject owned(obj);
  MemorySource source(std::string_view(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj)));
  ContentInfo info;
  info.chain = {item.path};
  scan_content(source, std::move(info), ctx.decode_options(), ctx);
}

}  // namespace sfmc::git
