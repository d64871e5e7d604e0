#include "sources/git/object_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compress/inflate.hpp"

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

BlobReader::BlobReader(const std::string& repository_path, std::shared_ptr<const ObjectReader> packs)
    : repo_(open_repository(repository_path)), packs_(std::move(packs)) {
  git_odb* odb = nullptr;
  check(git_repository_odb(&odb, repo_.get()), "cannot open the object database");
  odb_.reset(odb);
  objects_ = (std::filesystem::path(git_repository_commondir(repo_.get())) / "objects").string();
}

// A loose object is one zlib stream of "<type> <size>\0<content>". Its stated size is
// checked against what the stream really holds; a mismatch or damage is a warning, and
// the content that is there is scanned. False when there is no such loose file.
bool BlobReader::read_loose(const InputItem& item, InputContext& ctx) {
  const std::string id = hex(item.object_id);
  const std::string file = objects_ + "/" + id.substr(0, 2) + "/" + id.substr(2);
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  std::string compressed;
  struct stat st{};
  bool read_ok = fstat(fd, &st) == 0;
  if (read_ok) {
    compressed.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < compressed.size()) {
      ssize_t n = ::read(fd, compressed.data() + got, compressed.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    compressed.resize(got);
  }
  const int saved = errno;
  ::close(fd);
  if (!read_ok) {
    ctx.note({item.path, SkipReason::unreadable, "cannot read loose object " + id + ": " + std::strerror(saved)}, {item.path});
    return true;
  }
  std::string raw, error;
  const bool whole = compress::inflate_stream(compressed, compress::max_inflated_size(compressed.size()), raw, error);
  const std::size_t nul = raw.find('\0');
  const std::size_t space = raw.find(' ');
  if (nul == std::string::npos || space == std::string::npos || space > nul || nul > 32) {
    ctx.note({item.path, SkipReason::unreadable, "damaged loose object " + id + ": no object header" + (whole ? "" : " (" + error + ")")},
             {item.path});
    return true;
  }
  const std::string type = raw.substr(0, space);
  const std::string size_field = raw.substr(space + 1, nul - space - 1);
  if (type == "commit" || type == "tree" || type == "tag") return true;  // not content
  uint64_t stated = 0;
  bool size_ok = !size_field.empty() && size_field.size() <= 19 &&
                 size_field.find_first_not_of("0123456789") == std::string::npos;
  if (size_ok) stated = std::stoull(size_field);
  if (type != "blob") {
    ctx.note({item.path, SkipReason::unreadable, "damaged loose object " + id + ": unknown type '" + type.substr(0, 16) + "'"},
             {item.path});
    return true;
  }
  std::string_view content = std::string_view(raw).substr(nul + 1);
  std::string problem;
  if (!whole) problem = error;
  else if (!size_ok) problem = "its header's size field is not a number";
  else if (stated != content.size())
    problem = "its header states " + std::to_string(stated) + " bytes but it holds " + std::to_string(content.size());
  if (!problem.empty())
    ctx.note({item.path, SkipReason::unreadable,
              "damaged loose object " + id + ": " + problem + "; the " + std::to_string(content.size()) + " bytes it holds were scanned"},
             {item.path});
  if (ctx.max_size() > 0 && content.size() > ctx.max_size()) {
    ctx.note({item.path, SkipReason::too_large,
              std::to_string(content.size()) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
             {item.path});
    return true;
  }
  MemorySource source(content);
  ContentInfo info;
  info.chain = {item.path};
  scan_content(source, std::move(info), ctx.decode_options(), ctx);
  return true;
}

void BlobReader::read(const InputItem& item, InputContext& ctx) {
  git_object_t packed_type = GIT_OBJECT_INVALID;
  if (packs_ && packs_->read_from_packs(item.object_id, packed_type, content_)) {
    if (packed_type != GIT_OBJECT_BLOB) return;  // commits, trees, tags: not content
    if (ctx.max_size() > 0 && content_.size() > ctx.max_size()) {
      ctx.note({item.path, SkipReason::too_large,
                std::to_string(content_.size()) + " bytes > --max-file-size " + std::to_string(ctx.max_size())},
               {item.path});
      return;
    }
    MemorySource source(content_);
    ContentInfo info;
    info.chain = {item.path};
    scan_content(source, std::move(info), ctx.decode_options(), ctx);
    return;
  }
  if (read_loose(item, ctx)) return;
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
