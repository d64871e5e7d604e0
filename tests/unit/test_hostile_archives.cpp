// Hostile archives and compressed streams (issue 12, items 7-9): every input is built
// here, at run time, with libarchive's writer or by hand, around generated tokens.
#include <archive.h>
#include <archive_entry.h>

#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstring>

#include "support.hpp"

using namespace sfmc;

namespace {

struct Member {
  std::string name;
  std::string data;
};

// An archive in memory: `format` as archive_write_set_format_by_name takes it, `filter`
// as archive_write_add_filter_by_name ("" for none).
std::string write_archive(const char* format, const char* filter, const std::vector<Member>& members) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_write_new(), archive_write_free);
  REQUIRE(archive_write_set_format_by_name(a.get(), format) == ARCHIVE_OK);
  if (*filter) REQUIRE(archive_write_add_filter_by_name(a.get(), filter) == ARCHIVE_OK);
  archive_write_set_bytes_in_last_block(a.get(), 1);
  std::string out(16u << 20, '\0');
  std::size_t used = 0;
  REQUIRE(archive_write_open_memory(a.get(), out.data(), out.size(), &used) == ARCHIVE_OK);
  for (const Member& m : members) {
    std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(), archive_entry_free);
    archive_entry_update_pathname_utf8(e.get(), m.name.c_str());  // both forms: the pax writer needs the locale one
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), static_cast<la_int64_t>(m.data.size()));
    REQUIRE(archive_write_header(a.get(), e.get()) == ARCHIVE_OK);
    REQUIRE(archive_write_data(a.get(), m.data.data(), m.data.size()) == static_cast<la_ssize_t>(m.data.size()));
  }
  REQUIRE(archive_write_close(a.get()) == ARCHIVE_OK);
  out.resize(used);
  return out;
}

// A ustar header for `name` whose size field claims `size` in GNU base-256 (any size).
std::string tar_header_claiming(const std::string& name, uint64_t size) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<std::size_t>(name.size(), 99));
  std::memcpy(h.data() + 100, "0000644", 7);
  std::memcpy(h.data() + 108, "0000000", 7);
  std::memcpy(h.data() + 116, "0000000", 7);
  h[124] = static_cast<char>(0x80);  // base-256: the last 8 of the 12 bytes hold the size
  for (int i = 0; i < 8; ++i) h[135 - i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  std::memcpy(h.data() + 136, "00000000000", 11);
  h[156] = '0';
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char chk[8];
  std::snprintf(chk, sizeof chk, "%06o", sum);
  std::memcpy(h.data() + 148, chk, 7);
  return h;
}

// A stored zip as Python's zipfile and most Windows tools write it: names as UTF-8 with
// general-purpose flag bit 11 set, and no Info-ZIP Unicode extra field to fall back on.
std::string utf8_flagged_zip(const std::vector<Member>& members) {
  std::string out, central;
  auto u16 = [](std::string& s, unsigned v) { s += static_cast<char>(v & 0xFF), s += static_cast<char>((v >> 8) & 0xFF); };
  auto u32 = [&](std::string& s, uint32_t v) { u16(s, v & 0xFFFF), u16(s, v >> 16); };
  for (const Member& m : members) {
    const uint32_t crc = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
    const uint32_t offset = static_cast<uint32_t>(out.size());
    auto common = [&](std::string& s) {
      u16(s, 20), u16(s, 0x0800), u16(s, 0), u16(s, 0), u16(s, 0x21);  // version, UTF-8 flag, stored, time, date
      u32(s, crc), u32(s, static_cast<uint32_t>(m.data.size())), u32(s, static_cast<uint32_t>(m.data.size()));
      u16(s, static_cast<unsigned>(m.name.size())), u16(s, 0);
    };
    out += "PK\x03\x04";
    common(out);
    out += m.name + m.data;
    central += "PK\x01\x02";
    u16(central, 20);
    common(central);
    u16(central, 0), u16(central, 0), u16(central, 0), u32(central, 0), u32(central, offset);
    central += m.name;
  }
  const uint32_t at = static_cast<uint32_t>(out.size());
  out += central + "PK\x05\x06";
  u16(out, 0), u16(out, 0), u16(out, static_cast<unsigned>(members.size())), u16(out, static_cast<unsigned>(members.size()));
  u32(out, static_cast<uint32_t>(central.size())), u32(out, at), u16(out, 0);
  return out;
}

std::vector<InputResult> scan_file(const test::TempDir& d, const std::string& name, const std::string& bytes) {
  d.write(name, bytes);
  test::CollectingSink sink;
  ScanOptions o;
  o.paths = {(d.path() / name).string()};
  o.threads = 1;
  test::bundled_engine().scan(o, sink);
  return sink.results;
}

bool found_at(const std::vector<InputResult>& results, const std::string& token, const std::string& path_suffix) {
  for (const InputResult& r : results)
    for (const Finding& f : r.findings)
      if (f.secret == token && r.path.size() >= path_suffix.size() &&
          r.path.compare(r.path.size() - path_suffix.size(), path_suffix.size(), path_suffix) == 0)
        return true;
  return false;
}

bool found(const std::vector<InputResult>& results, const std::string& token) { return found_at(results, token, ""); }

bool reported(const std::vector<InputResult>& results, SkipReason reason) {
  for (const InputResult& r : results)
    if (r.skipped && r.skipped->reason == reason) return true;
  return false;
}

}  // namespace

TEST_CASE("a compressed stream whose content starts with 512 NULs is matched as its decompressed bytes", "[decode][hostile]") {
  test::TempDir d;
  for (const char* filter : {"gzip", "xz", "zstd", "bzip2"}) {
    const std::string token = test::make_token();
    const std::string content = std::string(512, '\0') + "k=" + token + "\n";
    // "raw" writes the one stream, compressed, with no archive format around it.
    std::string bytes = write_archive("raw", filter, {{"x", content}});
    INFO(filter);
    auto results = scan_file(d, std::string("z-") + filter + ".bin", bytes);
    CHECK(found(results, token));
  }
}

TEST_CASE("a compressed stream that is not an archive past its first block is still matched decompressed", "[decode][hostile]") {
  test::TempDir d;
  const std::string token = test::make_token();
  // 1024 NULs then text: tar takes it for an archive, then finds a garbage header.
  std::string bytes = write_archive("raw", "gzip", {{"x", std::string(1024, '\0') + "k=" + token + "\n"}});
  CHECK(found(scan_file(d, "n.gz", bytes), token));
}

TEST_CASE("a tar member claiming 2^62 bytes does not hide the bytes after it", "[decode][hostile]") {
  test::TempDir d;
  const std::string inside = test::make_token(), later = test::make_token();
  std::string data = "k=" + inside + "\n";
  data.resize(512, '\0');
  std::string tail = write_archive("ustar", "", {{"later.env", "k=" + later + "\n"}});
  std::string bytes = tar_header_claiming("huge.bin", uint64_t{1} << 62) + data + tail;
  auto results = scan_file(d, "huge.tar", bytes);
  CHECK(found(results, inside));
  CHECK(found(results, later));
  CHECK(reported(results, SkipReason::corrupt_archive));
  // Compressed, the later member is found in the decompressed bytes.
  std::string gz = write_archive("raw", "gzip", {{"x", bytes}});
  auto gz_results = scan_file(d, "huge.tar.gz", gz);
  CHECK(found(gz_results, later));
  CHECK(reported(gz_results, SkipReason::corrupt_archive));
}

TEST_CASE("two concatenated tars: the second one's members are read", "[decode][hostile]") {
  test::TempDir d;
  const std::string a = test::make_token(), b = test::make_token();
  std::string bytes = write_archive("ustar", "", {{"a.env", "k=" + a + "\n"}}) +
                      write_archive("ustar", "", {{"b.env", "k=" + b + "\n"}});
  auto results = scan_file(d, "two.tar", bytes);
  CHECK(found_at(results, a, "two.tar!a.env"));
  CHECK(found_at(results, b, "two.tar!b.env"));
}

TEST_CASE("a tar header that fails its checksum is reported and the bytes are matched", "[decode][hostile]") {
  test::TempDir d;
  const std::string a = test::make_token(), b = test::make_token();
  std::string second = write_archive("ustar", "", {{"b.env", "k=" + b + "\n"}});
  second[0] ^= 1;  // the name changes, the checksum no longer holds
  auto results = scan_file(d, "bad.tar", write_archive("ustar", "", {{"a.env", "k=" + a + "\n"}}) + second);
  CHECK(found_at(results, a, "bad.tar!a.env"));
  CHECK(found(results, b));
  CHECK(reported(results, SkipReason::corrupt_archive));
}

TEST_CASE("non-ASCII member names are reported as they are", "[decode][hostile]") {
  test::TempDir d;
  const std::string a = test::make_token(), b = test::make_token();
  auto results = scan_file(d, "names.zip", utf8_flagged_zip({{"caf\xC3\xA9.env", "k=" + a + "\n"},
                                                             {"\xE6\x97\xA5\xE6\x9C\xAC.env", "k=" + b + "\n"}}));
  CHECK(found_at(results, a, "names.zip!caf\xC3\xA9.env"));
  CHECK(found_at(results, b, "names.zip!\xE6\x97\xA5\xE6\x9C\xAC.env"));
}
