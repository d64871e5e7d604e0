#include "engine/shard.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <charconv>

namespace sfmc {

std::optional<ShardSpec> parse_shard(const std::string& text, std::string& error) {
  std::size_t slash = text.find('/');
  ShardSpec s;
  auto number = [](std::string_view v, unsigned& out) {
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && p == v.data() + v.size() && !v.empty();
  };
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), s.index) ||
      !number(std::string_view(text).substr(slash + 1), s.count) || s.count == 0 || s.count > kMaxShards || s.index >= s.count) {
    error = "--shard wants K/N with 0 <= K < N <= " + std::to_string(kMaxShards) + " (e.g. 0/4 for the first of four), not '" +
            text + "'";
    return std::nullopt;
  }
  return s;
}

unsigned shard_of(uint64_t before, uint64_t weight, uint64_t total, unsigned count) {
  if (total == 0) return 0;
  // The middle of the input, in 128-bit arithmetic: totals of petabytes times N fit.
  unsigned __int128 middle = static_cast<unsigned __int128>(before) * 2 + weight;
  unsigned __int128 k = middle * count / (static_cast<unsigned __int128>(total) * 2);
  return k >= count ? count - 1 : static_cast<unsigned>(k);
}

std::vector<unsigned> split_by_weight(const std::vector<uint64_t>& weights, unsigned count) {
  uint64_t total = 0;
  for (uint64_t w : weights) total += w;
  std::vector<unsigned> owner;
  uint64_t before = 0;
  for (uint64_t w : weights) {
    owner.push_back(shard_of(before, w, total, count));
    before += w;
  }
  return owner;
}

uint64_t input_weight(const InputItem& item, bool follow_symlinks) {
  if (item.kind == InputItem::Kind::bucket_object) return item.size + 1;  // the listing said
  if (item.kind != InputItem::Kind::file) return 1;
  struct stat st {};
  int flags = follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW;
  int rc = item.dir ? fstatat(item.dir->fd, item.name.c_str(), &st, flags) : fstatat(AT_FDCWD, item.path.c_str(), &st, flags);
  if (rc != 0 || !S_ISREG(st.st_mode)) return 1;
  return static_cast<uint64_t>(st.st_size) + 1;
}

ShardedSource::ShardedSource(std::function<std::unique_ptr<InputSource>()> make, ShardSpec shard, bool follow_symlinks)
    : shard_(shard), follow_(follow_symlinks) {
  std::unique_ptr<InputSource> census = make();
  while (std::optional<InputItem> item = census->next()) {
    ++plan_.items;
    plan_.weight += input_weight(*item, follow_);
  }
  walk_ = make();
}

std::optional<InputItem> ShardedSource::next() {
  while (std::optional<InputItem> item = walk_->next()) {
    uint64_t w = input_weight(*item, follow_);
    unsigned owner = shard_of(before_, w, plan_.weight, shard_.count);
    before_ += w;
    if (owner == shard_.index) return item;
    if (owner > shard_.index) return std::nullopt;  // the runs after ours are other shards' business
  }
  return std::nullopt;
}

}  // namespace sfmc
