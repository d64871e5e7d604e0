// sfmc-gen: a developer tool that makes secret-shaped test data at run time, so the
// repository never holds any (a committed fake secret is a finding).
//   sfmc-gen token [--variant bad-checksum] [--count N]   print tokens
//   sfmc-gen expand SRC DST                               copy a tree, expanding {{token}} templates
//   sfmc-gen corpus DIR --bytes N --files N --tokens N    benchmark corpus
//   sfmc-gen pack DIR --kind KIND                         a crafted pack (+ .idx) in DIR; prints its secrets
//   sfmc-gen loose OBJECTS --stated-size N                a loose blob whose header states N bytes
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "rules/rule.hpp"
#include "testing/hostile_pack.hpp"
#include "testing/token_factory.hpp"

namespace fs = std::filesystem;
using namespace sfmc;

namespace {

const Rule& pick_rule(const RuleSet& rules, const std::string& id) {
  const Rule* r = rules.find(id);
  if (!r) throw std::runtime_error("no rule '" + id + "'");
  return *r;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes text that looks like source and config files, with `tokens` secrets planted
// at random places (some in the middle of lines, some at a line start).
void write_corpus(const fs::path& dir, uint64_t total_bytes, uint64_t files, uint64_t tokens, const Rule& rule,
                  uint64_t seed) {
  TokenFactory factory(seed);
  std::mt19937_64 rng(seed);
  static const char* words[] = {"return", "const", "value", "config", "request", "response", "static", "public",
                                "import", "string", "buffer", "marketing", "cloud", "token", "id", "user", "{", "}",
                                "(", ")", "=", ";", "\"", "0x1f", "42", "// comment", "if", "else", "for", "while"};
  const uint64_t per_file = std::max<uint64_t>(1, total_bytes / std::max<uint64_t>(files, 1));
  uint64_t planted = 0;
  for (uint64_t i = 0; i < files; ++i) {
    fs::path sub = dir / ("d" + std::to_string(i % 64)) / ("s" + std::to_string((i / 64) % 16));
    fs::create_directories(sub);
    std::string text;
    text.reserve(per_file + 256);
    // Half-size to 1.5x-size files, so sizes vary but the total stays near the target.
    uint64_t target = per_file / 2 + rng() % (per_file + 1);
    std::size_t col = 0;
    while (text.size() < target) {
      const char* w = words[rng() % (sizeof words / sizeof *words)];
      text += w;
      col += std::strlen(w) + 1;
      if (col > 60 + rng() % 60) {
        text += '\n';
        col = 0;
      } else {
        text += ' ';
      }
    }
    uint64_t want = (tokens * (i + 1)) / files;
    while (planted < want) {
      std::size_t at = rng() % (text.size() + 1);
      text.insert(at, "client_secret=\"" + factory.token(rule) + "\"\n");
      ++planted;
    }
    std::ofstream(sub / ("f" + std::to_string(i) + ".txt"), std::ios::binary) << text;
  }
}

// Writes a git fast-import stream (to stdout) of a history that evolves like a real
// project's: an initial import of `seed_dir`'s text files (or generated ones), then
// commits that each edit a few files (change, insert and delete lines), add and remove
// files, on a few branches, with a token planted now and then and later removed.
void write_history(std::ostream& out, const std::string& seed_dir, uint64_t commits, uint64_t files, uint64_t tokens,
                   const Rule& rule, uint64_t seed) {
  TokenFactory factory(seed);
  std::mt19937_64 rng(seed);
  std::vector<std::pair<std::string, std::vector<std::string>>> tree;  // path -> lines
  auto split = [](const std::string& text) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      lines.push_back(text.substr(at, nl - at));
      at = nl + 1;
    }
    return lines;
  };
  if (!seed_dir.empty()) {
    std::vector<fs::path> paths;
    for (const auto& e : fs::recursive_directory_iterator(seed_dir, fs::directory_options::skip_permission_denied))
      if (e.is_regular_file() && !e.is_symlink() && e.file_size() < (1 << 20)) paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    for (const fs::path& p : paths) {
      if (files && tree.size() >= files) break;
      tree.emplace_back(fs::relative(p, seed_dir).generic_string(), split(slurp(p)));
    }
  } else {
    for (uint64_t i = 0; i < files; ++i) {
      std::string text;
      static const char* words[] = {"return", "const", "value", "config", "request", "static", "import", "if", "{", "}", "=", ";"};
      for (int l = 0; l < 200; ++l) {
        for (int w = 0; w < 8; ++w) text += std::string(words[rng() % 12]) + " ";
        text += "\n";
      }
      tree.emplace_back("src/m" + std::to_string(i % 50) + "/file" + std::to_string(i) + ".txt", split(text));
    }
  }
  auto blob_text = [](const std::vector<std::string>& lines) {
    std::string t;
    for (const std::string& l : lines) t += l + "\n";
    return t;
  };
  auto emit_file = [&](const std::string& path, const std::vector<std::string>& lines) {
    std::string t = blob_text(lines);
    out << "M 100644 inline " << path << "\ndata " << t.size() << "\n" << t << "\n";
  };
  int64_t when = 1735689600;  // 2025-01-01
  uint64_t planted = 0;
  std::vector<std::pair<std::size_t, std::size_t>> live_tokens;  // (file, line) to remove later
  for (uint64_t c = 0; c < commits; ++c) {
    std::string branch = c % 10 == 9 ? "refs/heads/topic" + std::to_string(c % 3) : "refs/heads/main";
    when += 3600 + static_cast<int64_t>(rng() % 7200);
    std::ostringstream msg;
    msg << "commit " << c;
    out << "commit " << branch << "\ncommitter Dev <dev@example.com> " << when << " +0000\ndata " << msg.str().size()
        << "\n" << msg.str() << "\n";
    // A topic branch starts from main; otherwise every branch continues from its own tip.
    if (branch != "refs/heads/main" && c < 30) out << "from refs/heads/main\n";
    if (c == 0) {
      for (const auto& [path, lines] : tree) emit_file(path, lines);
    } else {
      int edits = 1 + static_cast<int>(rng() % 6);
      for (int e = 0; e < edits; ++e) {
        std::size_t f = rng() % tree.size();
        auto& lines = tree[f].second;
        int changes = 1 + static_cast<int>(rng() % 5);
        for (int k = 0; k < changes; ++k) {
          std::size_t at = lines.empty() ? 0 : rng() % lines.size();
          switch (rng() % 3) {
            case 0: if (!lines.empty()) lines[at] += " // changed " + std::to_string(c); break;
            case 1: lines.insert(lines.begin() + static_cast<long>(at), "added in commit " + std::to_string(c)); break;
            default: if (!lines.empty()) lines.erase(lines.begin() + static_cast<long>(at)); break;
          }
        }
        if (planted < tokens && rng() % (commits / std::max<uint64_t>(tokens, 1) + 1) == 0) {
          lines.insert(lines.begin() + static_cast<long>(lines.empty() ? 0 : rng() % lines.size()),
                       "client_secret = \"" + factory.token(rule) + "\"");
          ++planted;
        }
        emit_file(tree[f].first, lines);
      }
    }
    out << "\n";
  }
  out << "reset refs/tags/last\nfrom refs/heads/main\n\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sfmc-gen: secret-shaped test data, made at run time", "sfmc-gen"};
  app.require_subcommand(1);
  std::string rules_path;
  std::string rule_id = "sfmc-client-secret";
  uint64_t seed = std::random_device{}();
  app.add_option("--rules", rules_path, "Rule file or folder (default: the bundled rules)");
  app.add_option("--rule", rule_id, "Rule whose tokens to make")->capture_default_str();
  app.add_option("--seed", seed, "Random seed (default: random)");

  std::string variant;
  unsigned count = 1;
  CLI::App* token = app.add_subcommand("token", "Print tokens, one a line");
  token->add_option("--variant", variant, "A {{token:...}} option list, e.g. bad-checksum or body=EXAMPLE");
  token->add_option("-n,--count", count, "How many");

  std::string src, dst;
  CLI::App* expand = app.add_subcommand("expand", "Copy a tree, expanding {{token}} templates in every file");
  expand->add_option("src", src)->required();
  expand->add_option("dst", dst)->required();

  std::string dir;
  uint64_t bytes = 1'000'000'000, files = 10'000, tokens = 100;
  CLI::App* corpus = app.add_subcommand("corpus", "Write a benchmark corpus of text files with planted tokens");
  corpus->add_option("dir", dir)->required();
  corpus->add_option("--bytes", bytes, "Total size")->transform(CLI::AsSizeValue(false));
  corpus->add_option("--files", files, "Number of files");
  corpus->add_option("--tokens", tokens, "Number of planted tokens");

  std::string seed_dir;
  uint64_t commits = 1000;
  CLI::App* history = app.add_subcommand("history", "Write a git fast-import stream of an evolving history to stdout");
  history->add_option("--from", seed_dir, "Import this folder's files as the first commit (default: generated files)");
  history->add_option("--commits", commits, "Number of commits");
  history->add_option("--files", files, "Number of files (0 with --from: all of them)");
  history->add_option("--tokens", tokens, "Number of planted tokens");

  std::string pack_kind;
  CLI::App* pack = app.add_subcommand("pack", "Write a crafted git pack and its index (hostile-input tests); print 'found|warned TOKEN' lines");
  pack->add_option("dir", dir, "A repository's objects/pack folder")->required();
  pack->add_option("--kind", pack_kind, "cycle, cross-cycle, huge-size, reserved, truncated, chain or delta-bomb")->required();
  uint64_t stated_size = 0;
  CLI::App* loose = app.add_subcommand("loose", "Write a loose blob with a secret whose header states another size; print 'found TOKEN' and its id");
  loose->add_option("dir", dir, "A repository's objects folder")->required();
  loose->add_option("--stated-size", stated_size, "The size its header states")->required();

  CLI11_PARSE(app, argc, argv);
  try {
    RuleSet rules = rules_path.empty() ? load_default_rules() : load_rules(rules_path);
    const Rule& rule = pick_rule(rules, rule_id);
    TokenFactory factory(seed);
    if (*token) {
      std::string tmpl = variant.empty() ? "{{token}}" : "{{token:" + variant + "}}";
      for (unsigned i = 0; i < count; ++i) std::cout << expand_template(tmpl, rule, factory) << '\n';
    } else if (*expand) {
      // In path order: tokens are drawn from one seeded generator, and directory order
      // differs between file systems (ext4's hashed order, tmpfs), so the same seed
      // would otherwise give a different demo tree on another machine.
      std::vector<fs::path> entries;
      for (const auto& e : fs::recursive_directory_iterator(src)) entries.push_back(e.path());
      std::sort(entries.begin(), entries.end());
      for (const fs::path& p : entries) {
        fs::path out = fs::path(dst) / fs::relative(p, src);
        if (fs::is_directory(p)) {
          fs::create_directories(out);
        } else if (fs::is_regular_file(p)) {
          fs::create_directories(out.parent_path());
          std::ofstream(out, std::ios::binary) << expand_template(slurp(p), rule, factory);
        }
      }
    } else if (*corpus) {
      write_corpus(dir, bytes, files, tokens, rule, seed);
    } else if (*pack) {
      for (const PlantedSecret& p : write_hostile_pack(pack_kind, dir, [&] { return factory.token(rule); }))
        std::cout << p.expect << ' ' << p.token << '\n';
    } else if (*loose) {
      std::string token = factory.token(rule);
      std::string id = write_loose_object(dir, "blob", stated_size, "client_secret=" + token + "\n");
      std::cout << "found " << token << '\n' << "id " << id << '\n';
    } else if (*history) {
      std::ios::sync_with_stdio(false);
      write_history(std::cout, seed_dir, commits, files, tokens, rule, seed);
    }
  } catch (const std::exception& e) {
    std::cerr << "sfmc-gen: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
