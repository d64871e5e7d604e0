// `sfmc-scan scan PATH...`: files, folders and standard input.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/cli_common.hpp"
#include "report/reporter.hpp"

namespace sfmc::cli {

namespace {

struct ScanCommand {
  RuleOptions rules;
  std::vector<std::string> paths;
  std::string format;  // empty: from -o's extension, else text on a terminal and jsonl otherwise
  std::string output;
  std::string colour = "auto";
  unsigned threads = 0;
  std::vector<std::string> excludes;
  bool follow_symlinks = false;
  uint64_t max_file_size = 0;
  bool show_secrets = false;
  std::string fail_on = "warning";
  bool quiet = false;
  bool verbose = false;
  std::size_t chunk_size = 1 << 20;
};

std::string ends_with_format(const std::string& path) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".sarif") || ends(".sarif.json")) return "sarif";
  if (ends(".jsonl") || ends(".ndjson")) return "jsonl";
  if (ends(".json")) return "json";
  if (ends(".txt")) return "text";
  return {};
}

int run(const ScanCommand& c) {
  std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
  if (!engine) return static_cast<int>(ExitCode::error);

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!c.output.empty() && c.output != "-") {
    file.open(c.output, std::ios::binary | std::ios::trunc);
    if (!file) {
      print_error("cannot write " + c.output + ": " + std::strerror(errno));
      return static_cast<int>(ExitCode::error);
    }
    out = &file;
  }
  const bool to_terminal = out == &std::cout && ::isatty(STDOUT_FILENO);

  std::string format = c.format;
  if (format.empty()) format = ends_with_format(c.output);
  if (format.empty()) format = to_terminal ? "text" : "jsonl";
  OutputFormat fmt = format == "sarif"   ? OutputFormat::sarif
                     : format == "json"  ? OutputFormat::json
                     : format == "jsonl" ? OutputFormat::jsonl
                                         : OutputFormat::text;

  ReportOptions ro;
  ro.show_secrets = c.show_secrets;
  ro.colour = c.colour == "always" || (c.colour == "auto" && to_terminal && !std::getenv("NO_COLOR"));
  ro.verbose = c.verbose;
  ro.quiet = c.quiet;
  std::unique_ptr<Reporter> reporter = make_reporter(fmt, engine->rules(), ro, *out);

  // Findings stay at or above --fail-on to fail the run; count them as they pass.
  struct Gate final : ResultSink {
    Reporter& next;
    Level fail_on;
    uint64_t failing = 0;
    bool missing_root = false;
    Gate(Reporter& r, Level l) : next(r), fail_on(l) {}
    void on_input(InputResult&& r) override {
      for (const Finding& f : r.findings)
        if (f.level >= fail_on) ++failing;
      if (r.skipped && r.skipped->reason == SkipReason::not_found) missing_root = true;
      next.on_input(std::move(r));
    }
  } gate(*reporter, *parse_level(c.fail_on));

  ScanOptions so;
  so.paths = c.paths;
  so.threads = c.threads;
  so.max_file_size = c.max_file_size;
  so.follow_symlinks = c.follow_symlinks;
  so.excludes = c.excludes;
  so.chunk_size = c.chunk_size;
  ScanStats stats = engine->scan(so, gate);
  reporter->finish(stats);

  if (fmt != OutputFormat::text && !c.quiet) std::cerr << "sfmc-scan: " << summary_line(stats) << '\n';
  out->flush();
  if (!*out) {
    print_error("writing the report failed" + (c.output.empty() ? std::string() : " (" + c.output + ")"));
    return static_cast<int>(ExitCode::error);
  }
  if (gate.missing_root) return static_cast<int>(ExitCode::error);
  return static_cast<int>(gate.failing ? ExitCode::findings : ExitCode::clean);
}

}  // namespace

void register_scan(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<ScanCommand>();
  CLI::App* cmd = app.add_subcommand("scan", "Scan files, folders and standard input ('-') for secrets");
  cmd->add_option("paths", c->paths, "Files or folders to scan; '-' reads standard input")->required();
  cmd->add_option("--format", c->format, "sarif, json, jsonl or text (default: from -o's extension; text on a terminal, else jsonl)")
      ->check(CLI::IsMember({"sarif", "json", "jsonl", "text"}));
  cmd->add_option("-o,--output", c->output, "Write the report here instead of standard output");
  cmd->add_option("--color,--colour", c->colour, "Colour text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("-j,--threads", c->threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  add_rule_options(*cmd, c->rules);
  cmd->add_option("--exclude", c->excludes,
                  "Skip paths matching this glob (repeatable): a glob without '/' matches a name at any depth, one with '/' a path below the scanned folder")
      ->allow_extra_args(false);  // one glob per --exclude, so the paths after it stay paths
  cmd->add_flag("--follow-symlinks", c->follow_symlinks, "Follow symbolic links (loops are detected and reported)");
  cmd->add_option("--max-file-size", c->max_file_size, "Skip files larger than this (e.g. 100M; default: no limit)")
      ->transform(CLI::AsSizeValue(false));
  cmd->add_flag("--show-secrets", c->show_secrets, "Print secrets in full (default: redacted, e.g. SFMC_aB3x…9f2c)");
  cmd->add_option("--fail-on", c->fail_on, "Exit with status 1 when a finding is at this level or above: error, warning, note")
      ->check(CLI::IsMember({"error", "warning", "note"}))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", c->quiet, "No summary line");
  cmd->add_flag("-v,--verbose", c->verbose, "Also list inputs skipped by choice (symlinks not followed)");
  cmd->add_option("--chunk-size", c->chunk_size, "Bytes read and matched at a time")
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::Range(static_cast<std::size_t>(64), static_cast<std::size_t>(1) << 30))
      ->group("Advanced");
  cmd->callback([c, &exit_status] { exit_status = run(*c); });
}

}  // namespace sfmc::cli
