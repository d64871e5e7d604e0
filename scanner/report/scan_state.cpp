#include "report/scan_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/temp_file.hpp"
#include "report/json_read.hpp"
#include "sources/bucket/s3_location.hpp"

namespace sfmc {

namespace {

constexpr const char* kType = "sfmc-scan-scan-state";
constexpr std::string_view kSectionStart = "{\"bucket\":";
constexpr std::string_view kEntryStart = "{\"key\":";
constexpr std::string_view kReportedStart = "{\"reported\":";

std::string dump(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string entry_line(const ScanState::Entry& e) {
  return std::string(kEntryStart) + dump(e.key) + ",\"etag\":" + dump(e.etag) + (e.findings ? ",\"findings\":true}\n" : "}\n");
}

std::optional<ScanState::Entry> parse_entry(const std::string& line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto key = j.find("key");
  auto etag = j.find("etag");
  auto findings = j.find("findings");
  if (key == j.end() || !key->is_string() || etag == j.end() || !etag->is_string()) return std::nullopt;
  if (findings != j.end() && !findings->is_boolean()) return std::nullopt;
  return ScanState::Entry{key->get<std::string>(), etag->get<std::string>(), findings != j.end() && findings->get<bool>()};
}

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

// Gives bytes [from, to) of `in` to `put`. False on a short read.
template <class Put>
bool copy_range(std::ifstream& in, uint64_t from, uint64_t to, Put& put) {
  in.clear();
  in.seekg(static_cast<std::streamoff>(from));
  char buf[1 << 16];
  for (uint64_t left = to - from; left > 0;) {
    const std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(left, sizeof buf));
    if (!in.read(buf, static_cast<std::streamsize>(n))) return false;
    put(std::string_view(buf, n));
    left -= n;
  }
  return true;
}

}  // namespace

// The entries of a file between two offsets, one at a time. A line that is not an
// entry ends them: what follows is not trusted (and read again by the sweep).
class ScanState::Lines {
 public:
  Lines(const std::string& path, uint64_t begin, uint64_t end) : in_(path, std::ios::binary), at_(begin), end_(end) {
    in_.seekg(static_cast<std::streamoff>(begin));
  }
  std::optional<Entry> next() {
    std::string line;
    if (at_ >= end_ || !std::getline(in_, line)) return std::nullopt;
    at_ += line.size() + 1;
    std::optional<Entry> e = parse_entry(line);
    if (!e) at_ = end_;
    return e;
  }

 private:
  std::ifstream in_;
  uint64_t at_, end_;
};

// One root's place in its bucket's old section, moving forward as the listing does.
struct ScanState::Cursor {
  std::unique_ptr<Lines> lines;  // null: nothing of this bucket to trust
  std::optional<Entry> current;
};

ScanState::ScanState(std::string path, std::string scanned_with, std::vector<std::string> roots)
    : path_(std::move(path)), scanned_with_(std::move(scanned_with)) {
  if (const std::string refused = planted_link(path_); !refused.empty()) throw std::runtime_error(refused);
  for (const std::string& r : roots) {
    std::string error;
    std::optional<BucketLocation> where = is_bucket_url(r) ? parse_bucket_url(r, error) : std::nullopt;
    prefixes_.push_back(where ? where->prefix : std::string());
  }
  cursors_.resize(roots.size());
  listed_.resize(roots.size());
  load();
}

ScanState::~ScanState() {
  if (entries_) std::fclose(entries_);
  if (!entries_path_.empty()) ::unlink(entries_path_.c_str());
}

void ScanState::load() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return;  // the first sweep
    throw std::runtime_error("cannot read the state " + path_ + ": " + std::strerror(errno));
  }
  auto damaged = [&](uint64_t line, const std::string& why) {
    return std::runtime_error(path_ + ": a damaged sfmc-scan --state file: line " + std::to_string(line) + ": " + why);
  };
  std::string line;
  uint64_t offset = 0, number = 0;
  Section* open = nullptr;
  while (std::getline(in, line)) {
    ++number;
    const uint64_t start = offset;
    offset += line.size() + 1;
    if (in.eof()) throw damaged(number, "it ends in the middle of a line");
    if (number == 1) {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object() || json_read::text(j, "type") != kType)
        throw std::runtime_error(path_ + " is not an sfmc-scan scan --state file" +
                                 (json_read::text(j, "type") == "sfmc-scan-sweep-state" ? " (it is one of `sfmc-scan git`'s)" : ""));
      if (json_read::number(j, "version") != 1) throw damaged(number, "a version this sfmc-scan does not read");
      continue;
    }
    if (starts_with(line, kEntryStart)) {
      if (!open) throw damaged(number, "an object outside a bucket's section");
      open->end = offset;
      continue;
    }
    open = nullptr;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (starts_with(line, kSectionStart) && j.is_object() && j["bucket"].is_string() && j["scanned_with"].is_string()) {
      Section& s = sections_[j["bucket"].get<std::string>()];
      s = Section{j["scanned_with"].get<std::string>(), start, offset, offset};
      open = &s;
    } else if (starts_with(line, kReportedStart) && j.is_object() && j["reported"].is_string()) {
      reported_.insert(j["reported"].get<std::string>());
    } else {
      throw damaged(number, "not a line of a state file");
    }
  }
  if (number == 0) throw std::runtime_error(path_ + " is not an sfmc-scan scan --state file (it is empty)");
}

std::optional<bool> ScanState::unchanged(const InputItem& item) {
  if (item.root >= cursors_.size() || !item.store || item.etag.empty()) return std::nullopt;
  std::unique_ptr<Cursor>& c = cursors_[item.root];
  if (!c) {
    c = std::make_unique<Cursor>();
    auto s = sections_.find(item.store->address());
    if (s != sections_.end() && s->second.scanned_with == scanned_with_) {
      c->lines = std::make_unique<Lines>(path_, s->second.begin, s->second.end);
      c->current = c->lines->next();
    }
  }
  if (!c->lines) return std::nullopt;
  while (c->current && c->current->key < item.name) c->current = c->lines->next();
  if (!c->current || c->current->key != item.name || c->current->etag != item.etag) return std::nullopt;
  return c->current->findings;
}

bool ScanState::write_entry(const Entry& e) {
  if (entries_failed_) return false;
  if (!entries_) {
    const std::optional<std::string> target = atomic_target(path_);
    if (!target) return false;  // /dev/null: a sweep that keeps no state
    const int fd = create_temp_beside(*target, "sfmc-objects", entries_path_);
    if (fd >= 0) entries_ = ::fdopen(fd, "w+");
    if (!entries_) {
      entries_errno_ = errno;
      entries_failed_ = true;
      if (fd >= 0) ::close(fd);
      return false;
    }
  }
  const std::string line = entry_line(e);
  if (std::fwrite(line.data(), 1, line.size(), entries_) != line.size()) {
    entries_errno_ = errno;
    entries_failed_ = true;
    return false;
  }
  entries_size_ += line.size();
  return true;
}

void ScanState::done(const ObjectDone& object) {
  if (object.root >= listed_.size() || !object.store) return;
  if (listed_[object.root].empty()) listed_[object.root] = object.store->address();
  if (!object.complete && !object.unchanged) return;  // read again by the next sweep
  if (segments_.empty() || segments_.back().root != object.root) segments_.push_back({object.root, entries_size_, entries_size_});
  if (write_entry({object.key, object.etag, object.findings})) segments_.back().end = entries_size_;
}

bool ScanState::reported(const Finding& f) const { return reported_.count(reported_finding_key(f)) > 0; }

void ScanState::add_reported(const Finding& f) { reported_.insert(reported_finding_key(f)); }

bool ScanState::save() {
  if (entries_failed_) {
    errno = entries_errno_;
    return false;
  }
  if (!planted_link(path_).empty()) {
    errno = EPERM;
    return false;
  }
  const std::optional<std::string> target = atomic_target(path_);
  if (!target) return true;  // /dev/null: a sweep that keeps no state
  if (entries_ && std::fflush(entries_) != 0) return false;
  std::string out_path;
  const int fd = create_temp_beside(*target, "sfmc-tmp", out_path);
  if (fd < 0) return false;
  // Written a MiB at a time: the state is as large as the buckets' listings.
  bool ok = true;
  std::string pending;
  auto put = [&](std::string_view s) {
    pending += s;
    if (pending.size() < (1u << 20)) return;
    ok = ok && write_all(fd, pending);
    pending.clear();
  };
  put(nlohmann::json{{"type", kType}, {"version", 1}}.dump() + "\n");

  // The buckets this sweep listed, each with the roots that listed it.
  std::map<std::string, std::vector<std::size_t>> listed;
  for (std::size_t r = 0; r < listed_.size(); ++r)
    if (!listed_[r].empty()) listed[listed_[r]].push_back(r);
  for (const auto& [address, roots] : listed) {
    put(std::string(kSectionStart) + dump(address) + ",\"scanned_with\":" + dump(scanned_with_) + "}\n");
    // Streams in key order: this sweep's entries for each root, then the old section's
    // (when made by the same scan) but for the prefixes listed now, which this sweep's
    // entries replace. On equal keys the first stream wins.
    std::vector<std::unique_ptr<Lines>> streams;
    for (const Segment& s : segments_)
      if (std::find(roots.begin(), roots.end(), s.root) != roots.end())
        streams.push_back(std::make_unique<Lines>(entries_path_, s.begin, s.end));
    const std::size_t old_stream = streams.size();
    auto old = sections_.find(address);
    if (old != sections_.end() && old->second.scanned_with == scanned_with_)
      streams.push_back(std::make_unique<Lines>(path_, old->second.begin, old->second.end));
    auto listed_now = [&](const std::string& key) {
      for (std::size_t r : roots)
        if (starts_with(key, prefixes_[r])) return true;
      return false;
    };
    std::vector<std::optional<Entry>> heads(streams.size());
    auto advance = [&](std::size_t i) {
      do heads[i] = streams[i]->next();
      while (i == old_stream && heads[i] && listed_now(heads[i]->key));
    };
    for (std::size_t i = 0; i < streams.size(); ++i) advance(i);
    std::string last;
    bool any = false;
    for (;;) {
      std::size_t best = streams.size();
      for (std::size_t i = 0; i < streams.size(); ++i)
        if (heads[i] && (best == streams.size() || heads[i]->key < heads[best]->key)) best = i;
      if (best == streams.size()) break;
      if (!any || heads[best]->key != last) put(entry_line(*heads[best]));
      last = heads[best]->key;
      any = true;
      advance(best);
    }
  }
  // Buckets this sweep did not list keep their sections as they were.
  std::ifstream old(path_, std::ios::binary);
  for (const auto& [address, s] : sections_)
    if (!listed.count(address) && !copy_range(old, s.header, s.end, put)) {
      ok = false;
      errno = EIO;  // the old state ended early: keep it rather than lose its sections
    }
  for (const std::string& key : reported_) put(std::string(kReportedStart) + dump(key) + "}\n");
  ok = ok && write_all(fd, pending);
  return publish_temp(fd, out_path, *target, 0600, true, ok);
}

}  // namespace sfmc
