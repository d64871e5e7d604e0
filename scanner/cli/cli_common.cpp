#include "cli/cli_common.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>

#include "core/sha256.hpp"
#include "core/temp_file.hpp"
#include "report/inventory.hpp"
#include "report/json_fields.hpp"
#include "report/merge.hpp"
#include "verify/https_post.hpp"

namespace sfmc::cli {

void print_error(const std::string& message) { std::cerr << "sfmc-scan: error: " << message << '\n'; }
void print_warning(const std::string& message) { std::cerr << "sfmc-scan: warning: " << message << '\n'; }

void add_rule_options(CLI::App& cmd, RuleOptions& o) {
  cmd.add_option("--rules", o.rules_path, "Rule file or folder of .toml files (default: the installed rules, else the copy built into the binary)");
  cmd.add_option("--checksum", o.checksum,
                 "Candidates whose checksum fails: require (drop), report (keep as checksum-invalid), ignore (do not check)")
      ->check(CLI::IsMember({"require", "report", "ignore"}))
      ->capture_default_str();
  cmd.add_option("--max-findings-per-input", o.max_findings_per_input,
                 "Findings kept per file, member or blob; past it (or 64 MiB of findings) the rest of that input is "
                 "reported as a findings-limit warning, not examined")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}))
      ->capture_default_str();
  cmd.add_flag("--no-cache", o.no_cache, "Compile the rules even if a cached database exists, and write none");
  cmd.add_option("--cache-dir", o.cache_dir,
                 "Where compiled rule databases are cached (default: $SFMC_CACHE_DIR, $XDG_CACHE_HOME/sfmc-scan or ~/.cache/sfmc-scan)");
}

bool report_undecoded(uint64_t undecoded) {
  if (undecoded == 0) return false;
  // The report's skipped entries name each input and its remedy; this line only says why the exit status is 2.
  print_error(std::to_string(undecoded) + (undecoded == 1 ? " input was" : " inputs were") +
              " not read or decoded fully: a read failed (unreadable), a store did not answer in time (io-timeout), "
              "an object the history names is not in the repository (missing-object), "
              "a decoder module could not be loaded (decoder-unavailable) or a limit stopped a decoder "
              "(archive-limit, encoding-limit); the report's skipped entries say which and what to do");
  return true;
}

uint64_t undecoded_inputs(const ScanStats& stats) {
  uint64_t n = 0;
  for (const auto& [reason, count] : stats.skipped_by_reason)
    if (leaves_content_unscanned(reason)) n += count;
  return n;
}

std::unique_ptr<ScanEngine> load_engine(const RuleOptions& o) {
  try {
    RuleSet rules = o.rules_path.empty() ? load_default_rules() : load_rules(o.rules_path);
    for (const std::string& extra : o.extra_rule_files) {
      RuleSet more = load_rules(extra);
      for (Rule& r : more.rules) {
        if (rules.find(r.id)) throw RuleError(extra + ": rule '" + r.id + "' is defined twice");
        rules.rules.push_back(std::move(r));
      }
      rules.digest = sha256_hex(rules.digest + more.digest);
    }
    for (const auto& [name, text] : o.extra_rule_texts) {
      RuleSet more = parse_rules(text, name);
      for (Rule& r : more.rules) {
        if (rules.find(r.id)) throw RuleError(name + ": rule '" + r.id + "' is defined twice");
        rules.rules.push_back(std::move(r));
      }
      rules.digest = sha256_hex(rules.digest + more.digest);
    }
    ChecksumPolicy policy = o.checksum == "require" ? ChecksumPolicy::require
                            : o.checksum == "ignore" ? ChecksumPolicy::ignore
                                                     : ChecksumPolicy::report;
    DatabaseCacheOptions cache;
    cache.enabled = !o.no_cache;
    cache.dir = o.cache_dir;
    FindingLimits limits;
    limits.max_findings = o.max_findings_per_input;
    return std::make_unique<ScanEngine>(std::move(rules), policy, cache, limits);
  } catch (const RuleError& e) {
    print_error(std::string("rules: ") + e.what());
  } catch (const std::exception& e) {
    print_error(e.what());
  }
  return nullptr;
}

bool use_project_config(const std::string& explicit_path, const std::string& root, CLI::App& cmd, RuleOptions& rules,
                        OutputOptions& out, std::vector<std::string>* excludes, std::optional<ProjectConfig>& config) {
  try {
    config = ProjectConfig::find(explicit_path, root);
  } catch (const std::exception& e) {
    print_error(e.what());
    return false;
  }
  if (!config) return true;
  return apply_project_config(cmd, rules, out, excludes, *config);
}

bool apply_project_config(CLI::App& cmd, RuleOptions& rules, OutputOptions& out, std::vector<std::string>* excludes,
                          ProjectConfig& cfg) {
  ProjectConfig* config = &cfg;
  if (config->has_rules) {
    if (config->text.empty()) rules.extra_rule_files.push_back(config->path);
    else rules.extra_rule_texts.emplace_back(config->path, config->text);
  }
  if (config->fail_on && cmd.count("--fail-on") == 0) {
    if (!parse_level(*config->fail_on)) {
      print_error(config->path + ": defaults.fail_on must be error, warning or note");
      return false;
    }
    out.fail_on = *config->fail_on;
  }
  if (config->checksum && cmd.count("--checksum") == 0) {
    if (*config->checksum != "require" && *config->checksum != "report" && *config->checksum != "ignore") {
      print_error(config->path + ": defaults.checksum must be require, report or ignore");
      return false;
    }
    rules.checksum = *config->checksum;
  }
  if (config->baseline && cmd.count("--baseline") == 0 && config->text.empty()) out.baseline = *config->baseline;
  if (excludes) excludes->insert(excludes->end(), config->exclude.begin(), config->exclude.end());
  return true;
}

void add_output_options(CLI::App& cmd, OutputOptions& o) {
  cmd.add_option("--format,--report-format", o.format,
                 "sarif, json, jsonl, text or gitlab (default: from -o's name; text on a terminal, else jsonl)")
      ->check(CLI::IsMember({"sarif", "json", "jsonl", "text", "gitlab"}));
  cmd.add_option("-o,--output,--report-path", o.output,
                 "Write the report here instead of standard output; the name picks the format (.sarif, .json, .jsonl, .txt, gl-secret-detection-report.json)");
  cmd.add_option("--sarif-category", o.sarif_category,
                 "SARIF runs[].automationDetails.id, GitHub's category, for several uploads per commit (default: sfmc-scan/<mode>/)");
  cmd.add_option("--max-results", o.max_results,
                 "SARIF: keep only the N most severe results (GitHub rejects a run of more than 25,000); the exit status still counts all")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  cmd.add_option("--exit-code", o.exit_code, "Exit status when findings are at or above --fail-on (default 1)")
      ->check(CLI::Range(0, 255));
  cmd.add_option("--color,--colour", o.colour, "Colour text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd.add_option("-j,--threads", o.threads, "Worker threads (default: all cores)")->check(CLI::Range(1u, 1024u));
  cmd.add_option("--max-file-size", o.max_file_size, "Skip inputs larger than this (e.g. 100M; default: no limit)")
      ->transform(CLI::AsSizeValue(false));
  CLI::Option* show_secrets =
      cmd.add_flag("--show-secrets", o.show_secrets, "Print secrets in full (default: redacted, e.g. SFMC_aB3x…9f2c)");
  cmd.add_flag("--redact{100}", o.redact, "Redact secrets in every output (the default already: accepted for gitleaks users)")
      ->excludes(show_secrets)
      ->group("");
  cmd.add_option("--fail-on", o.fail_on, "Exit with status 1 when a finding is at this level or above: error, warning, note")
      ->check(CLI::IsMember({"error", "warning", "note"}))
      ->capture_default_str();
  cmd.add_flag("-q,--quiet", o.quiet, "No summary line");
  cmd.add_flag("-v,--verbose", o.verbose, "Also list inputs skipped by choice (symlinks not followed)");
  cmd.add_option("--baseline", o.baseline, "Accept the findings in this baseline (sfmc-scan baseline create): matched by rule and secret hash");
  cmd.add_flag("--include-suppressed", o.include_suppressed,
               "Report findings accepted by an allow comment or the baseline too, marked (SARIF: with suppressions)");
  cmd.add_option("--now", o.now, "The date to judge expiry against (e.g. 2026-11-22; default: $SFMC_NOW, else now)");
  cmd.add_option("--group-by", o.group_by, "secret: one entry per distinct secret with every place it appears (json, jsonl, text)")
      ->check(CLI::IsMember({"secret"}));
  cmd.add_flag("--verify", o.verify,
               "Ask the token endpoint of the subdomain found with each secret whether it (with the client id found with it) works: live, revoked or unknown. Never by default");
  cmd.add_option("--verify-endpoint", o.verify_options.endpoint,
                 "Replaces https://<subdomain>.auth.marketingcloudapis.com (plain HTTP only to loopback)")
      ->group("Verification");
  cmd.add_option("--verify-timeout", o.verify_options.timeout_ms, "Milliseconds per request")->capture_default_str()->group("Verification");
  cmd.add_option("--verify-concurrency", o.verify_options.concurrency, "Requests in flight")->capture_default_str()->group("Verification");
  cmd.add_option("--verify-rate", o.verify_options.requests_per_second, "Requests per second at most")
      ->capture_default_str()
      ->group("Verification");
  cmd.add_flag("--no-progress", o.no_progress, "No progress line on stderr (it is shown only when stderr is a terminal)");
  cmd.add_flag("--stats", o.stats, "Print a JSON summary of the run on stderr at the end");
  cmd.add_flag("!--no-archives", o.decode.archives, "Match archives and compressed files as bytes instead of opening them");
  cmd.add_flag("!--no-binary", o.decode.binary, "Skip binary content (by default it is matched as bytes)");
  cmd.add_flag("!--no-base64", o.decode.base64, "Do not decode base64 runs long enough to hold a token");
  cmd.add_flag("!--no-mail", o.decode.mail, "Match MIME messages and mboxes as text: do not decode their parts");
  cmd.add_flag("!--no-pdf", o.decode.pdf, "Match PDF files as bytes: do not decode their pages");
  cmd.add_option("--archive-depth", o.decode.limits.max_depth, "Open archives nested this deep")
      ->check(CLI::Range(0, 64))
      ->capture_default_str();
  cmd.add_option("--archive-max-bytes", o.decode.limits.max_expanded, "Stop an input whose archives expand past this (e.g. 16G)")
      ->transform(CLI::AsSizeValue(false))
      ->group("Archive limits");
  cmd.add_option("--archive-max-ratio", o.decode.limits.max_ratio,
                 "Stop an input that expands more than this many times its size (zip bombs), checked past 64 MiB")
      ->capture_default_str()
      ->group("Archive limits");
  cmd.add_option("--archive-max-members", o.decode.limits.max_members, "Stop an input holding more members than this")
      ->capture_default_str()
      ->group("Archive limits");
}

namespace {

std::string format_from_extension(const std::string& path) {
  auto ends = [&](const char* ext) {
    std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends("gl-secret-detection-report.json")) return "gitlab";
  if (ends(".sarif") || ends(".sarif.json")) return "sarif";
  if (ends(".jsonl") || ends(".ndjson")) return "jsonl";
  if (ends(".json")) return "json";
  if (ends(".txt")) return "text";
  return {};
}

}  // namespace

Report::~Report() {
  if (!temp_path_.empty()) std::remove(temp_path_.c_str());  // never finished: the old report stays
}

std::unique_ptr<Report> Report::open(const OutputOptions& o, const RuleSet& rules, const std::string& working_directory,
                                     bool append) {
  auto r = std::unique_ptr<Report>(new Report());
  r->options_ = o;
  r->out_ = &std::cout;
  if (!o.output.empty() && o.output != "-") {
    if (const std::string refused = planted_link(o.output); !refused.empty()) {
      print_error(refused);
      return nullptr;
    }
    // A resumed sweep appends to its own output; anything else writes beside it and
    // renames at the end, so an existing report is never left cut short.
    const std::optional<std::string> target = atomic_target(o.output);
    int fd = -1;
    if (!append && target) {
      r->final_path_ = *target;
      fd = create_temp_beside(*target, "sfmc-tmp", r->temp_path_);
    } else {
      fd = ::open(o.output.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    }
    if (fd < 0) {
      r->temp_path_.clear();
      print_error("cannot write " + o.output + ": " + std::strerror(errno));
      return nullptr;
    }
    r->filebuf_ = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::out | std::ios::binary | (append ? std::ios::app : std::ios::out));
    r->file_.rdbuf(r->filebuf_.get());
    r->out_ = &r->file_;
  }
  const bool to_terminal = r->out_ == &std::cout && ::isatty(STDOUT_FILENO);
  std::string format = o.format;
  if (format.empty()) format = format_from_extension(o.output);
  if (format.empty() && r->out_ != &std::cout) {
    // Writing JSON Lines into "report.xml" helps nobody: ask rather than guess.
    print_error("cannot tell the report format from the name " + o.output +
                ": give --format sarif|json|jsonl|text|gitlab, or end the name in .sarif, .json, .jsonl or .txt");
    return nullptr;
  }
  if (format.empty()) format = to_terminal ? "text" : "jsonl";
  r->format_ = format == "sarif"    ? OutputFormat::sarif
               : format == "json"   ? OutputFormat::json
               : format == "jsonl"  ? OutputFormat::jsonl
               : format == "gitlab" ? OutputFormat::gitlab
                                    : OutputFormat::text;
  r->to_file_ = r->out_ != &std::cout;
  ReportOptions ro;
  ro.show_secrets = o.show_secrets;
  ro.colour = o.colour == "always" || (o.colour == "auto" && to_terminal && !std::getenv("NO_COLOR"));
  ro.verbose = o.verbose;
  ro.quiet = o.quiet;
  ro.working_directory = working_directory;
  ro.include_suppressed = o.include_suppressed;
  ro.category = o.sarif_category.empty() ? o.default_category : o.sarif_category;
  // GitHub's upload action ends a category with '/' (what follows the last one is a run id).
  if (!ro.category.empty() && ro.category.back() != '/') ro.category += '/';
  ro.version_control = o.version_control;
  ro.max_results = o.max_results;
  if (o.max_results && r->format_ != OutputFormat::sarif) {
    print_error("--max-results applies to SARIF (GitHub's limits); other formats hold every finding");
    return nullptr;
  }
  r->reporter_ = make_reporter(r->format_, rules, ro, *r->out_);
  r->fail_on_ = *parse_level(o.fail_on);
  if (!o.group_by.empty() && (r->format_ == OutputFormat::sarif || r->format_ == OutputFormat::gitlab)) {
    print_error("--group-by secret writes json, jsonl or text: SARIF results and GitLab vulnerabilities are one per location");
    return nullptr;
  }
  // Checked before the scan: --verify that cannot send is an error now, not a run of
  // "unknown" verdicts (or a lost report) at the end.
  if (std::string why; o.verify && !https_post_available(why)) {
    print_error("--verify: " + why);
    return nullptr;
  }
  r->triage_.now = std::time(nullptr);
  // $SFMC_NOW fixes the clock for a whole test suite or a report series.
  std::string now = !o.now.empty() ? o.now : (std::getenv("SFMC_NOW") ? std::getenv("SFMC_NOW") : "");
  if (!now.empty()) {
    std::optional<int64_t> t = parse_date(now);
    if (!t) {
      print_error("--now: cannot read the date '" + now + "' (use 2026-11-22 or 2026-11-22T10:00:00Z)");
      return nullptr;
    }
    r->triage_.now = *t;
  }
  if (!o.baseline.empty()) {
    try {
      r->baseline_ = Baseline::load(o.baseline);
    } catch (const std::exception& e) {
      print_error(e.what());
      return nullptr;
    }
    r->triage_.baseline = &*r->baseline_;
  }
  return r;
}

void Report::on_input(InputResult&& r) {
  if (options_.verify) {
    held_.push_back(std::move(r));
    return;
  }
  process(std::move(r));
}

void Report::process(InputResult&& r) {
  // Grouped output is written at the end: findings (and, in JSON, skip records) are held
  // back. True when nothing of `r` is left for the reporter now.
  auto hold_for_grouping = [this](InputResult& held) {
    if (options_.group_by.empty()) return false;
    for (Finding& f : held.findings) grouped_.push_back(std::move(f));
    held.findings.clear();
    if (format_ != OutputFormat::json) return false;
    if (held.skipped) grouped_skips_.push_back(skipped_json(*held.skipped));
    return true;
  };
  if (replay_) {
    for (const Finding& f : r.findings)
      if (!f.suppression && f.level >= fail_on_) ++failing_;
    if (hold_for_grouping(r)) return;
    reporter_->on_input(std::move(r));
    return;
  }
  for (Finding& f : r.findings) {
    triage(f, triage_);
    if (config_) {
      std::string relative = std::filesystem::path(f.location.path).lexically_normal().lexically_relative(
          std::filesystem::path(config_->folder.empty() ? "." : config_->folder).lexically_normal()).generic_string();
      config_->apply(f, relative.empty() || relative.rfind("..", 0) == 0 ? f.location.path : relative);
    }
    if (f.git && !f.git->allow_comment_added_by.empty())
      new_allow_comments_.push_back(f.location.path + ":" + std::to_string(f.location.line) + " (" + f.rule_id +
                                    ", commit " + f.git->allow_comment_added_by.substr(0, 12) + ")");
    if (f.suppression) ++suppressed_[f.verdict];
    else if (f.level >= fail_on_) ++failing_;
  }
  if (!options_.include_suppressed)
    r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(), [](const Finding& f) { return f.suppression.has_value(); }),
                     r.findings.end());
  if (hold_for_grouping(r)) return;
  if (shard_ && !r.findings.empty())
    *out_ << input_record(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  reporter_->on_input(std::move(r));
}

bool Report::set_shard(ShardSpec shard, nlohmann::json sweep) {
  if (format_ != OutputFormat::jsonl) {
    print_error("--shard writes JSON Lines (the interchange `sfmc-scan merge` reads): use --format jsonl or -o FILE.jsonl");
    return false;
  }
  if (!options_.group_by.empty()) {
    print_error("--shard with --group-by: group when merging (sfmc-scan merge --group-by secret)");
    return false;
  }
  shard_ = shard;
  sweep_ = std::move(sweep);
  // What the SARIF of the merged report says about the run, as one machine would.
  sweep_["category"] = options_.sarif_category.empty() ? options_.default_category : options_.sarif_category;
  if (options_.version_control)
    sweep_["version_control"] = {{"repository_uri", options_.version_control->repository_uri},
                                 {"revision", options_.version_control->revision},
                                 {"branch", options_.version_control->branch}};
  return true;
}

namespace {
std::vector<std::string> g_command_line;
}

void set_command_line(int argc, char** argv) { g_command_line.assign(argv, argv + argc); }

nlohmann::json sweep_identity(const RuleSet& rules, const std::string& working_directory) {
  // Options that change neither what is found nor how it is written.
  static const std::set<std::string> with_value = {"--shard", "-o", "--output", "-j", "--threads", "--io-threads", "--io-timeout",
                                                   "--color", "--colour", "--fail-on", "--format", "--clone-dir"};
  static const std::set<std::string> flags = {"--no-progress", "--stats", "-q", "--quiet"};
  std::vector<std::string> args;
  for (std::size_t i = 1; i < g_command_line.size(); ++i) {
    const std::string& a = g_command_line[i];
    std::string name = a.substr(0, a.find('='));
    if (flags.count(a)) continue;
    if (with_value.count(name)) {
      if (name == a) ++i;  // its value is the next argument
      continue;
    }
    if ((a.rfind("-j", 0) == 0 || a.rfind("-o", 0) == 0) && a.size() > 2 && a[1] != '-') continue;  // -j2, -oFILE
    args.push_back(a);
  }
  std::string wd = working_directory.empty() ? std::filesystem::current_path().string() : working_directory;
  const char* now = std::getenv("SFMC_NOW");
  return {{"args", args}, {"rules", rules.digest}, {"now", now ? now : ""}, {"working_directory", wd}, {"version", SFMC_VERSION}};
}

bool sweep_has_flag(const nlohmann::json& sweep, const std::string& flag) {
  for (const auto& a : sweep.value("args", nlohmann::json::array()))
    if (a == flag) return true;
  return false;
}

int Report::finish(const ScanStats& scanned, bool error) {
  if (options_.verify) {
    std::vector<Finding*> secrets;
    for (InputResult& r : held_)
      for (Finding& f : r.findings) secrets.push_back(&f);
    Verifier(options_.verify_options).verify(secrets);
    for (InputResult& r : held_) process(std::move(r));
    held_.clear();
  }
  // Accepted findings are counted apart from the ones that need action.
  ScanStats stats = scanned;
  stats.new_allow_comments = new_allow_comments_;
  for (const auto& [verdict, n] : suppressed_) {
    stats.suppressed += n;
    stats.remove_findings(verdict, n);
  }
  if (!options_.group_by.empty()) {
    std::vector<SecretGroup> groups = group_by_secret(grouped_);
    if (format_ == OutputFormat::json) {
      nlohmann::json secrets = nlohmann::json::array();
      for (const SecretGroup& g : groups) secrets.push_back(group_json(g));
      nlohmann::json doc = {{"tool", {{"name", "sfmc-scan"}, {"version", SFMC_VERSION}}},
                            {"secrets", std::move(secrets)},
                            {"skipped", std::move(grouped_skips_)},
                            {"summary", summary_json(stats)}};
      *out_ << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else if (format_ == OutputFormat::jsonl) {
      for (const SecretGroup& g : groups) *out_ << group_json(g).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      reporter_->finish(stats);
    } else {
      write_inventory_text(groups, *out_);
      reporter_->finish(stats);
    }
  } else {
    reporter_->finish(stats);
  }
  if (shard_)
    *out_ << shard_record(shard_->index, shard_->count, sweep_, stats.shard_plan.value_or(ShardPlan{})).dump() << '\n' << std::flush;
  // The summary reaches the terminal whatever the report is and wherever it goes.
  if ((format_ != OutputFormat::text || to_file_) && !options_.quiet) std::cerr << "sfmc-scan: " << summary_line(stats) << '\n';
  for (const std::string& w : reporter_->warnings()) std::cerr << "sfmc-scan: warning: " << w << '\n';
  if (options_.stats) {
    nlohmann::json j = summary_json(stats);
    if (stats.io) {
      // How the sweep read: what was detected and chosen, so a slow sweep can be told apart.
      nlohmann::json stores = nlohmann::json::array();
      for (const MountEntry& m : stats.io->network_stores) stores.push_back({{"mount_point", m.mount_point}, {"type", m.type}});
      j["io"] = {{"requests_in_flight", stats.io->requests_in_flight},
                 {"chosen", stats.io->chosen ? "for the stores read" : "--io-threads"},
                 {"network_stores", std::move(stores)}};
    }
    std::cerr << j.dump(2) << '\n';
  }
  out_->flush();
  if (!*out_) {
    print_error("writing the report failed" + (options_.output.empty() ? std::string() : " (" + options_.output + ")"));
    return static_cast<int>(ExitCode::error);
  }
  if (!temp_path_.empty()) {
    const bool closed = publish_mode(filebuf_->fd()) && filebuf_->close() != nullptr;
    if (!closed || std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
      print_error("cannot write " + options_.output + ": " + std::strerror(errno));
      return static_cast<int>(ExitCode::error);
    }
    temp_path_.clear();
  }
  written_ = true;
  // A decoder module that could not be loaded left content undecoded: whatever else was
  // found, the run is not a clean bill, and CI must not pass it.
  error |= report_undecoded(undecoded_inputs(stats));
  if (error) return static_cast<int>(ExitCode::error);
  return failing_ ? options_.exit_code : static_cast<int>(ExitCode::clean);
}

}  // namespace sfmc::cli
