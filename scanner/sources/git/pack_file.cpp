#include "sources/git/pack_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "compress/inflate.hpp"

namespace fs = std::filesystem;

namespace sfmc::git {

namespace {

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

std::vector<std::string> pack_files(git_repository* repo) {
  std::vector<std::string> out;
  fs::path dir = fs::path(git_repository_commondir(repo)) / "objects" / "pack";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".pack" && fs::exists(fs::path(e.path()).replace_extension(".idx"))) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

PackFile::PackFile(const std::string& pack, const std::string& idx) : path_(pack) {
  // The index: ids sorted by id, with each object's offset.
  std::ifstream in(idx, std::ios::binary);
  std::string index((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const unsigned char*>(index.data());
  if (index.size() < 8 + 256 * 4 || std::memcmp(p, "\377tOc", 4) != 0 || be32(p + 4) != 2)
    throw GitError(idx + ": not a version-2 pack index");
  const uint32_t n = be32(p + 8 + 255 * 4);
  const std::size_t ids_at = 8 + 256 * 4, off_at = ids_at + std::size_t{n} * 24, large_at = off_at + std::size_t{n} * 4;
  if (index.size() < large_at) throw GitError(idx + ": truncated pack index");
  if (n > 0x7fffffffu) throw GitError(idx + ": more than 2^31 objects in one pack");
  // (offset, position in the index): sorting these gives pack order and, inverted,
  // the id order of the pack-order indexes, without comparing a single id.
  std::vector<std::pair<uint64_t, uint32_t>> objects(n);
  for (uint32_t i = 0; i < n; ++i) {
    uint64_t off = be32(p + off_at + std::size_t{i} * 4);
    if (off & 0x80000000u) {
      std::size_t at = large_at + (off & 0x7fffffffu) * 8;
      if (at + 8 > index.size()) throw GitError(idx + ": truncated pack index");
      off = (uint64_t{be32(p + at)} << 32) | be32(p + at + 4);
    }
    objects[i] = {off, i};
  }
  std::sort(objects.begin(), objects.end());
  offsets_.resize(n);
  ids_.resize(n);
  by_id_.resize(n);
  for (uint32_t k = 0; k < n; ++k) {
    offsets_[k] = objects[k].first;
    std::memcpy(ids_[k].data(), p + ids_at + std::size_t{objects[k].second} * 20, 20);
    by_id_[objects[k].second] = k;
  }

  int fd = ::open(pack.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw GitError(pack + ": " + std::strerror(errno));
  struct stat st{};
  if (fstat(fd, &st) != 0 || st.st_size < 32) {
    ::close(fd);
    throw GitError(pack + ": not a pack file");
  }
  length_ = static_cast<std::size_t>(st.st_size);
  void* m = ::mmap(nullptr, length_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) throw GitError(pack + ": cannot map: " + std::strerror(errno));
  data_ = static_cast<const unsigned char*>(m);
  ::madvise(m, length_, MADV_WILLNEED);
  if (std::memcmp(data_, "PACK", 4) != 0 || (be32(data_ + 4) != 2 && be32(data_ + 4) != 3)) {
    ::munmap(m, length_);
    data_ = nullptr;
    throw GitError(pack + ": not a version-2 pack file");
  }
  plan();
}


void PackFile::release_pages() const {
  if (data_) ::madvise(const_cast<unsigned char*>(data_), length_, MADV_DONTNEED);
}

PackFile::~PackFile() {
  if (data_) ::munmap(const_cast<unsigned char*>(data_), length_);
}

const std::vector<std::size_t>& PackFile::roots(Type type) const {
  static const std::vector<std::size_t> none_of_them;
  return type >= commit && type <= tag ? roots_[type] : none_of_them;
}

// An entry's header, read no further than `stop` (the planner passes where the next
// object starts; the single-object reader, which has no list of offsets, the pack's end).
PackFile::EntryProblem PackFile::parse_entry_header(const unsigned char* data, uint64_t at, uint64_t stop, EntryHeader& out) {
  if (at >= stop) return EntryProblem::truncated_header;
  unsigned char c = data[at++];
  out.type = static_cast<Type>((c >> 4) & 7);
  out.size = c & 15;
  for (int shift = 4; c & 0x80; shift += 7) {
    if (at >= stop) return EntryProblem::truncated_header;
    if (shift > 57) return EntryProblem::size_too_long;
    c = data[at++];
    out.size |= uint64_t{c & 0x7fu} << shift;
  }
  if (out.type == none || out.type == reserved) return EntryProblem::reserved_type;
  if (out.type == ofs_delta) {
    if (at >= stop) return EntryProblem::truncated_base_offset;
    c = data[at++];
    uint64_t back = c & 0x7f;
    while (c & 0x80) {
      if (at >= stop) return EntryProblem::truncated_base_offset;
      if (back >= (UINT64_MAX >> 7) - 1) return EntryProblem::base_offset_too_long;
      c = data[at++];
      back = ((back + 1) << 7) | (c & 0x7f);
    }
    out.base_back = back;
  } else if (out.type == ref_delta) {
    if (at + 20 > stop) return EntryProblem::truncated_base_id;
    out.base_id = data + at;
    at += 20;
  }
  out.data_at = at;
  return EntryProblem::none;
}

// One object's header: type, size, where its data starts and, for a delta, its base.
// Every field is checked against the bytes the pack has for this object (up to where
// the next object starts) before it is believed.
void PackFile::read_header(std::size_t i) {
  const uint64_t end = length_ - 20;  // the trailing checksum
  const uint64_t at0 = offsets_[i];
  auto damage = [&](std::string why) { damaged_.push_back({i, std::move(why)}); };
  if (at0 < 12 || at0 >= end) return damage("its offset " + std::to_string(at0) + " is outside the pack's objects");
  // Objects are contiguous: this one's bytes end where the next one starts.
  auto next = std::upper_bound(offsets_.begin() + static_cast<long>(i), offsets_.end(), at0);
  const uint64_t stop = next == offsets_.end() ? end : std::min<uint64_t>(*next, end);
  EntryHeader h;
  const EntryProblem problem = parse_entry_header(data_, at0, stop, h);
  if (problem == EntryProblem::truncated_header) return damage("truncated object header");
  if (problem == EntryProblem::size_too_long) return damage("object size field longer than 64 bits");
  const Type type = h.type;
  const uint64_t size = h.size;
  types_[i] = type;
  sizes_[i] = size;
  switch (problem) {
    case EntryProblem::reserved_type: return damage("object of reserved type " + std::to_string(int{type}));
    case EntryProblem::truncated_base_offset: return damage("truncated delta base offset");
    case EntryProblem::base_offset_too_long: return damage("delta base offset longer than 64 bits");
    case EntryProblem::truncated_base_id: return damage("truncated delta base id");
    default: break;
  }
  const uint64_t at = h.data_at;
  int64_t base = -1;
  if (type == ofs_delta) {
    const uint64_t back = h.base_back;
    if (back == 0 || back > at0) return damage("its delta base offset points " + std::string(back == 0 ? "at itself" : "before the pack"));
    const uint64_t base_off = at0 - back;
    auto it = std::lower_bound(offsets_.begin(), offsets_.begin() + static_cast<long>(i), base_off);
    if (it == offsets_.begin() + static_cast<long>(i) || *it != base_off)
      return damage("its delta base offset " + std::to_string(base_off) + " is inside another object, not the start of one");
    base = it - offsets_.begin();
  } else if (type == ref_delta) {
    ObjectId base_id;
    std::memcpy(base_id.data(), h.base_id, 20);
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), base_id,
                               [&](uint32_t k, const ObjectId& id) { return ids_[k] < id; });
    if (it == by_id_.end() || ids_[*it] != base_id) {
      unresolved_.push_back(i);  // a base in another pack: libgit2 reads it
      return;
    }
    base = static_cast<int64_t>(*it);
  }
  if (at >= stop) return damage("no compressed data");
  // Before anything is allocated for it: can the bytes there hold what the header states?
  if (size > compress::max_inflated_size(stop - at))
    return damage("its header states " + std::to_string(size) + " bytes, more than its " + std::to_string(stop - at) +
                  " compressed bytes can hold");
  base_[i] = static_cast<int32_t>(base);
  data_offsets_[i] = at;
  chain_bytes_[i] = stop - at;  // its own; its bases' are added once the families are known
}

// Reads every header, then resolves each family's type from its root. Deltas that no
// root reaches are either based (at some remove) on an object held elsewhere, which
// libgit2 reads, or on a damaged object or a cycle of deltas: those are damaged here.
void PackFile::plan() {
  const std::size_t n = ids_.size();
  data_offsets_.assign(n, 0);
  sizes_.assign(n, 0);
  chain_bytes_.assign(n, 0);
  types_.assign(n, none);
  final_type_.assign(n, none);
  base_.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    read_header(i);
    // The headers are read front to back over the whole pack: pages behind are not needed.
    if ((i & 0x3fff) == 0x3fff) release_pages();
  }
  child_at_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (base_[i] >= 0) ++child_at_[static_cast<std::size_t>(base_[i]) + 1];
  for (std::size_t i = 0; i < n; ++i) child_at_[i + 1] += child_at_[i];
  child_list_.assign(child_at_[n], 0);
  {
    std::vector<uint32_t> next(child_at_.begin(), child_at_.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      if (base_[i] >= 0) child_list_[next[static_cast<std::size_t>(base_[i])]++] = static_cast<uint32_t>(i);
  }

  // Families: types flow from each root down its delta tree; family sizes flow back up,
  // so that each object's children can be ordered smallest family first.
  std::vector<uint32_t> family(n, 1);
  std::vector<std::size_t> order, stack;
  for (std::size_t i = 0; i < n; ++i) {
    if (types_[i] < commit || types_[i] > tag || data_offsets_[i] == 0) continue;
    roots_[types_[i]].push_back(i);
    order.clear();
    stack.assign(1, i);
    while (!stack.empty()) {
      std::size_t k = stack.back();
      stack.pop_back();
      final_type_[k] = types_[i];
      if (base_[k] >= 0) chain_bytes_[k] += chain_bytes_[static_cast<std::size_t>(base_[k])];  // the base came first
      order.push_back(k);
      stack.insert(stack.end(), children(k).begin(), children(k).end());
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (base_[*it] >= 0) family[static_cast<std::size_t>(base_[*it])] += family[*it];
  }
  for (std::size_t i = 0; i < n; ++i)
    if (child_at_[i + 1] - child_at_[i] > 1)
      std::stable_sort(child_list_.begin() + child_at_[i], child_list_.begin() + child_at_[i + 1],
                       [&](uint32_t a, uint32_t b) { return family[a] < family[b]; });
  classify_orphans();
  std::sort(unresolved_.begin(), unresolved_.end());
  std::sort(damaged_.begin(), damaged_.end(), [](const Damage& a, const Damage& b) { return a.object < b.object; });
}

void PackFile::classify_orphans() {
  const std::size_t n = ids_.size();
  enum : uint8_t { unknown, decodes, is_damaged, elsewhere, on_path };
  std::vector<uint8_t> state(n, unknown);
  std::vector<std::string> damage_of(n);
  for (std::size_t i = 0; i < n; ++i)
    if (final_type_[i] != none) state[i] = decodes;
  for (const Damage& d : damaged_) state[d.object] = is_damaged;
  for (std::size_t i : unresolved_) state[i] = elsewhere;
  std::vector<std::size_t> path;
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != unknown) continue;
    // Follow the base chain until it reaches an object whose fate is known, or itself.
    path.clear();
    std::size_t k = i;
    while (state[k] == unknown && base_[k] >= 0) {
      state[k] = on_path;
      path.push_back(k);
      k = static_cast<std::size_t>(base_[k]);
    }
    if (state[k] == on_path) {
      auto loop = std::find(path.begin(), path.end(), k);
      for (auto it = path.begin(); it != path.end(); ++it) {
        state[*it] = is_damaged;
        damaged_.push_back({*it, it >= loop ? "delta cycle: its chain of delta bases leads back to itself"
                                            : "its chain of delta bases ends in a delta cycle"});
      }
    } else if (state[k] == elsewhere) {
      for (std::size_t p : path) {
        state[p] = elsewhere;
        unresolved_.push_back(p);
      }
    } else {  // a damaged base (or, were the plan inconsistent, one with no data)
      for (std::size_t p : path) {
        state[p] = is_damaged;
        damaged_.push_back({p, "its delta base " + hex(ids_[k]) + " is damaged"});
      }
    }
  }
}

std::size_t PackFile::find(const ObjectId& id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id, [&](uint32_t k, const ObjectId& x) { return ids_[k] < x; });
  return it != by_id_.end() && ids_[*it] == id ? *it : npos;
}

bool PackFile::contains(const ObjectId& id) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id, [&](uint32_t k, const ObjectId& x) { return ids_[k] < x; });
  return it != by_id_.end() && ids_[*it] == id;
}

std::optional<std::vector<ObjectId>> loose_object_ids(git_repository* repo) {
  fs::path objects = fs::path(git_repository_commondir(repo)) / "objects";
  std::error_code ec;
  if (fs::exists(objects / "info" / "alternates", ec)) return std::nullopt;
  std::vector<ObjectId> out;
  static const char* digits = "0123456789abcdef";
  auto nibble = [](char c) -> int { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (int a = 0; a < 16; ++a)
    for (int b = 0; b < 16; ++b) {
      const char dir[3] = {digits[a], digits[b], 0};
      for (const auto& e : fs::directory_iterator(objects / dir, ec)) {
        std::string name = e.path().filename().string();
        if (name.size() != 38 || name.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
        ObjectId id;
        id[0] = static_cast<unsigned char>(a * 16 + b);
        for (int k = 0; k < 19; ++k) id[k + 1] = static_cast<unsigned char>(nibble(name[2 * k]) * 16 + nibble(name[2 * k + 1]));
        out.push_back(id);
      }
    }
  std::sort(out.begin(), out.end());  // directory listings come in no particular order
  return out;
}


bool PackFile::inflate(std::size_t i, std::string& out, std::string& error) const {
  const uint64_t start = data_offsets_[i];
  auto next = std::upper_bound(offsets_.begin() + static_cast<long>(i), offsets_.end(), offsets_[i]);
  const uint64_t stop = next == offsets_.end() ? length_ - 20 : std::min<uint64_t>(*next, length_ - 20);
  if (start == 0 || stop <= start) {
    out.clear();
    error = "damaged object header";
    return false;
  }
  std::string_view in(reinterpret_cast<const char*>(data_ + start), stop - start);
  return compress::inflate_sized(in, sizes_[i], out, error);
}

uint64_t PackFile::max_content_size(std::size_t i) const {
  const uint64_t chain = chain_bytes_[i];
  return chain >= UINT64_MAX / 1032 ? UINT64_MAX : std::max(kContentFloorBytes, compress::max_inflated_size(chain));
}

bool PackFile::apply_delta(std::string_view base, std::string_view delta, std::string& out, std::string& error,
                           uint64_t max_result, std::vector<Copy>* copies) {
  const auto* d = reinterpret_cast<const unsigned char*>(delta.data());
  const auto* e = d + delta.size();
  auto varint = [&](uint64_t& v) {
    v = 0;
    for (int shift = 0; d < e && shift < 64; shift += 7) {
      unsigned char c = *d++;
      v |= uint64_t{c & 0x7fu} << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  };
  uint64_t src = 0, dst = 0;
  if (!varint(src) || !varint(dst)) {
    error = "delta size field longer than 64 bits, or truncated";
    return false;
  }
  if (src != base.size()) {
    error = "delta is for a base of " + std::to_string(src) + " bytes, its base has " + std::to_string(base.size());
    return false;
  }
  // First pass: check every instruction and add up the result's size, so that a delta
  // stating a huge result is refused before that much is allocated.
  uint64_t total = 0;
  for (const unsigned char* p = d; p < e;) {
    unsigned char op = *p++;
    if (op & 0x80) {  // copy from the base
      uint64_t off = 0, len = 0;
      for (int b = 0; b < 4; ++b)
        if (op & (1u << b)) {
          if (p >= e) { error = "truncated delta"; return false; }
          off |= uint64_t{*p++} << (8 * b);
        }
      for (int b = 0; b < 3; ++b)
        if (op & (0x10u << b)) {
          if (p >= e) { error = "truncated delta"; return false; }
          len |= uint64_t{*p++} << (8 * b);
        }
      if (len == 0) len = 0x10000;
      if (off + len > base.size()) {
        error = "delta copies outside its base";
        return false;
      }
      total += len;
    } else if (op) {  // insert literal bytes
      if (op > e - p) {
        error = "delta inserts past its end";
        return false;
      }
      p += op;
      total += op;
    } else {
      error = "delta holds a reserved instruction";
      return false;
    }
    if (total > dst) break;
  }
  if (total != dst) {
    error = "delta result is " + std::string(total > dst ? "larger" : "smaller") + " than the " + std::to_string(dst) +
            " bytes it states";
    return false;
  }
  // Sizes that are true can still be too much: copies of copies (max_content_size).
  if (dst > max_result) {
    error = "its delta result states " + std::to_string(dst) + " bytes, more than the compressed bytes of its delta chain can hold (" +
            std::to_string(max_result) + " at most)";
    return false;
  }
  out.resize(dst);
  if (copies) copies->clear();
  char* o = out.data();
  while (d < e) {
    unsigned char op = *d++;
    if (op & 0x80) {
      uint64_t off = 0, len = 0;
      for (int b = 0; b < 4; ++b)
        if (op & (1u << b)) off |= uint64_t{*d++} << (8 * b);
      for (int b = 0; b < 3; ++b)
        if (op & (0x10u << b)) len |= uint64_t{*d++} << (8 * b);
      if (len == 0) len = 0x10000;
      if (copies) copies->push_back({static_cast<uint64_t>(o - out.data()), off, len});
      std::memcpy(o, base.data() + off, len);
      o += len;
    } else {
      std::memcpy(o, d, op);
      d += op;
      o += op;
    }
  }
  return true;
}

void PackFile::decode_family(std::size_t root, const Visit& visit, const Fail& failed, std::size_t base_cache_bytes) const {
  // The bases still needed: each level of the descent whose object has children left.
  // A level's content may be dropped to stay within the budget, and rebuilt later.
  struct Level {
    std::size_t object;
    std::string content;
    bool held;
    std::size_t next_child;
  };
  std::vector<Level> path;
  std::size_t held_bytes = 0;
  std::string error, delta;
  auto fail_subtree = [&](std::size_t i, const std::string& why, std::string_view recovered) {
    failed(i, why, recovered);
    std::vector<std::size_t> stack(children(i).begin(), children(i).end());
    const std::string inherited = "its delta base " + hex(ids_[i]) + " is damaged: " + why;
    while (!stack.empty()) {
      std::size_t k = stack.back();
      stack.pop_back();
      failed(k, inherited, {});
      stack.insert(stack.end(), children(k).begin(), children(k).end());
    }
  };
  // Content of `object` again, from the nearest ancestor still held (or the root),
  // re-inflating the deltas in between.
  auto rebuild = [&](std::size_t object, std::string& out) {
    std::vector<std::size_t> chain;
    const std::string* from = nullptr;
    for (std::size_t k = object;; k = static_cast<std::size_t>(base_[k])) {
      for (const Level& l : path)
        if (l.held && l.object == k) from = &l.content;
      if (from || base_[k] < 0) {
        if (!from && !inflate(k, out, error)) return false;
        if (from) out = *from;
        break;
      }
      chain.push_back(k);
    }
    std::string next;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      if (!inflate(*it, delta, error) || !apply_delta(out, delta, next, error, max_content_size(*it))) return false;
      out.swap(next);
    }
    return true;
  };

  std::string content;
  if (!inflate(root, content, error)) {
    fail_subtree(root, error, content);
    return;
  }
  visit(root, content);
  if (children(root).empty()) return;
  held_bytes += content.size();
  path.push_back({root, std::move(content), true, 0});
  std::string next;
  while (!path.empty()) {
    Level& top = path.back();
    const std::span<const uint32_t> kids = children(top.object);
    if (top.next_child == kids.size()) {
      if (top.held) held_bytes -= top.content.size();
      path.pop_back();
      continue;
    }
    const std::size_t child = kids[top.next_child++];
    if (!top.held) {
      if (!rebuild(top.object, top.content)) {
        fail_subtree(child, "cannot decode its delta base again: " + error, {});
        continue;
      }
      top.held = true;
      held_bytes += top.content.size();
    }
    if (!inflate(child, delta, error) || !apply_delta(top.content, delta, next, error, max_content_size(child))) {
      fail_subtree(child, error, {});
      continue;
    }
    // The last child needs its base no more: drop it before descending, so that a
    // chain holds two contents at a time however long it is.
    if (top.next_child == kids.size()) {
      held_bytes -= top.content.size();
      path.pop_back();
    }
    visit(child, next);
    if (children(child).empty()) continue;
    held_bytes += next.size();
    path.push_back({child, std::move(next), true, 0});
    next = std::string();
    // Over budget: drop the bases nearest the root first (the deepest is needed now).
    for (std::size_t j = 0; held_bytes > base_cache_bytes && j + 1 < path.size(); ++j)
      if (path[j].held) {
        held_bytes -= path[j].content.size();
        path[j].content = std::string();
        path[j].held = false;
      }
  }
}

}  // namespace sfmc::git
