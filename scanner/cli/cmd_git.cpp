// `sfmc-scan git [REPO]`: every blob in history, or what a range, the index or a
// push adds, with the commit, author, date, path and refs of each finding.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <mutex>
#include <thread>
#include <map>
#include <set>
#include <tuple>

#include <unistd.h>

#include "cli/cli_common.hpp"
#include "cli/progress.hpp"
#include "report/sweep_state.hpp"
#include "engine/shard.hpp"
#include "report/location_uri.hpp"
#include "sources/git/changes.hpp"
#include "sources/git/commit_walk.hpp"
#include "engine/history_scan.hpp"
#include "sources/git/object_source.hpp"
#include "sources/git/provenance.hpp"
#include "sources/git/remote.hpp"

namespace sfmc::cli {

namespace {

using git::ObjectId;

struct GitCommand {
  RuleOptions rules;
  OutputOptions out;
  std::vector<std::string> repositories;  // paths or URLs; none: the repository around the current folder
  std::string repos_from;                 // --repos-from FILE
  std::string clone_dir;                  // --clone-dir DIR (default: a temporary folder, removed at the end)
  bool allow_insecure_http = false;       // --allow-insecure-http: credentials may go over plain http
  std::string shard;                      // --shard K/N: repositories are the unit
  std::string state;                      // --state FILE
  bool report_all = false;                // with --state: report findings reported before too
  bool all_objects = false;
  bool no_tree_check = false;
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
  // The refs reaching each commit that may hold a finding, in one pass over history,
  // and only when there is a finding to place.
  std::map<std::string, std::vector<std::string>> refs_of;
  {
    std::set<std::string> asked;
    for (const InputResult& r : scanned)
      if (!r.findings.empty())
        for (const git::Change* c : by_blob[r.object_id])
          if (c->commit) asked.insert(c->commit->id);
    if (!asked.empty() && changes.objects) {
      std::vector<git::RefTip> tips = git::list_ref_tips(repo);
      std::vector<ObjectId> tip_ids, commits;
      for (const git::RefTip& t : tips) tip_ids.push_back(t.commit);
      for (const std::string& id : asked) {
        git_oid oid;
        git_oid_fromstr(&oid, id.c_str());
        commits.push_back(git::to_id(oid));
      }
      std::vector<std::vector<uint32_t>> reached = git::tips_reaching(*changes.objects, tip_ids, commits);
      std::size_t k = 0;
      for (const std::string& id : asked) {
        std::vector<std::string>& names = refs_of[id];
        for (uint32_t t : reached[k]) names.push_back(tips[t].name);
        std::sort(names.begin(), names.end());
        ++k;
      }
    }
  }
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
        if (c->commit) copy.git->refs = refs_of[c->commit->id];
        // An allow comment on a line the change adds (the only lines reported here) is
        // the change waiving its own finding: not honoured, and said. The author's own
        // pre-commit (--staged, no commit) keeps honouring it.
        if (c->commit && copy.suppression && copy.suppression->kind == "inSource") {
          copy.git->allow_comment_added_by = c->commit->id;
          copy.suppression.reset();
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

// One repository's sweep, in the mode asked for, results in path order.
struct RepoSweep {
  std::vector<Skipped> notes;
  std::vector<InputResult> results;
  ScanStats stats;
};

// `changes`: change modes only (one repository), worked out before the configuration
// that judges them was chosen.
RepoSweep sweep_repository(const GitCommand& c, const ScanEngine& engine, git_repository* repo, const ScanOptions& so,
                           const std::string& name, const std::optional<git::ChangeSet>& changes) {
  RepoSweep out;
  std::string repo_path = git_repository_path(repo);
  if (git::is_partial_clone(repo))
    out.notes.push_back({".", SkipReason::partial_clone,
                         "partial clone: objects the filter left on the server were never fetched and were not scanned"});
  if (git_repository_is_shallow(repo) == 1)
    out.notes.push_back({".", SkipReason::shallow,
                         "shallow clone: history before the shallow boundary is not in this repository and was not scanned"});
  std::vector<InputResult> scanned;  // what the post-pass needs: results with findings or problems
  NotableResults collected(scanned);
  if (changes) {
    out.notes.insert(out.notes.end(), changes->notes.begin(), changes->notes.end());
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
    git::BlobListSource source(repo_path, std::move(items), changes->objects);
    out.stats = engine.scan(source, so, collected);
    out.results = attribute(repo, std::move(scanned), *changes);
    // The messages of the commits (and annotated tags) the range or push sends.
    for (InputResult& m : scan_messages(engine, repo, changes->commits, so)) out.results.push_back(std::move(m));
  } else {
    // Not an error (a fresh repository is clean), but "0 findings" alone would read
    // as if history had been looked at.
    // (git_repository_is_empty knows only the default branch name libgit2 assumes.)
    if (git_repository_head_unborn(repo) == 1 && git::list_ref_tips(repo).empty() && !c.all_objects && !c.out.quiet)
      std::cerr << "sfmc-scan: " << name
                << " has no commits yet: there is no history to scan (what is staged: `sfmc-scan git --staged`)\n";
    note_submodules(repo, out.notes);
    HistoryScanOptions ho;
    ho.scan = so;
    ho.all_objects = c.all_objects;
    ho.check_trees = !c.no_tree_check;
    HistoryScan swept = scan_history(repo_path, engine, ho);
    out.stats = swept.stats;
    out.results = std::move(swept.results);
    if (std::getenv("SFMC_HISTORY_PHASES"))  // for bench/git-compare.sh
      std::cerr << "phases (wall s / cpu s): sweep " << swept.seconds.sweep << " / " << swept.cpu_seconds.sweep << ", graph "
                << swept.seconds.graph << " / " << swept.cpu_seconds.graph << ", trees " << swept.seconds.trees << " / "
                << swept.cpu_seconds.trees << ", attribution " << swept.seconds.attribution << " / "
                << swept.cpu_seconds.attribution << "; peak MB after each: " << swept.peak_mb.sweep << ", "
                << swept.peak_mb.graph << ", " << swept.peak_mb.trees << ", " << swept.peak_mb.attribution << "\n";
  }
  // Output in path order, whatever order the object database held the blobs in.
  std::stable_sort(out.results.begin(), out.results.end(), [](const InputResult& a, const InputResult& b) {
    return std::tie(a.path, a.object_id) < std::tie(b.path, b.object_id);
  });
  return out;
}

// The repositories of a run: command-line ones, then --repos-from's (one a line, '#' comments).
bool list_repositories(const GitCommand& c, std::vector<std::string>& out) {
  out = c.repositories;
  if (!c.repos_from.empty()) {
    std::ifstream in(c.repos_from);
    if (!in) {
      print_error("cannot read --repos-from " + c.repos_from);
      return false;
    }
    for (std::string line; std::getline(in, line);) {
      if (std::size_t hash = line.find('#'); hash != std::string::npos && (hash == 0 || std::isspace(static_cast<unsigned char>(line[hash - 1]))))
        line.erase(hash);
      std::size_t b = line.find_first_not_of(" \t\r"), e = line.find_last_not_of(" \t\r");
      if (b != std::string::npos) out.push_back(line.substr(b, e - b + 1));
    }
  }
  if (out.empty() && c.repos_from.empty()) out.push_back(".");
  return true;
}

// Bytes in a local repository's object database: the weight of a repository in --shard.
git::Repository open_exactly(const std::string& path);

uint64_t object_bytes(const std::string& repository) {
  uint64_t n = 0;
  try {
    git::Repository repo = open_exactly(repository);
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(std::filesystem::path(git_repository_path(repo.get())) / "objects", ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec)) n += it->file_size(ec);
  } catch (const git::GitError&) {
  }
  return n;
}

// A repository of a fleet is the folder named, never one found by searching upwards
// from it (a folder that is no repository must not sweep the repository around it).
git::Repository open_exactly(const std::string& path) {
  git::ensure_initialised();
  git_repository* repo = nullptr;
  git::check(git_repository_open_ext(&repo, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr),
             "cannot open a git repository at " + path);
  return git::Repository(repo);
}

// Repositories larger than this are swept one after another with every thread; smaller
// ones side by side, one thread each, where per-repository overheads (opening, planning
// packs, the provenance walk) would otherwise leave cores idle.
constexpr uint64_t kSideBySideBytes = 32ull << 20;

struct FleetEntry {
  std::string spec;  // as given
  std::string name;  // as reported (URL without secrets)
  bool remote = false;
  bool mine = true;      // this shard's
  bool skipped = false;  // unchanged since the state's last sweep
  std::optional<RepoSweep> sweep;
  std::optional<SweepState::Tips> tips;
  std::string error;
};

SweepState::Tips tips_of(git_repository* repo) {
  SweepState::Tips tips;
  for (const git::RefTip& t : git::list_ref_tips(repo)) tips[t.name] = git::hex(t.commit);
  return tips;
}

// Names a result by its repository: "repo!path", as an archive names its members. A
// message finding has no path (its commit names the place): only its repository is set.
void prefix_repository(InputResult& r, const std::string& name) {
  if (!r.path.empty() || !r.chain.empty()) {
    if (r.chain.empty()) r.chain.push_back(r.path);
    r.chain.insert(r.chain.begin(), name);
    r.path.clear();
    for (std::size_t i = 0; i < r.chain.size(); ++i) r.path += (i ? "!" : "") + r.chain[i];
  }
  for (Finding& f : r.findings) {
    if (!f.location.path.empty()) f.location.path = r.path;
    if (!f.git) f.git = GitOrigin{};
    f.git->repository = name;
  }
  if (r.skipped) {
    r.skipped->repository = name;
    r.skipped->path = r.skipped->path == "." || r.skipped->path.empty() ? name : name + "!" + r.skipped->path;
  }
}

int run(GitCommand c, CLI::App& cmd) {
  int modes = c.all_objects + !c.range.empty() + !c.since_commit.empty() + c.staged + c.pre_push;
  if (modes > 1) {
    print_error("choose one of --all-objects, --range, --since-commit, --staged, --pre-push");
    return static_cast<int>(ExitCode::error);
  }
  const bool change_mode = c.staged || c.pre_push || !c.range.empty() || !c.since_commit.empty();
  if (!c.state.empty() && change_mode) {
    print_error("--state records whole-history sweeps; it does not combine with --range, --since-commit, --staged or --pre-push");
    return static_cast<int>(ExitCode::error);
  }
  std::vector<std::string> specs;
  if (!list_repositories(c, specs)) return static_cast<int>(ExitCode::error);
  bool any_remote = std::any_of(specs.begin(), specs.end(), [](const std::string& s) { return git::is_remote(s); });
  // A fleet: reports name each result's repository. One local repository reads as before.
  const bool fleet = specs.size() != 1 || !c.repos_from.empty() || any_remote || !c.shard.empty();
  if (fleet && change_mode) {
    print_error("--range, --since-commit, --staged and --pre-push judge the changes of one local repository; name just one");
    return static_cast<int>(ExitCode::error);
  }
  std::optional<ShardSpec> shard;
  if (!c.shard.empty()) {
    std::string why;
    shard = parse_shard(c.shard, why);
    if (!shard) {
      print_error(why);
      return static_cast<int>(ExitCode::error);
    }
  }
  auto started = std::chrono::steady_clock::now();
  try {
    std::vector<FleetEntry> entries;
    for (const std::string& s : specs) {
      FleetEntry e;
      e.spec = s;
      e.remote = git::is_remote(s);
      e.name = e.remote ? git::shown_url(s) : s;
      entries.push_back(std::move(e));
    }
    std::string base;
    std::optional<ProjectConfig> config;
    std::optional<Baseline> base_baseline;
    std::optional<git::ChangeSet> changes;
    if (!fleet) {
      git::Repository repo = git::open_repository(specs[0]);
      const char* workdir = git_repository_workdir(repo.get());
      base = workdir ? workdir : git_repository_path(repo.get());
      // What a pull request or push adds is judged by the configuration it is compared
      // against, never by its own: otherwise it could allow-list the secret it adds.
      const bool judged_by_base = change_mode && !c.staged;
      if (change_mode)
        changes = c.staged     ? git::staged_changes(repo.get())
                  : c.pre_push ? git::push_changes(repo.get(), std::cin)
                               : git::range_changes(repo.get(), c.range.empty() ? c.since_commit : c.range);
      if (judged_by_base && c.config.empty()) {
        if (!load_base_config(repo.get(), changes->base, cmd, c, workdir ? workdir : "", config, base_baseline))
          return static_cast<int>(ExitCode::error);
      } else {
        // The working tree's .sfmc-scan.toml (as checked out now), or --config.
        if (!use_project_config(c.config, workdir ? workdir : "", cmd, c.rules, c.out, nullptr, config))
          return static_cast<int>(ExitCode::error);
        if (config) config->folder.clear();  // history paths are already relative to the working tree
      }
    } else if (!c.config.empty()) {
      // A fleet has no one working tree: only an explicit --config applies, to every repository.
      if (!use_project_config(c.config, "", cmd, c.rules, c.out, nullptr, config)) return static_cast<int>(ExitCode::error);
      if (config) config->folder.clear();
    }
    std::unique_ptr<ScanEngine> engine = load_engine(c.rules);
    if (!engine) return static_cast<int>(ExitCode::error);

    ShardPlan plan;
    if (shard) {
      // Remote sizes are unknown before fetching: each weighs what the local ones weigh on average.
      std::vector<uint64_t> weights;
      uint64_t local_total = 0, locals = 0;
      for (const FleetEntry& e : entries) {
        weights.push_back(e.remote ? 0 : object_bytes(e.spec) + 1);
        if (!e.remote) local_total += weights.back(), ++locals;
      }
      uint64_t remote_weight = locals ? local_total / locals : (1u << 20);
      for (std::size_t i = 0; i < entries.size(); ++i)
        if (entries[i].remote) weights[i] = remote_weight;
      std::vector<unsigned> owner = split_by_weight(weights, shard->count);
      for (std::size_t i = 0; i < entries.size(); ++i) {
        entries[i].mine = owner[i] == shard->index;
        plan.weight += weights[i];
      }
      plan.items = entries.size();
    }

    std::optional<SweepState> state;
    if (!c.state.empty()) state.emplace(c.state);
    const std::string mode = c.all_objects ? "all-objects" : "reachable";

    // Remote repositories are mirrored here for the run (or kept, with --clone-dir).
    if (c.allow_insecure_http && std::any_of(specs.begin(), specs.end(), [](const std::string& s) { return s.rfind("http://", 0) == 0; }))
      print_warning("--allow-insecure-http: credentials an http:// server asks for are sent unencrypted, readable on the way");
    std::string clone_dir = c.clone_dir;
    bool temporary_clones = false;
    if (any_remote && clone_dir.empty()) {
      std::string tmpl = (std::filesystem::temp_directory_path() / "sfmc-scan-clones-XXXXXX").string();
      if (!::mkdtemp(tmpl.data())) {
        print_error("cannot make a temporary folder for clones: " + std::string(std::strerror(errno)));
        return static_cast<int>(ExitCode::error);
      }
      clone_dir = tmpl;
      temporary_clones = true;
    }
    struct RemoveClones {
      std::string dir;
      ~RemoveClones() {
        std::error_code ec;
        if (!dir.empty()) std::filesystem::remove_all(dir, ec);
      }
    } remove_clones{temporary_clones ? clone_dir : ""};

    unsigned threads = c.out.threads ? c.out.threads : std::max(1u, std::thread::hardware_concurrency());
    ScanOptions so;
    so.threads = threads;
    so.max_file_size = c.out.max_file_size;
    so.decode = c.out.decode;
    ScanProgress progress;
    so.progress = &progress;

    // Opens (fetching first, for a URL) and sweeps one repository. `side_by_side`: a big
    // one is left for afterwards, when it can have every thread.
    auto sweep_entry = [&](FleetEntry& e, bool side_by_side) {
      if (fleet) {
        std::lock_guard<std::mutex> lock(progress.mutex);
        progress.repository = e.name;
      }
      // Counted once swept, or failed: not when left for afterwards.
      struct Counted {
        ScanProgress& progress;
        bool left = false;
        ~Counted() {
          if (!left) ++progress.repositories_done;
        }
      } counted{progress};
      try {
        std::string path = e.spec;
        if (e.remote) path = git::mirror(git::checked_url(e.spec), git::MirrorOptions{clone_dir, c.allow_insecure_http});
        if (side_by_side && !e.remote && object_bytes(path) > kSideBySideBytes) return !(counted.left = true);
        if (side_by_side && e.remote && object_bytes(path) > kSideBySideBytes) {
          e.spec = path, e.remote = false;  // fetched: sweep the mirror later
          return !(counted.left = true);
        }
        git::Repository repo = fleet ? open_exactly(path) : git::open_repository(path);
        if (state) {
          e.tips = tips_of(repo.get());
          git_odb* odb = nullptr;
          git::check(git_repository_odb(&odb, repo.get()), "cannot open the object database");
          git::Odb owned(odb);
          auto exists = [&](const std::string& hex_id) {
            git_oid oid;
            return git_oid_fromstr(&oid, hex_id.c_str()) == 0 && git_odb_exists(odb, &oid) == 1;
          };
          if (state->unchanged(e.name, mode, *e.tips, exists)) {
            e.skipped = true;
            return true;
          }
        }
        ScanOptions mine = so;
        if (side_by_side) mine.threads = 1;
        e.sweep = sweep_repository(c, *engine, repo.get(), mine, e.name, changes);
      } catch (const git::GitError& err) {
        if (!fleet) throw;
        e.error = err.what();
      }
      return true;
    };

    std::vector<std::size_t> todo;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (entries[i].mine) todo.push_back(i);
    // On a terminal, the line goes until the sweeps are done: what the report says comes after.
    std::optional<ProgressLine> line;
    if (fleet) progress.repositories_total = todo.size();
    line.emplace(progress, !c.out.no_progress && !c.out.quiet && ::isatty(STDERR_FILENO));
    if (fleet && todo.size() > 1 && threads > 1) {
      std::vector<std::size_t> later;
      std::mutex later_mutex;
      std::atomic<std::size_t> next{0};
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < std::min<std::size_t>(threads, todo.size()); ++t)
        pool.emplace_back([&] {
          for (std::size_t k; (k = next++) < todo.size();)
            if (!sweep_entry(entries[todo[k]], true)) {
              std::lock_guard<std::mutex> lock(later_mutex);
              later.push_back(todo[k]);
            }
        });
      for (std::thread& t : pool) t.join();
      std::sort(later.begin(), later.end());
      todo = later;
    }
    for (std::size_t i : todo) sweep_entry(entries[i], false);
    line.reset();

    // One category for whole-history and range scans: GitHub compares a pull request's
    // alerts with the default branch's of the same category.
    c.out.default_category = c.all_objects ? "sfmc-scan/git-all-objects/" : "sfmc-scan/git/";
    if (!fleet) {  // a fleet has no one repository to name
      git::Repository repo = git::open_repository(specs[0]);
      git::RepositoryIdentity identity = git::describe_repository(repo.get());
      c.out.version_control = VersionControl{repository_uri(identity.remote_url), identity.head_commit, identity.branch};
    }
    std::unique_ptr<Report> report = Report::open(c.out, engine->rules(), base);
    if (!report) return static_cast<int>(ExitCode::error);
    if (config) report->set_project_config(&*config);
    if (base_baseline) report->use_baseline(std::move(*base_baseline));
    if (shard && !report->set_shard(*shard, sweep_identity(engine->rules(), base))) return static_cast<int>(ExitCode::error);
    ScanStats stats;
    std::size_t attempted = 0, unavailable = 0;
    std::vector<std::pair<std::size_t, std::set<std::string>>> completed;  // for the state: repository, missing objects
    std::vector<InputResult> emitted;  // kept until the state is saved (findings it records)
    for (std::size_t i = 0; i < entries.size(); ++i) {
      FleetEntry& e = entries[i];
      if (!e.mine) continue;
      ++attempted;
      if (!e.error.empty()) {
        ++unavailable;
        ++stats.skipped_by_reason[SkipReason::repository_unavailable];
        InputResult r;
        r.path = e.name;
        r.skipped = Skipped{e.name, SkipReason::repository_unavailable, e.error, e.name};
        report->on_input(std::move(r));
        continue;
      }
      if (e.skipped || !e.sweep) continue;
      RepoSweep& sw = *e.sweep;
      stats.inputs_scanned += sw.stats.inputs_scanned;
      stats.bytes_scanned += sw.stats.bytes_scanned;
      for (const auto& [reason, n] : sw.stats.skipped_by_reason) stats.skipped_by_reason[reason] += n;
      stats.decoded_not_archives += sw.stats.decoded_not_archives;
      bool complete = true;  // no object left unread: the state may record this sweep
      std::set<std::string> missing;  // absent objects: recorded, and the sweep redone when they arrive
      for (const Skipped& n : sw.notes) {
        ++stats.skipped_by_reason[n.reason];
        InputResult r;
        r.path = n.path;
        r.skipped = n;
        if (fleet) prefix_repository(r, e.name);
        report->on_input(std::move(r));
      }
      std::vector<const Finding*> found;
      for (InputResult& r : sw.results) {
        // Content left unread (not a damaged archive, whose bytes were matched; a mail or
        // PDF whose decoder module was missing) must be tried again. A member of an archive
        // inside a blob that cannot be read is damaged for good: a blob never changes, so
        // trying again would read the same bytes. Missing objects are recorded below, to
        // be looked for again.
        const bool inside_blob = r.chain.size() > 1;
        if (r.skipped && r.skipped->reason != SkipReason::missing_object &&
            (r.skipped->reason == SkipReason::unreadable
                 ? !inside_blob
                 : r.skipped->reason == SkipReason::findings_limit || leaves_content_unscanned(r.skipped->reason)))
          complete = false;
        if (r.skipped && r.skipped->reason == SkipReason::missing_object) {
          if (r.object_id == ObjectId{}) complete = false;  // more than were listed: not all known
          else missing.insert(git::hex(r.object_id));
        }
        if (fleet) prefix_repository(r, e.name);
        if (state && !c.report_all)
          r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(),
                                          [&](const Finding& f) { return state->reported(e.name, f); }),
                           r.findings.end());
        for (const Finding& f : r.findings) ++stats.findings_by_verdict[f.verdict];
        if (r.findings.empty() && !r.skipped) continue;
        emitted.push_back(r);
        report->on_input(std::move(r));
      }
      if (complete) completed.push_back({i, std::move(missing)});
    }
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (shard) stats.shard_plan = plan;
    bool all_failed = fleet && attempted > 0 && unavailable == attempted;
    if (all_failed) print_error("no repository of the sweep could be opened or fetched");
    int status = report->finish(stats, all_failed);
    // Saved unless the report itself failed: repositories left incomplete (an input
    // left undecoded, say) are not in `completed`, so the next sweep redoes just those.
    if (state && report->written() && !all_failed) {
      // Only now that the report is written: the findings it holds count as reported.
      std::map<std::string, std::vector<const Finding*>> by_repo;
      for (const InputResult& r : emitted)
        for (const Finding& f : r.findings) by_repo[f.git && !f.git->repository.empty() ? f.git->repository : entries[0].name].push_back(&f);
      for (auto& [i, missing] : completed)
        if (entries[i].tips) state->record(entries[i].name, mode, *entries[i].tips, by_repo[entries[i].name], std::move(missing));
      if (!state->save()) {
        print_error("cannot write the state " + state->path() + ": " + std::strerror(errno) + " (the previous state is kept)");
        return static_cast<int>(ExitCode::error);
      }
    }
    return status;
  } catch (const git::GitError& e) {
    print_error(e.what());
    return static_cast<int>(ExitCode::error);
  } catch (const std::runtime_error& e) {
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
  cmd->add_option("repositories", c->repositories,
                  "Repositories (working trees, bare repositories, worktrees) or URLs (https://, ssh://, git://, file://) "
                  "(default: the repository around the current folder)");
  cmd->add_option("--repos-from", c->repos_from, "Read repositories or URLs from this file, one a line ('#' comments)");
  cmd->add_option("--clone-dir", c->clone_dir,
                  "Keep bare mirrors of remote repositories here and update them on later runs (default: a temporary folder, removed afterwards)");
  cmd->add_flag("--allow-insecure-http", c->allow_insecure_http,
                "Send credentials to an http:// URL's server in the clear when it asks (never after a redirect); refused otherwise");
  cmd->add_option("--shard", c->shard,
                  "K/N: sweep only the K-th of N byte-balanced, contiguous parts of the repository list (K from 0); writes a shard report for `sfmc-scan merge`");
  cmd->add_option("--state", c->state,
                  "Monitoring state: skip repositories whose refs did not move since the last sweep recorded here, report only new findings, and update it");
  cmd->add_flag("--report-all", c->report_all, "With --state: also report findings earlier sweeps reported");
  cmd->add_flag("--all-objects", c->all_objects,
                "Every blob in the object database, reachable or not (what an amend or reset left behind until gc)");
  cmd->add_flag("--no-tree-check", c->no_tree_check,
                "Read trees only when a finding or warning needs a path: faster on a clean repository, but blobs the "
                "history names and the repository lacks (missing-object) go unreported");
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
