#pragma once
// Just enough of an input context for the base64 run finder, which only asks where an
// offset is (line 1, column offset + 1): for tests and benchmarks that feed it directly.
#include "sources/input.hpp"

namespace sfmc {

struct PositionsOnly final : InputContext {
  DecodeOptions options;
  uint64_t max_size() const override { return 0; }
  const DecodeOptions& decode_options() const override { return options; }
  void begin(ContentInfo) override {}
  std::span<char> write_area() override { return {}; }
  void commit(std::size_t) override {}
  TextPosition position_at(uint64_t offset) override { return {offset, 1, offset + 1}; }
  void end(uint64_t, std::optional<Skipped>) override {}
  void note(Skipped, std::vector<std::string>) override {}
};

}  // namespace sfmc
