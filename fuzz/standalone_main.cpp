// Without libFuzzer (GCC builds, the test suite): runs a harness over every file of the
// corpus folders given, then over inputs mutated from them for a few seconds, so a
// harness that no longer builds or crashes on its own seeds fails the tests.
//   fuzz_x [-max_total_time=N] CORPUS_DIR...   (other libFuzzer flags are ignored)
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  double seconds = 5;
  std::vector<std::string> seeds;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "-max_total_time=", 16) == 0) {
      seconds = std::atof(argv[i] + 16);
      continue;
    }
    if (argv[i][0] == '-') continue;
    std::error_code ec;
    if (std::filesystem::is_directory(argv[i], ec)) {
      for (const auto& e : std::filesystem::directory_iterator(argv[i], ec))
        if (e.is_regular_file()) seeds.push_back(e.path().string());
    } else {
      seeds.push_back(argv[i]);
    }
  }
  std::sort(seeds.begin(), seeds.end());
  std::vector<std::string> inputs;
  for (const std::string& s : seeds) {
    std::ifstream in(s, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(inputs.back().data()), inputs.back().size());
  }
  if (inputs.empty()) inputs.emplace_back();
  std::mt19937_64 rng(12);
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::size_t runs = 0;
  while (std::chrono::steady_clock::now() < until) {
    std::string x = inputs[rng() % inputs.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < edits; ++k) {
      const std::size_t at = x.empty() ? 0 : rng() % x.size();
      switch (rng() % 4) {
        case 0: if (!x.empty()) x[at] = static_cast<char>(rng()); break;
        case 1: x.insert(at, 1, static_cast<char>(rng())); break;
        case 2: if (!x.empty()) x.erase(at, 1 + rng() % 16); break;
        case 3: if (!x.empty()) x.insert(at, x.substr(rng() % x.size(), 1 + rng() % 32)); break;
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(x.data()), x.size());
    ++runs;
  }
  std::printf("%zu seeds, %zu mutated inputs, no crash\n", seeds.size(), runs);
  return 0;
}
