#include "match/database.hpp"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/sha256.hpp"
#include "core/temp_file.hpp"

namespace fs = std::filesystem;

namespace sfmc {

namespace {

constexpr char kCacheMagic[8] = {'S', 'F', 'M', 'C', 'H', 'S', 'D', '1'};

std::string cache_dir(const DatabaseCacheOptions& o) {
  if (!o.dir.empty()) return o.dir;
  if (const char* d = std::getenv("SFMC_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/sfmc-scan";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/sfmc-scan";
  return {};
}

// The database depends only on the expressions (flags derive from them), Hyperscan's version and
// the CPU features it targets; the key covers exactly those.
std::string cache_key(const std::vector<std::string>& exprs) {
  Sha256 h;
  h.update(hs_version());
  hs_platform_info_t plat{};
  if (hs_populate_platform(&plat) == HS_SUCCESS) {
    std::ostringstream p;
    p << "|tune=" << plat.tune << "|features=" << plat.cpu_features;
    h.update(p.str());
  }
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    h.update("|");
    h.update(std::to_string(exprs[i].size()));
    h.update("|");
    h.update(exprs[i]);
  }
  return h.hex_digest();
}

bool load_cached(const std::string& file, std::size_t rule_count, hs_database_t** db,
                 std::vector<RuleGeometry>& geometry) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t header = sizeof kCacheMagic + sizeof(uint64_t) + rule_count * sizeof(RuleGeometry);
  if (bytes.size() <= header || std::memcmp(bytes.data(), kCacheMagic, sizeof kCacheMagic) != 0) return false;
  uint64_t n = 0;
  std::memcpy(&n, bytes.data() + sizeof kCacheMagic, sizeof n);
  if (n != rule_count) return false;
  geometry.resize(rule_count);
  std::memcpy(geometry.data(), bytes.data() + sizeof kCacheMagic + sizeof n, rule_count * sizeof(RuleGeometry));
  return hs_deserialize_database(bytes.data() + header, bytes.size() - header, db) == HS_SUCCESS;
}

// Best effort: a read-only or full cache folder only costs the next start a compile.
void store_cached(const std::string& dir, const std::string& file, const hs_database_t* db,
                  const std::vector<RuleGeometry>& geometry) {
  char* blob = nullptr;
  size_t len = 0;
  if (hs_serialize_database(db, &blob, &len) != HS_SUCCESS) return;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const uint64_t n = geometry.size();
  std::string bytes(kCacheMagic, sizeof kCacheMagic);
  bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
  bytes.append(reinterpret_cast<const char*>(geometry.data()), n * sizeof(RuleGeometry));
  bytes.append(blob, len);
  std::free(blob);
  // Renamed into place: concurrent scans never read a half-written cache file.
  replace_file(file, bytes, 0644);
}

}  // namespace

std::shared_ptr<const MatchDatabase> MatchDatabase::build(const RuleSet& rules, const DatabaseCacheOptions& cache,
                                                          Subset subset) {
  if (rules.rules.empty()) throw RuleError("no rules to compile");
  auto included = [&](const Rule& r) {
    return subset == Subset::all || (subset == Subset::context) == (r.kind == RuleKind::context);
  };
  std::vector<std::string> exprs;  // every rule's: geometry is kept for all
  // A subset's cache key: its name, then each rule's regex, "" for one left out.
  std::vector<std::string> key{subset == Subset::all ? "" : subset == Subset::findings ? "subset:findings" : "subset:context"};
  bool any = false;
  for (const Rule& r : rules.rules) {
    exprs.push_back(r.regex);
    key.push_back(included(r) ? r.regex : std::string());
    any = any || included(r);
  }
  if (!any) return nullptr;

  std::shared_ptr<MatchDatabase> out(new MatchDatabase());
  auto finish = [&](std::vector<RuleGeometry> geometry) {
    out->geometry_ = std::move(geometry);
    for (const RuleGeometry& g : out->geometry_) out->max_width_ = std::max(out->max_width_, g.max_width);
    return out;
  };

  // Flags follow from the expressions (see below), so the expressions alone key the cache.
  std::string dir = cache.enabled ? cache_dir(cache) : std::string();
  std::string file;
  if (!dir.empty()) {
    file = dir + "/" + cache_key(subset == Subset::all ? exprs : key) + ".hsdb";
    std::vector<RuleGeometry> cached_geometry;
    if (load_cached(file, exprs.size(), &out->db_, cached_geometry)) {
      out->from_cache_ = true;
      out->cache_file_ = file;
      return finish(std::move(cached_geometry));
    }
  }

  std::vector<unsigned> flags;
  std::vector<RuleGeometry> geometry;
  for (const Rule& r : rules.rules) {
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(r.regex.c_str(), 0, &info, &err) != HS_SUCCESS) {
      std::string msg = "rule '" + r.id + "': regex rejected by Hyperscan: " + (err ? err->message : "unknown error");
      hs_free_compile_error(err);
      throw RuleError(msg);
    }
    RuleGeometry g;
    g.min_width = info->min_width;
    g.max_width = info->max_width;
    std::free(info);
    if (g.max_width == UINT_MAX || g.max_width > kMaxRuleWidth)
      throw RuleError("rule '" + r.id + "': regex can match more than " + std::to_string(kMaxRuleWidth) +
                      " bytes; bound every repetition (e.g. {1,64} instead of + or *)");
    if (g.min_width == 0) throw RuleError("rule '" + r.id + "': regex matches the empty string");
    // No start-of-match tracking (HS_FLAG_SOM_LEFTMOST): it made the one variable-width
    // rule cost more than the rest together. Validation finds the start instead, on the
    // rare candidate only.
    flags.push_back(0u);
    geometry.push_back(g);
  }

  std::vector<const char*> cexprs;
  std::vector<unsigned> ids, used_flags;
  for (std::size_t i = 0; i < exprs.size(); ++i) {
    if (!included(rules.rules[i])) continue;
    cexprs.push_back(exprs[i].c_str());
    ids.push_back(static_cast<unsigned>(i));
    used_flags.push_back(flags[i]);
  }
  unsigned mode = HS_MODE_STREAM;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(cexprs.data(), used_flags.data(), ids.data(), static_cast<unsigned>(cexprs.size()), mode,
                       nullptr, &out->db_, &err) != HS_SUCCESS) {
    std::string msg = "cannot compile rules";
    if (err && err->expression >= 0 && static_cast<std::size_t>(err->expression) < ids.size())
      msg = "rule '" + rules.rules[ids[static_cast<std::size_t>(err->expression)]].id + "': " + err->message;
    else if (err)
      msg += std::string(": ") + err->message;
    hs_free_compile_error(err);
    throw RuleError(msg);
  }
  if (!file.empty()) {
    store_cached(dir, file, out->db_, geometry);
    out->cache_file_ = file;
  }
  return finish(std::move(geometry));
}

MatchDatabase::~MatchDatabase() { hs_free_database(db_); }

MatchScratch::MatchScratch(const MatchDatabase& db) {
  if (hs_alloc_scratch(db.raw(), &scratch_) != HS_SUCCESS)
    throw std::runtime_error("Hyperscan: cannot allocate scratch space");
}

void MatchScratch::also_for(const MatchDatabase& db) {
  if (hs_alloc_scratch(db.raw(), &scratch_) != HS_SUCCESS)
    throw std::runtime_error("Hyperscan: cannot allocate scratch space");
}

MatchScratch::~MatchScratch() { hs_free_scratch(scratch_); }

}  // namespace sfmc
