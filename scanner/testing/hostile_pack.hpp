#pragma once
// Crafted git object databases for the pack reader's regression tests, made at run
// time: packs (with their .idx) holding delta cycles, impossible sizes, reserved types,
// bases inside other objects, damaged compressed data and very long delta chains, each
// next to intact blobs whose secrets must still be found; and loose objects whose
// header lies about their size. `sfmc-gen pack` writes them.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sfmc {

// The kinds of crafted pack: cycle, cross-cycle (two packs), huge-size, reserved, truncated, chain, delta-bomb.
const std::vector<std::string>& hostile_pack_kinds();

// A secret planted in a crafted object, and what the scanner must do with it.
struct PlantedSecret {
  std::string expect;  // "found": in an intact or recoverable object; "warned": only in a damaged one
  std::string token;
};

// Writes pack-<kind>.pack and pack-<kind>.idx into `dir` (a repository's objects/pack).
// `tokens` supplies the secrets to plant (called once per secret). Throws on a bad kind.
std::vector<PlantedSecret> write_hostile_pack(const std::string& kind, const std::filesystem::path& dir,
                                              const std::function<std::string()>& tokens);

// Writes a loose object into `objects` (a repository's objects folder) whose header
// states `stated_size` bytes of type `type` but whose content is `content`. Returns its
// id as hex (the id of the content with a true header, so it looks like a real object).
std::string write_loose_object(const std::filesystem::path& objects, const std::string& type, uint64_t stated_size,
                               const std::string& content);

// Building blocks of crafted objects, shared with the fuzz harnesses that write packs
// and loose objects: `data` as one zlib stream, and a big-endian 32-bit field (pack
// and index headers) appended to `s`.
std::string zlib_compress(std::string_view data, int level = 6);
void put_be32(std::string& s, uint32_t v);

}  // namespace sfmc
