// Where the per-byte and per-candidate costs are: matching, line bookkeeping,
// validation. Run: build/bench/sfmc_bench (from a quiet machine; see RESULTS.md).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <random>

#include "compress/inflate.hpp"
#include "decode/base64.hpp"
#include "testing/positions_only.hpp"
#include "engine/scan_engine.hpp"
#include "findings/finding_builder.hpp"
#include "match/text_position.hpp"
#include "sources/git/pack_file.hpp"
#include "testing/token_factory.hpp"
#include "validate/checksum.hpp"

using namespace sfmc;

namespace {

const ScanEngine& engine() {
  DatabaseCacheOptions cache;
  cache.enabled = false;
  // SFMC_BENCH_RULES measures another rule file (e.g. one rule alone).
  const char* rules = std::getenv("SFMC_BENCH_RULES");
  static ScanEngine e(load_rules(rules ? rules : SFMC_SOURCE_RULES_DIR), ChecksumPolicy::report, cache);
  return e;
}

// Source-like text: identifiers, punctuation and newlines, no tokens unless planted.
std::string text_corpus(std::size_t bytes, std::size_t tokens) {
  static const char* words[] = {"return", "const", "value", "config", "request", "static", "import", "string",
                                "buffer", "{", "}", "(", ")", "=", ";", "\"", "client", "id", "0x1f", "\n"};
  std::mt19937_64 rng(42);
  std::string out;
  out.reserve(bytes + 128);
  while (out.size() < bytes) {
    out += words[rng() % (sizeof words / sizeof *words)];
    out += ' ';
  }
  out.resize(bytes);
  TokenFactory f(1);
  const Rule* secret = engine().rules().find("sfmc-client-secret");
  for (std::size_t i = 0; secret && i < tokens; ++i) {
    std::string t = " s=" + f.token(*secret) + "\n";
    out.replace(rng() % (bytes - t.size()), t.size(), t);
  }
  return out;
}

// The whole per-stream path (Hyperscan streaming, history, validation) over 64 MB.
void BM_StreamScan(benchmark::State& state) {
  std::string data = text_corpus(64 << 20, static_cast<std::size_t>(state.range(1)));
  std::size_t chunk = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    auto found = engine().scan_buffer(data, "bench", chunk);
    benchmark::DoNotOptimize(found.findings.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_StreamScan)->Args({1 << 16, 0})->Args({1 << 20, 0})->Args({1 << 20, 1000})->Unit(benchmark::kMillisecond);

// Line and column bookkeeping, which runs over every byte a multi-chunk stream drops.
void BM_TextPosition(benchmark::State& state) {
  std::string data = text_corpus(16 << 20, 0);
  for (auto _ : state) {
    TextPosition p;
    advance(p, data.data(), data.size());
    benchmark::DoNotOptimize(p.line);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_TextPosition)->Unit(benchmark::kMillisecond);

// One candidate through validation (boundaries, checksum, placeholder filter), as the
// matcher hands it over.
// A line holding one token, and the event the matcher would hand over for it.
struct Candidate {
  std::string line;
  MatchEvent ev;
  Candidate() {
    TokenFactory f(2);
    const RuleSet& rules = engine().rules();
    const Rule* rule = rules.find("sfmc-client-secret");
    line = "client_secret=\"" + f.token(*rule) + "\"\n";
    ev.rule = static_cast<uint32_t>(rule - rules.rules.data());
    ev.start = 15;
    ev.end = 79;
    ev.bytes = std::string_view(line).substr(15, 64);
    ev.before = std::string_view(line).substr(0, 15);
    ev.after = std::string_view(line).substr(79);
  }
  Candidate(const Candidate&) = delete;  // the views point into `line`
};

void BM_ValidateCandidate(benchmark::State& state) {
  Candidate c;
  const MatchEvent& ev = c.ev;
  for (auto _ : state) benchmark::DoNotOptimize(engine().validator().validate(ev));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ValidateCandidate);

// Validation plus finding assembly: redaction, SHA-256, snippet, line hash.
void BM_BuildFinding(benchmark::State& state) {
  Candidate c;
  for (auto _ : state) {
    FindingBuilder builder(engine().rules(), "bench");
    builder.add(*engine().validator().validate(c.ev));
    benchmark::DoNotOptimize(builder.take());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_BuildFinding);

void BM_Checksum(benchmark::State& state) {
  TokenFactory f(3);
  const Rule& rule = *engine().rules().find("sfmc-client-secret");
  std::string token = f.token(rule);
  for (auto _ : state) benchmark::DoNotOptimize(checksum_holds(*rule.checksum, token, rule.prefix));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_Checksum);

// Inflating a real pack's objects (SFMC_BENCH_PACK=path/to/pack-*.pack; skipped
// without it) with the library SFMC_INFLATE picks (libdeflate, isa-l or zlib): every
// 16th object of the pack, base objects and deltas alike, one thread.
void BM_PackInflate(benchmark::State& state) {
  const char* pack_path = std::getenv("SFMC_BENCH_PACK");
  if (!pack_path) {
    state.SkipWithError("SFMC_BENCH_PACK is not set");
    return;
  }
  std::string pack(pack_path), idx = pack.substr(0, pack.size() - 5) + ".idx";
  static git::PackFile file(pack, idx);
  std::vector<std::size_t> sample;
  for (std::size_t i = 0; i < file.size(); i += 16)
    if (file.final_type(i) != git::PackFile::none) sample.push_back(i);
  std::string out, error;
  uint64_t bytes = 0;
  for (auto _ : state)
    for (std::size_t i : sample) {
      if (file.inflate(i, out, error)) bytes += out.size();
      benchmark::DoNotOptimize(out.data());
    }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetLabel(std::string(compress::inflate_library()) + ", " + std::to_string(sample.size()) + " objects");
}
BENCHMARK(BM_PackInflate)->Unit(benchmark::kMillisecond);


// The base64 run finder over text in 64 KiB chunks, as a stream feeds it: over the
// file SFMC_BENCH_TEXT (up to 256 MB of it: real source code is where its search meets
// the most alphabet blocks) or else the generated source-like text.
void BM_Base64Finder(benchmark::State& state) {
  static const std::string text = [] {
    if (const char* path = std::getenv("SFMC_BENCH_TEXT")) {
      std::ifstream in(path, std::ios::binary);
      std::string s(256u << 20, '\0');
      in.read(s.data(), static_cast<std::streamsize>(s.size()));
      s.resize(static_cast<std::size_t>(in.gcount()));
      return s;
    }
    return text_corpus(64 << 20, 0);
  }();
  constexpr std::size_t kChunk = 64 << 10;
  std::size_t runs = 0;
  for (auto _ : state) {
    Base64RunFinder finder(64 << 20);
    PositionsOnly ctx;
    for (std::size_t at = 0; at < text.size(); at += kChunk)
      finder.feed(std::string_view(text).substr(at, kChunk), at, ctx);
    finder.finish(ctx);
    runs = finder.runs().size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetLabel(std::to_string(runs) + " runs kept");
}
BENCHMARK(BM_Base64Finder)->Unit(benchmark::kMillisecond);

}  // namespace
