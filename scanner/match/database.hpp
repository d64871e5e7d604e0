#pragma once
// All rules compiled into one Hyperscan streaming database, cached on disk so a warm
// start (the pre-commit hook) does not pay compilation.
#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/rule.hpp"

namespace sfmc {

// Shape of each rule's matches, known from Hyperscan's expression analysis.
struct RuleGeometry {
  uint32_t min_width = 0;
  uint32_t max_width = 0;
  bool fixed_width() const { return min_width == max_width; }
};

struct DatabaseCacheOptions {
  bool enabled = true;
  std::string dir;  // empty: $SFMC_CACHE_DIR, else $XDG_CACHE_HOME/sfmc-scan, else ~/.cache/sfmc-scan
};

class MatchDatabase {
 public:
  // Compiles (or loads from the cache) every rule's regex. Throws RuleError naming the
  // rule whose regex Hyperscan rejects, or whose matches have no length bound.
  // `subset`: only the rules that make findings, or only the context rules (their
  // match ids stay the rules' indexes in `rules`); nullptr when the subset is empty.
  enum class Subset { all, findings, context };
  static std::shared_ptr<const MatchDatabase> build(const RuleSet& rules, const DatabaseCacheOptions& cache,
                                                    Subset subset = Subset::all);
  ~MatchDatabase();

  const hs_database_t* raw() const { return db_; }
  const RuleGeometry& geometry(std::size_t rule_index) const { return geometry_[rule_index]; }
  uint32_t max_width() const { return max_width_; }
  bool loaded_from_cache() const { return from_cache_; }
  const std::string& cache_file() const { return cache_file_; }

  // Longest match any rule may produce: beyond it a regex is rejected, since the
  // matcher keeps that much history to hand a whole match to validation.
  static constexpr uint32_t kMaxRuleWidth = 4096;

 private:
  MatchDatabase() = default;
  hs_database_t* db_ = nullptr;
  std::vector<RuleGeometry> geometry_;
  uint32_t max_width_ = 0;
  bool from_cache_ = false;
  std::string cache_file_;
};

// One Hyperscan scratch: each worker thread owns one.
class MatchScratch {
 public:
  explicit MatchScratch(const MatchDatabase& db);
  void also_for(const MatchDatabase& db);  // grows the scratch to serve another database too
  ~MatchScratch();
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;
  hs_scratch_t* raw() const { return scratch_; }

 private:
  hs_scratch_t* scratch_ = nullptr;
};

}  // namespace sfmc
