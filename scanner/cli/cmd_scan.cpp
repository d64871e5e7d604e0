// `sfmc-scan scan PATH...`: files, folders and standard input.
#include <fstream>

#include "cli/cli_common.hpp"

namespace sfmc::cli {

namespace {

struct ScanCommand {
  RuleOptions rules;
  OutputOptions out;
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  std::vector<std::string> exclude_files;
  bool follow_symlinks = false;
  int max_depth = -1;
  bool one_file_system = false;
  bool respect_gitignore = false;
  std::size_t chunk_size = 1 << 20;
};

// Globs from --exclude-from files: one a line; blank lines and '#' comments skipped.
bool read_exclude_files(const std::vector<std::string>& files, std::vector<std::string>& globs) {
  for (const std::string& f : files) {
    std::ifstream in(f);
    if (!in) {
      print_error("cannot read --exclude-from " + f);
      return false;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      globs.push_back(line);
    }
  }
  return true;
}

// Records whether a path named on the command line was missing: that is bad usage.
struct MissingRoot final : ResultSink {
  ResultSink& next;
  bool missing = false;
  explicit MissingRoot(ResultSink& n) : next(n) {}
  void on_input(InputResult&& r) override {
    if (r.skipped && r.skipped->reason == SkipReason::not_found) missing = true;
    next.on_input(std::move(r));
  }
};

int run(const ScanCommand& c) {
  std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
  if (!engine) return static_cast<int>(ExitCode::error);
  std::unique_ptr<Report> report = Report::open(c.out, engine->rules(), "");
  if (!report) return static_cast<int>(ExitCode::error);
  MissingRoot sink(*report);
  ScanOptions so;
  so.excludes = c.excludes;
  if (!read_exclude_files(c.exclude_files, so.excludes)) return static_cast<int>(ExitCode::error);
  so.paths = c.paths;
  so.threads = c.out.threads;
  so.max_file_size = c.out.max_file_size;
  so.follow_symlinks = c.follow_symlinks;
  so.max_depth = c.max_depth;
  so.one_file_system = c.one_file_system;
  so.respect_gitignore = c.respect_gitignore;
  so.chunk_size = c.chunk_size;
  so.decode = c.out.decode;
  ScanStats stats = engine->scan(so, sink);
  return report->finish(stats, sink.missing);
}

}  // namespace

void register_scan(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<ScanCommand>();
  CLI::App* cmd = app.add_subcommand("scan", "Scan files, folders and standard input ('-') for secrets");
  cmd->add_option("paths", c->paths, "Files or folders to scan; '-' reads standard input")->required();
  add_output_options(*cmd, c->out);
  add_rule_options(*cmd, c->rules);
  cmd->add_option("--exclude", c->excludes,
                  "Skip paths matching this glob (repeatable): a glob without '/' matches a name at any depth, one with '/' a path below the scanned folder")
      ->allow_extra_args(false);  // one glob per --exclude, so the paths after it stay paths
  cmd->add_option("--exclude-from", c->exclude_files, "Read --exclude globs from this file, one a line (repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--follow-symlinks", c->follow_symlinks, "Follow symbolic links (loops are detected and reported)");
  cmd->add_option("--max-depth", c->max_depth, "Walk at most this deep below each folder named (1: its own entries)")
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--one-file-system", c->one_file_system, "Do not walk into folders on other file systems (mounts)");
  cmd->add_flag("--respect-gitignore", c->respect_gitignore, "Skip what .gitignore files exclude, and .git folders");
  cmd->add_option("--chunk-size", c->chunk_size, "Bytes read and matched at a time")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(static_cast<std::size_t>(64), static_cast<std::size_t>(1) << 30))
      ->group("Advanced");
  cmd->callback([c, &exit_status] { exit_status = run(*c); });
}

}  // namespace sfmc::cli
