#pragma once
// The inputs of the command line's roots, in their order, when they are of more than one
// kind: each run of paths is walked by one FileWalker, each bucket listed by its own
// source. Roots keep their command-line numbers (resume points and shards name them).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sources/input.hpp"
#include "sources/walk_rules.hpp"

namespace sfmc {

class RootsSource final : public InputSource {
 public:
  struct Part {
    std::unique_ptr<InputSource> source;
    std::size_t first_root = 0;  // the command-line number of the part's root 0
    InputItem::Kind reads = InputItem::Kind::file;  // what its reader reads: files (and standard input), or bucket objects
  };
  explicit RootsSource(std::vector<Part> parts) : parts_(std::move(parts)) {}
  std::optional<InputItem> next() override;
  // Reads each item with the reader of the part it came from, chosen by its kind.
  std::unique_ptr<InputReader> make_reader() const override;

 private:
  std::vector<Part> parts_;
  std::size_t at_ = 0;
};

// How buckets among the roots are reached.
struct StoreOptions {
  std::string endpoint_url;             // --endpoint-url ("" : the AWS settings')
  std::chrono::milliseconds timeout{0};  // --io-timeout
};

// The source of the command line's roots: files, folders, "-" and s3:// prefixes.
std::unique_ptr<InputSource> open_roots(const std::vector<std::string>& roots, const WalkOptions& walk,
                                        const StoreOptions& stores);

}  // namespace sfmc
