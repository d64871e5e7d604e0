// `sfmc-scan scan PATH...`: files, folders and standard input.
#include "cli/cli_common.hpp"

namespace sfmc::cli {

namespace {

struct ScanCommand {
  RuleOptions rules;
  OutputOptions out;
  std::vector<std::string> paths;
  std::vector<std::string> excludes;
  bool follow_symlinks = false;
  std::size_t chunk_size = 1 << 20;
};

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
  so.paths = c.paths;
  so.threads = c.out.threads;
  so.max_file_size = c.out.max_file_size;
  so.follow_symlinks = c.follow_symlinks;
  so.excludes = c.excludes;
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
  cmd->add_flag("--follow-symlinks", c->follow_symlinks, "Follow symbolic links (loops are detected and reported)");
  cmd->add_option("--chunk-size", c->chunk_size, "Bytes read and matched at a time")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(static_cast<std::size_t>(64), static_cast<std::size_t>(1) << 30))
      ->group("Advanced");
  cmd->callback([c, &exit_status] { exit_status = run(*c); });
}

}  // namespace sfmc::cli
