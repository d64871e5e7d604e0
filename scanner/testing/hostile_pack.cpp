#include "testing/hostile_pack.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <functional>
#include <random>
#include <stdexcept>

namespace sfmc {

namespace {

using Id = std::array<unsigned char, 20>;

Id sha1(std::string_view data) {
  Id id;
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), id.data(), &length, EVP_sha1(), nullptr);
  return id;
}

std::string hex(const Id& id) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (unsigned char c : id) {
    s += digits[c >> 4];
    s += digits[c & 15];
  }
  return s;
}

// A real object's id: its type, size and content hashed as git does.
Id object_id(const std::string& type, std::string_view content) {
  std::string all = type + " " + std::to_string(content.size());
  all.push_back('\0');
  all.append(content);
  return sha1(all);
}

// An id for an object whose content cannot be hashed (it does not decode).
Id made_up_id(const std::string& name) { return sha1("sfmc-gen crafted object " + name); }

std::string varint(uint64_t v) {  // a delta's size fields
  std::string s;
  do {
    unsigned char c = v & 0x7f;
    v >>= 7;
    if (v) c |= 0x80;
    s.push_back(static_cast<char>(c));
  } while (v);
  return s;
}

// A pack entry's header: type and size, the size's low 4 bits first.
std::string entry_header(int type, uint64_t size) {
  std::string s;
  unsigned char c = static_cast<unsigned char>((type << 4) | (size & 15));
  size >>= 4;
  while (size) {
    s.push_back(static_cast<char>(c | 0x80));
    c = size & 0x7f;
    size >>= 7;
  }
  s.push_back(static_cast<char>(c));
  return s;
}

std::string ofs_field(uint64_t back) {  // an offset delta's distance back to its base
  std::string s(1, static_cast<char>(back & 0x7f));
  while (back >>= 7) s.insert(s.begin(), static_cast<char>(0x80 | (--back & 0x7f)));
  return s;
}

// Delta instructions: copy base[off, off+len) / insert literal bytes.
std::string copy_op(uint64_t off, uint64_t len) {
  std::string s(1, '\0');
  unsigned char op = 0x80;
  for (int b = 0; b < 4; ++b)
    if ((off >> (8 * b)) & 0xff) {
      op |= 1u << b;
      s.push_back(static_cast<char>((off >> (8 * b)) & 0xff));
    }
  for (int b = 0; b < 3; ++b)
    if ((len >> (8 * b)) & 0xff) {
      op |= 0x10u << b;
      s.push_back(static_cast<char>((len >> (8 * b)) & 0xff));
    }
  s[0] = static_cast<char>(op);
  return s;
}

std::string insert_op(std::string_view bytes) {
  std::string s;
  for (std::size_t at = 0; at < bytes.size(); at += 127) {
    std::string_view part = bytes.substr(at, 127);
    s.push_back(static_cast<char>(part.size()));
    s.append(part);
  }
  return s;
}

class PackWriter {
 public:
  PackWriter() : pack_("PACK") { put_be32(pack_, 2), put_be32(pack_, 0); }

  // Appends raw entry bytes for `id`; returns the entry's offset.
  uint64_t raw(const Id& id, const std::string& bytes) {
    uint64_t at = pack_.size();
    entries_.push_back({id, at, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()))});
    pack_ += bytes;
    return at;
  }
  uint64_t object(int type, const Id& id, std::string_view content) {
    return raw(id, entry_header(type, content.size()) + zlib_compress(content));
  }
  uint64_t blob(std::string_view content) { return object(3, object_id("blob", content), content); }
  uint64_t ofs_delta(const Id& id, uint64_t base_offset, std::string_view delta) {
    uint64_t at = pack_.size();
    return raw(id, entry_header(6, delta.size()) + ofs_field(at - base_offset) + zlib_compress(delta));
  }
  uint64_t ref_delta(const Id& id, const Id& base, std::string_view delta) {
    return raw(id, entry_header(7, delta.size()) + std::string(base.begin(), base.end()) + zlib_compress(delta));
  }
  std::string& bytes() { return pack_; }

  void write(const std::filesystem::path& dir, const std::string& name) {
    std::string pack = pack_;
    for (int k = 0; k < 4; ++k) pack[8 + k] = static_cast<char>((entries_.size() >> (24 - 8 * k)) & 0xff);
    Id pack_sum = sha1(pack);
    pack.append(pack_sum.begin(), pack_sum.end());
    std::vector<Entry> by_id = entries_;
    std::sort(by_id.begin(), by_id.end(), [](const Entry& a, const Entry& b) { return a.id < b.id; });
    std::string idx("\377tOc");
    put_be32(idx, 2);
    for (int b = 0; b < 256; ++b)
      put_be32(idx, static_cast<uint32_t>(std::count_if(by_id.begin(), by_id.end(), [&](const Entry& e) { return e.id[0] <= b; })));
    for (const Entry& e : by_id) idx.append(e.id.begin(), e.id.end());
    for (const Entry& e : by_id) put_be32(idx, e.crc);
    for (const Entry& e : by_id) put_be32(idx, static_cast<uint32_t>(e.offset));
    idx.append(pack_sum.begin(), pack_sum.end());
    Id idx_sum = sha1(idx);
    idx.append(idx_sum.begin(), idx_sum.end());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / ("pack-" + name + ".pack"), std::ios::binary) << pack;
    std::ofstream(dir / ("pack-" + name + ".idx"), std::ios::binary) << idx;
  }

 private:
  struct Entry {
    Id id;
    uint64_t offset;
    uint32_t crc;
  };
  std::string pack_;
  std::vector<Entry> entries_;
};

std::string secret_text(const std::string& token, std::size_t padding, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char* words[] = {"alpha ", "beta ", "gamma ", "delta ", "value ", "config ", "\n", "x = 1;\n", "// note\n"};
  std::string text;
  while (text.size() < padding) text += words[rng() % (sizeof words / sizeof *words)];
  return text + "\nclient_secret=" + token + "\n";
}

}  // namespace

std::string zlib_compress(std::string_view data, int level) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()), data.size(), level) !=
      Z_OK)
    throw std::runtime_error("zlib cannot compress");
  out.resize(size);
  return out;
}

void put_be32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>((v >> shift) & 0xff));
}

const std::vector<std::string>& hostile_pack_kinds() {
  static const std::vector<std::string> kinds = {"cycle", "cross-cycle", "huge-size", "reserved", "truncated", "chain", "delta-bomb"};
  return kinds;
}

std::vector<PlantedSecret> write_hostile_pack(const std::string& kind, const std::filesystem::path& dir,
                                              const std::function<std::string()>& tokens) {
  std::vector<PlantedSecret> planted;
  PackWriter w;
  // Every pack also holds an intact blob with a secret: damage elsewhere must not lose it.
  const std::string intact = tokens();
  planted.push_back({"found", intact});
  const std::string intact_text = secret_text(intact, 2000, 1);
  const uint64_t intact_at = w.blob(intact_text);
  const Id intact_id = object_id("blob", intact_text);
  const std::string copy_all = varint(intact_text.size()) + varint(intact_text.size()) + copy_op(0, intact_text.size());

  if (kind == "cycle") {
    // A's base is B, B's base is A; C is based on itself; D on A (it inherits the cycle).
    const Id a = made_up_id("cycle a"), b = made_up_id("cycle b"), c = made_up_id("cycle c"), d = made_up_id("cycle d");
    w.ref_delta(a, b, copy_all);
    w.ref_delta(b, a, copy_all);
    w.ref_delta(c, c, copy_all);
    w.ref_delta(d, a, copy_all);
  } else if (kind == "cross-cycle") {
    // A in this pack is based on B in a second pack, B on A: each pack alone shows
    // only a base held elsewhere. Both packs list an object the other holds.
    const Id a = made_up_id("cross a"), b = made_up_id("cross b");
    w.ref_delta(a, b, copy_all);
    PackWriter second;
    second.ref_delta(b, a, copy_all);
    second.write(dir, kind + "-2");
  } else if (kind == "huge-size") {
    // Headers stating 2^40 and 2^32 bytes over 4 real ones; a size field 20 bytes long;
    // deltas whose stated result is 2^40 bytes with a few bytes of instructions.
    w.raw(made_up_id("huge 2^40"), entry_header(3, uint64_t{1} << 40) + zlib_compress("abcd"));
    w.raw(made_up_id("huge 2^32"), entry_header(3, uint64_t{1} << 32) + zlib_compress("abcd"));
    std::string long_size(1, static_cast<char>(0x30 | 0x80));
    long_size.append(18, static_cast<char>(0xff));
    long_size.push_back(0x01);
    w.raw(made_up_id("long size field"), long_size + zlib_compress("abcd"));
    w.ofs_delta(made_up_id("delta 2^40"), intact_at, varint(intact_text.size()) + varint(uint64_t{1} << 40) + insert_op("abcd"));
    w.ref_delta(made_up_id("delta 2^32"), intact_id, varint(intact_text.size()) + varint(uint64_t{1} << 32) + copy_op(0, 16));
    // A delta whose own size fields run past 64 bits.
    w.ofs_delta(made_up_id("delta long varint"), intact_at, std::string(12, static_cast<char>(0xff)) + "\x01" + insert_op("x"));
  } else if (kind == "reserved") {
    // A secret in an object of reserved type 5: not scannable, but never silently passed over.
    const std::string hidden = tokens();
    planted.push_back({"warned", hidden});
    w.object(5, made_up_id("reserved type"), secret_text(hidden, 100, 2));
    // An offset delta whose base offset lands 3 bytes into the intact blob's entry.
    w.ofs_delta(made_up_id("base inside another"), intact_at + 3, copy_all);
  } else if (kind == "truncated") {
    // A blob whose compressed data is damaged in its last bytes: the secret, early in
    // it, decoded and must be found.
    const std::string early = tokens();
    planted.push_back({"found", early});
    std::string text = secret_text(early, 3000, 3);
    text += secret_text("", 200000, 4);
    std::string bytes = entry_header(3, text.size()) + zlib_compress(text);
    for (std::size_t k = bytes.size() - 12; k < bytes.size(); ++k) bytes[k] = static_cast<char>(bytes[k] ^ 0x5a);
    w.raw(object_id("blob", text), bytes);
  } else if (kind == "chain") {
    // One 1 MiB blob and 3,000 offset deltas, each based on the one before, each
    // rewriting 16 bytes; the last inserts a secret. Holding every base of the chain
    // would take 3 GB.
    std::string base = secret_text("", 1 << 20, 5).substr(0, 1 << 20);
    uint64_t at = w.blob(base);
    std::mt19937_64 rng(6);
    const std::string deep = tokens();
    planted.push_back({"found", deep});
    for (int k = 0; k < 3000; ++k) {
      const bool last = k == 2999;
      std::string patch = last ? "\nclient_secret=" + deep + "\n" : std::to_string(1000000 + k) + "_abcdefgh\n";
      patch.resize(std::min<std::size_t>(patch.size(), base.size()));
      const uint64_t pos = rng() % (base.size() - patch.size());
      std::string delta = varint(base.size()) + varint(base.size());
      if (pos > 0) delta += copy_op(0, pos);
      delta += insert_op(patch);
      if (pos + patch.size() < base.size()) delta += copy_op(pos + patch.size(), base.size() - pos - patch.size());
      base.replace(pos, patch.size(), patch);
      at = w.ofs_delta(made_up_id("chain " + std::to_string(k)), at, delta);
    }
  } else if (kind == "delta-bomb") {
    // A blob of 16 MiB of zeros (16 KB compressed), a delta copying it 16 times (256 MiB,
    // stated and real), and a delta copying that 256 times (4 GiB): a 17 KB pack whose
    // decoding would allocate gigabytes, however true every size it states is.
    const uint64_t b = 0xffffff;  // the longest copy one instruction can make
    const uint64_t root = w.blob(std::string(b, '\0'));
    std::string once = varint(b) + varint(16 * b);
    for (int k = 0; k < 16; ++k) once += copy_op(0, b);
    const uint64_t first = w.ofs_delta(made_up_id("delta bomb 16x"), root, once);
    std::string again = varint(16 * b) + varint(256 * b);
    for (int k = 0; k < 256; ++k) again += copy_op((k % 16) * b, b);
    w.ofs_delta(made_up_id("delta bomb 256x"), first, again);
  } else {
    throw std::invalid_argument("no crafted pack '" + kind + "'");
  }
  w.write(dir, kind);
  return planted;
}

std::string write_loose_object(const std::filesystem::path& objects, const std::string& type, uint64_t stated_size,
                               const std::string& content) {
  std::string raw = type + " " + std::to_string(stated_size);
  raw.push_back('\0');
  raw += content;
  const std::string id = hex(object_id(type, content));
  std::filesystem::create_directories(objects / id.substr(0, 2));
  std::ofstream(objects / id.substr(0, 2) / id.substr(2), std::ios::binary) << zlib_compress(raw);
  return id;
}

}  // namespace sfmc
