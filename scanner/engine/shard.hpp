#pragma once
// One sweep split across machines (--shard K/N): every input goes to exactly one shard,
// the shards are contiguous runs of the walk order, cut so that each holds about the
// same number of bytes. Contiguity is what lets `sfmc-scan merge` rebuild the
// one-machine report: the shards' results, concatenated in shard order, are the
// one-machine results in the one-machine order.
//
// Every shard cuts the same way without talking to the others: it first walks the
// whole input with stat() only (no file is opened) to learn the total, then walks again
// and reads only its own run. The total it saw goes into its report, so that `merge`
// can refuse shards that saw different trees (one written to between their walks).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sources/input.hpp"

namespace sfmc {

struct ShardSpec {
  unsigned index = 0;  // K, from 0 (SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX)
  unsigned count = 1;  // N
};

// Most shards one sweep may have: far more machines than any cluster gives one job, and
// small enough that `merge` can keep one flag per shard of whatever a report claims.
constexpr unsigned kMaxShards = 100'000;

// "K/N" with 0 <= K < N. Returns nullopt and sets `error` otherwise.
std::optional<ShardSpec> parse_shard(const std::string& text, std::string& error);

// What a shard saw of the whole input: the same on every shard of one sweep.
struct ShardPlan {
  uint64_t items = 0;   // inputs in the whole walk
  uint64_t weight = 0;  // their bytes, plus one per input
};

// The shard that owns an input whose weight starts at `before` (of `total`) and is `weight`
// long: the one whose run holds the input's middle.
unsigned shard_of(uint64_t before, uint64_t weight, uint64_t total, unsigned count);

// Splits a list of weighted items (repositories, say) into contiguous shards; returns
// the owner of each item.
std::vector<unsigned> split_by_weight(const std::vector<uint64_t>& weights, unsigned count);

// The weight of one enumerated input: its size (lstat, or stat when following links) + 1.
uint64_t input_weight(const InputItem& item, bool follow_symlinks);

// Passes on only the inputs of one shard. `make` opens a fresh walk of the whole input;
// it is called twice (the stat-only pass that fixes the cuts, then the real walk).
class ShardedSource final : public InputSource {
 public:
  ShardedSource(std::function<std::unique_ptr<InputSource>()> make, ShardSpec shard, bool follow_symlinks);
  std::optional<InputItem> next() override;
  std::unique_ptr<InputReader> make_reader() const override { return walk_->make_reader(); }
  const ShardPlan& plan() const { return plan_; }

 private:
  std::unique_ptr<InputSource> walk_;
  ShardSpec shard_;
  bool follow_;
  ShardPlan plan_;
  uint64_t before_ = 0;
};

}  // namespace sfmc
