// `sfmc-scan git [REPO]`: every blob in history, or what a range, the index or a
// push adds, with the commit, author, date, path and refs of each finding.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <set>
#include <tuple>

#include "cli/cli_common.hpp"
#include "report/location_uri.hpp"
#include "sources/git/changes.hpp"
#include "engine/history_scan.hpp"
#include "sources/git/object_source.hpp"
#include "sources/git/provenance.hpp"

namespace sfmc::cli {

namespace {

using git::ObjectId;

struct GitCommand {
  RuleOptions rules;
  OutputOptions out;
  std::string repository = ".";
  bool all_objects = false;
  std::string range;
  std::string since_commit;
  bool staged = false;
  bool pre_push = false;
  std::string config;
};

// Gitlinks in HEAD's tree: submodules, whose content lives in another repository.
void note_submodules(git_repository* repo, std::vector<Skipped>& notes) {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, repo, "HEAD^{tree}") != 0) return;
  git::Tree tree(reinterpret_cast<git_tree*>(obj));
  git_tree_walk(
      tree.get(), GIT_TREEWALK_PRE,
      [](const char* root, const git_tree_entry* e, void* payload) {
        if (git_tree_entry_filemode(e) == GIT_FILEMODE_COMMIT)
          static_cast<std::vector<Skipped>*>(payload)->push_back(
              {std::string(root) + git_tree_entry_name(e), SkipReason::submodule,
               "submodule: its content lives in another repository and was not scanned"});
        return 0;
      },
      &notes);
}

// A partial clone (git clone --filter=...) names its promisor remote in the config.
bool is_partial_clone(git_repository* repo) {
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) != 0) return false;
  bool partial = false;
  const char* value = nullptr;
  if (git_config_get_string(&value, cfg, "extensions.partialclone") == 0 && value && *value) partial = true;
  git_config_iterator* it = nullptr;
  if (!partial && git_config_iterator_glob_new(&it, cfg, "remote\\..*\\.promisor") == 0) {
    git_config_entry* e = nullptr;
    while (git_config_next(&e, it) == 0)
      if (std::string(e->value) == "true") partial = true;
    git_config_iterator_free(it);
  }
  git_config_free(cfg);
  return partial;
}

GitOrigin origin_of(const ObjectId& blob, const std::optional<git::CommitInfo>& commit) {
  GitOrigin o;
  o.blob = git::hex(blob);
  if (commit) {
    o.commit = commit->id;
    o.author = commit->author;
    o.date = commit->date;
    o.time = commit->time;
  }
  return o;
}

// Change modes: each change keeps the findings on the lines it adds.
std::vector<InputResult> attribute(git_repository* repo, std::vector<InputResult> scanned, const git::ChangeSet& changes) {
  std::map<ObjectId, std::vector<const git::Change*>> by_blob;
  for (const git::Change& c : changes.changes) by_blob[c.blob].push_back(&c);
  std::optional<std::vector<git::RefTip>> tips;  // listed only when there is a finding to place
  std::map<std::string, std::vector<std::string>> refs_of;  // per commit: asked once
  std::vector<InputResult> out;
  for (InputResult& r : scanned) {
    if (r.findings.empty()) {
      out.push_back(std::move(r));
      continue;
    }
    for (const git::Change* c : by_blob[r.object_id]) {
      // Lines are the blob's own: a finding inside an archive member or in text decoded
      // from another encoding cannot be placed on them, so it counts whenever its blob is new.
      const bool by_line = r.chain.size() <= 1;
      std::set<uint64_t> added;
      if (by_line) added = git::added_lines(repo, c->old_blobs, c->blob);
      InputResult per;
      per.chain = r.chain;
      per.object_id = r.object_id;
      per.scanned = true;
      per.bytes = r.bytes;
      for (const Finding& f : r.findings) {
        if (by_line && (f.encoding == "utf-8" || f.encoding == "binary") && !added.count(f.location.line)) continue;
        Finding copy = f;
        copy.git = origin_of(c->blob, c->commit);
        if (c->commit) {
          auto [it, inserted] = refs_of.try_emplace(c->commit->id);
          if (inserted) {
            git_oid id;
            git_oid_fromstr(&id, c->commit->id.c_str());
            if (!tips) tips = git::list_ref_tips(repo);
            it->second = git::refs_reaching(repo, *tips, git::to_id(id));
          }
          copy.git->refs = it->second;
        }
        // An allow comment on a line the change adds is the change waiving its own
        // finding: it still counts, but the reviewer is shown it.
        if (c->commit && copy.suppression && copy.suppression->kind == "inSource") {
          copy.suppression->added_in_range = c->commit->id;
          copy.suppression->justification += ", added in the scanned changes by commit " + c->commit->id;
        }
        per.findings.push_back(std::move(copy));
      }
      name_by_path(per, c->path);
      if (!per.findings.empty()) out.push_back(std::move(per));
    }
  }
  return out;
}

// Range and push modes: the project configuration (and the baseline it names) as the
// base commit has them, read from its tree. Without a base commit (a push of a new
// branch), none: only --config and --baseline given explicitly apply.
bool load_base_config(git_repository* repo, const std::optional<ObjectId>& base, CLI::App& cmd, GitCommand& c,
                      const std::string& workdir, std::optional<ProjectConfig>& config, std::optional<Baseline>& baseline) {
  const std::string file = ".sfmc-scan.toml";
  std::optional<std::string> text = base ? git::file_at(repo, *base, file) : std::nullopt;
  // Said when it matters: the working tree's file differs from the one that applies.
  std::ifstream here(std::filesystem::path(workdir.empty() ? "/nonexistent" : workdir) / file, std::ios::binary);
  std::string here_text((std::istreambuf_iterator<char>(here)), std::istreambuf_iterator<char>());
  if (!c.out.quiet && here && here_text != text.value_or(""))
    std::cerr << "sfmc-scan: note: the working tree's " << file << " is not used: the changes are judged by "
              << (text ? "the base commit's (" + git::hex(*base).substr(0, 12) + ")" : std::string("none (the base has none)"))
              << ", so they cannot waive their own findings (--config FILE to choose one)\n";
  if (!text) return true;
  const std::string name = git::hex(*base).substr(0, 12) + ":" + file;
  try {
    config = ProjectConfig::parse(*text, name, "");
  } catch (const std::exception& e) {
    print_error(e.what());
    return false;
  }
  if (!apply_project_config(cmd, c.rules, c.out, nullptr, *config)) return false;
  if (!config->baseline || cmd.count("--baseline")) return true;
  std::string path = std::filesystem::path(*config->baseline).lexically_normal().generic_string();
  std::optional<std::string> content = git::file_at(repo, *base, path);
  if (!content) {
    std::cerr << "sfmc-scan: warning: " << name << " names the baseline " << path
              << ", which the base commit does not have: no baseline applies\n";
    return true;
  }
  try {
    baseline = Baseline::parse(*content, git::hex(*base).substr(0, 12) + ":" + path);
  } catch (const std::exception& e) {
    print_error(e.what());
    return false;
  }
  return true;
}

int run(GitCommand c, CLI::App& cmd) {
  int modes = c.all_objects + !c.range.empty() + !c.since_commit.empty() + c.staged + c.pre_push;
  if (modes > 1) {
    print_error("choose one of --all-objects, --range, --since-commit, --staged, --pre-push");
    return static_cast<int>(ExitCode::error);
  }
  try {
    git::Repository repo = git::open_repository(c.repository);
    const char* workdir = git_repository_workdir(repo.get());
    std::string base = workdir ? workdir : git_repository_path(repo.get());
    const bool change_mode = c.staged || c.pre_push || !c.range.empty() || !c.since_commit.empty();
    // What a pull request or push adds is judged by the configuration it is compared
    // against, never by its own: otherwise it could allow-list the secret it adds.
    const bool judged_by_base = change_mode && !c.staged;
    std::optional<git::ChangeSet> changes;
    if (change_mode)
      changes = c.staged     ? git::staged_changes(repo.get())
                : c.pre_push ? git::push_changes(repo.get(), std::cin)
                             : git::range_changes(repo.get(), c.range.empty() ? c.since_commit : c.range);
    std::optional<ProjectConfig> config;
    std::optional<Baseline> base_baseline;
    if (judged_by_base && c.config.empty()) {
      if (!load_base_config(repo.get(), changes->base, cmd, c, workdir ? workdir : "", config, base_baseline))
        return static_cast<int>(ExitCode::error);
    } else {
      // The working tree's .sfmc-scan.toml (as checked out now), or --config.
      if (!use_project_config(c.config, workdir ? workdir : "", cmd, c.rules, c.out, nullptr, config))
        return static_cast<int>(ExitCode::error);
      if (config) config->folder.clear();  // history paths are already relative to the working tree
    }
    std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
    if (!engine) return static_cast<int>(ExitCode::error);
    std::string repo_path = git_repository_path(repo.get());

    std::vector<Skipped> notes;
    if (is_partial_clone(repo.get()))
      notes.push_back({".", SkipReason::partial_clone,
                       "partial clone: objects the filter left on the server were never fetched and were not scanned"});
    if (git_repository_is_shallow(repo.get()) == 1)
      notes.push_back({".", SkipReason::shallow,
                       "shallow clone: history before the shallow boundary is not in this repository and was not scanned"});

    ScanOptions so;
    so.threads = c.out.threads;
    so.max_file_size = c.out.max_file_size;
    so.decode = c.out.decode;
    std::vector<InputResult> scanned;  // what the post-pass needs: results with findings or problems
    NotableResults collected(scanned);
    ScanStats stats;
    std::vector<InputResult> results;
    if (change_mode) {
      notes.insert(notes.end(), changes->notes.begin(), changes->notes.end());
      // Each distinct blob is read once, named by the first path it comes with.
      std::vector<InputItem> items;
      std::set<ObjectId> seen;
      for (const git::Change& ch : changes->changes) {
        if (!seen.insert(ch.blob).second) continue;
        InputItem item;
        item.kind = InputItem::Kind::git_blob;
        item.object_id = ch.blob;
        item.path = ch.path;
        items.push_back(std::move(item));
      }
      git::BlobListSource source(repo_path, std::move(items));
      stats = engine->scan(source, so, collected);
      results = attribute(repo.get(), std::move(scanned), *changes);
      // The messages of the commits (and annotated tags) the range or push sends.
      for (InputResult& m : scan_messages(*engine, repo.get(), changes->commits, so)) results.push_back(std::move(m));
    } else {
      // Not an error (a fresh repository is clean), but "0 findings" alone would read
      // as if history had been looked at.
      // (git_repository_is_empty knows only the default branch name libgit2 assumes.)
      if (git_repository_head_unborn(repo.get()) == 1 && git::list_ref_tips(repo.get()).empty() && !c.all_objects && !c.out.quiet)
        std::cerr << "sfmc-scan: " << c.repository
                  << " has no commits yet: there is no history to scan (what is staged: `sfmc-scan git --staged`)\n";
      note_submodules(repo.get(), notes);
      HistoryScanOptions ho;
      ho.scan = so;
      ho.all_objects = c.all_objects;
      HistoryScan swept = scan_history(repo_path, *engine, ho);
      stats = swept.stats;
      results = std::move(swept.results);
      if (std::getenv("SFMC_HISTORY_PHASES"))  // for bench/git-compare.sh
        std::cerr << "phases (wall s / cpu s): sweep " << swept.seconds.sweep << " / " << swept.cpu_seconds.sweep << ", graph "
                  << swept.seconds.graph << " / " << swept.cpu_seconds.graph << ", trees " << swept.seconds.trees << " / "
                  << swept.cpu_seconds.trees << ", attribution " << swept.seconds.attribution << " / "
                  << swept.cpu_seconds.attribution << "\n";
    }

    // Output in path order, whatever order the object database held the blobs in.
    std::stable_sort(results.begin(), results.end(), [](const InputResult& a, const InputResult& b) {
      return std::tie(a.path, a.object_id) < std::tie(b.path, b.object_id);
    });
    // A change that waives its own finding with an allow comment is shown, as a suppressed
    // result (SARIF wants suppressions on every result or on none).
    for (const InputResult& r : results)
      for (const Finding& f : r.findings)
        if (f.suppression && !f.suppression->added_in_range.empty()) c.out.include_suppressed = true;
    // One category for whole-history and range scans: GitHub compares a pull request's
    // alerts with the default branch's of the same category.
    c.out.default_category = c.all_objects ? "sfmc-scan/git-all-objects/" : "sfmc-scan/git/";
    git::RepositoryIdentity identity = git::describe_repository(repo.get());
    c.out.version_control = VersionControl{repository_uri(identity.remote_url), identity.head_commit, identity.branch};
    std::unique_ptr<Report> report = Report::open(c.out, engine->rules(), base);
    if (!report) return static_cast<int>(ExitCode::error);
    if (config) report->set_project_config(&*config);
    if (base_baseline) report->use_baseline(std::move(*base_baseline));
    stats.findings_by_verdict.clear();
    for (const Skipped& n : notes) {
      ++stats.skipped_by_reason[n.reason];
      InputResult r;
      r.path = n.path;
      r.skipped = n;
      report->on_input(std::move(r));
    }
    for (InputResult& r : results) {
      for (const Finding& f : r.findings) ++stats.findings_by_verdict[f.verdict];
      report->on_input(std::move(r));
    }
    return report->finish(stats, false);
  } catch (const git::GitError& e) {
    print_error(e.what());
    return static_cast<int>(ExitCode::error);
  }
}

}  // namespace

std::vector<InputResult> history_findings(const ScanEngine& engine, const std::string& repository,
                                          const ScanOptions& options, bool all_objects, ScanStats& stats) {
  HistoryScanOptions ho;
  ho.scan = options;
  ho.all_objects = all_objects;
  HistoryScan swept = scan_history(repository, engine, ho);
  stats = swept.stats;
  return std::move(swept.results);
}

void register_git(CLI::App& app, int& exit_status) {
  auto c = std::make_shared<GitCommand>();
  CLI::App* cmd = app.add_subcommand(
      "git", "Scan a git repository's history: every blob reachable from any ref, each once (default)");
  cmd->add_option("repository", c->repository, "Repository, bare repository or worktree (default: the one around the current folder)");
  cmd->add_flag("--all-objects", c->all_objects,
                "Every blob in the object database, reachable or not (what an amend or reset left behind until gc)");
  cmd->add_option("--range", c->range, "Only blobs that the commits in A..B introduce, and only the lines they add");
  cmd->add_option("--since-commit", c->since_commit, "Same as --range COMMIT..HEAD");
  cmd->add_flag("--staged", c->staged, "What `git commit` would record: staged lines that HEAD does not have");
  cmd->add_flag("--pre-push", c->pre_push, "Read git's pre-push hook input on standard input; scan what the push sends");
  add_output_options(*cmd, c->out);
  add_rule_options(*cmd, c->rules);
  cmd->add_option("--config", c->config, "Project configuration (default: .sfmc-scan.toml in the working tree)");
  cmd->callback([c, cmd, &exit_status] { exit_status = run(*c, *cmd); });
}

}  // namespace sfmc::cli
