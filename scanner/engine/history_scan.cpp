#include "engine/history_scan.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>

#include "decode/content.hpp"
#include "engine/blob_scanner.hpp"
#include "sources/git/history_graph.hpp"
#include "sources/git/object_source.hpp"
#include "sources/git/objects.hpp"
#include "sources/git/pack_file.hpp"
#include "sources/git/provenance.hpp"
#include "sources/git/refs.hpp"

namespace sfmc {

using git::ObjectId;
using git::PackFile;

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
// CPU seconds of the whole process so far: on a shared machine the wall clock says
// little about where the work goes.
double cpu_now() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double peak_mb_now() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

// What one worker gathers; merged once all packs are done.
struct Local {
  std::unique_ptr<BlobScanner> scanner;
  std::vector<InputResult> results;   // blobs with findings, objects with problems
  std::vector<InputResult> messages;  // commit and tag messages with findings
  git::GraphPart graph;
  git::TreePart trees;
  uint64_t blobs = 0, bytes = 0;
  uint64_t not_archives = 0;
  std::map<SkipReason, uint64_t> skipped;

  BlobScanner& scan(const ScanEngine& engine) {
    if (!scanner) scanner = std::make_unique<BlobScanner>(engine);
    return *scanner;
  }
};

// Matches one blob's content; keeps what matters (findings and problems), counts the rest.
void scan_blob(Local& l, const ScanEngine& engine, const ScanOptions& options, const ObjectId& id, std::string_view content) {
  std::size_t before = l.results.size();
  auto ctx = l.scan(engine).context(options.max_file_size, options.decode, id, l.results);
  if (options.max_file_size > 0 && content.size() > options.max_file_size) {
    ctx->note({"", SkipReason::too_large,
               std::to_string(content.size()) + " bytes > --max-file-size " + std::to_string(options.max_file_size)},
              {git::hex(id)});
    ++l.skipped[SkipReason::too_large];
    return;
  }
  MemorySource source(content);
  ContentInfo info;
  info.chain = {git::hex(id)};
  scan_content(source, std::move(info), options.decode, *ctx);
  std::size_t keep = before;
  for (std::size_t k = before; k < l.results.size(); ++k) {
    InputResult& r = l.results[k];
    if (r.scanned) {
      l.blobs += 1 + r.folded;
      l.bytes += r.bytes;
    }
    if (r.skipped) ++l.skipped[r.skipped->reason];
    l.not_archives += r.decoded_not_archives;
    if (!r.findings.empty() || r.skipped) {
      if (k != keep) l.results[keep] = std::move(r);
      ++keep;
    }
  }
  l.results.resize(keep);
}

// What a worker did since `before` (a snapshot of its counters), told to the progress
// line once per run of delta families rather than once per object: the counters are
// shared by every thread.
struct ProgressSince {
  uint64_t blobs, bytes;
  std::size_t results;
  explicit ProgressSince(const Local& l) : blobs(l.blobs), bytes(l.bytes), results(l.results.size()) {}
  void tell(ScanProgress& p, const Local& l, uint64_t work) const {
    uint64_t found = 0;
    for (std::size_t k = results; k < l.results.size(); ++k) found += l.results[k].findings.size();
    p.inputs.fetch_add(l.blobs - blobs, std::memory_order_relaxed);
    p.bytes.fetch_add(l.bytes - bytes, std::memory_order_relaxed);
    p.findings.fetch_add(found, std::memory_order_relaxed);
    p.work_done.fetch_add(work, std::memory_order_relaxed);
  }
};

// A message is matched like a small file of its own; only its findings are kept.
void scan_message(Local& l, const ScanEngine& engine, const ScanOptions& options, const ObjectId& id, std::string_view message) {
  if (message.empty()) return;
  std::size_t before = l.messages.size();
  auto ctx = l.scan(engine).context(0, options.decode, id, l.messages);
  MemorySource source(message);
  ContentInfo info;
  info.chain = {git::hex(id)};
  scan_content(source, std::move(info), options.decode, *ctx);
  std::size_t keep = before;
  for (std::size_t k = before; k < l.messages.size(); ++k)
    if (!l.messages[k].findings.empty()) {
      if (k != keep) l.messages[keep] = std::move(l.messages[k]);
      ++keep;
    }
  l.messages.resize(keep);
}

InputResult damaged(const ObjectId& id, const std::string& why) {
  InputResult r;
  r.path = git::hex(id);
  r.object_id = id;
  r.skipped = Skipped{r.path, SkipReason::unreadable, why};
  return r;
}

InputResult missing(const ObjectId& id, const std::string& why) {
  InputResult r = damaged(id, why);
  r.skipped->reason = SkipReason::missing_object;
  return r;
}

// A commit, tag or tree whose content is in hand (from a pack or from libgit2).
void take_metadata(Local& l, const ScanEngine& engine, const ScanOptions& options, int type, const ObjectId& id,
                   std::string_view content) {
  if (type == PackFile::commit) {
    if (auto c = git::parse_commit(content)) {
      l.graph.add_commit(id, *c);
      scan_message(l, engine, options, id, c->message);
    } else {
      l.results.push_back(damaged(id, "not a valid commit object; its message was matched as bytes"));
      ++l.skipped[SkipReason::unreadable];
      scan_message(l, engine, options, id, content);
    }
  } else if (type == PackFile::tag) {
    if (auto t = git::parse_tag(content)) {
      l.graph.add_tag(id, *t);
      scan_message(l, engine, options, id, t->message);
    } else {
      l.results.push_back(damaged(id, "not a valid tag object; it was matched as bytes"));
      ++l.skipped[SkipReason::unreadable];
      scan_message(l, engine, options, id, content);
    }
  }
}

// Commits, tags and trees read through libgit2 (loose objects): larger than any real one.
constexpr std::size_t kMaxMetadataBytes = std::size_t{64} << 20;

// Decodes a family of small objects (trees) with its branches in parallel: a pack
// stores the trees at one path across history as one delta family, and the root
// folder's can hold every commit's root tree, far too much for one worker. Chains are
// followed in a loop; each branch point hands its other children to other workers,
// which read the base in place (it lives until they are done). A damaged member is
// reported through `failed` with the number of trees below it that could not be read
// either; what they held is placed by other trees where it can be.
template <typename Visit, typename Fail>
void decode_tree_family(const PackFile& pack, std::size_t root, const Visit& visit, const Fail& failed) {
  struct Node {
    static std::size_t descendants(const PackFile& pack, std::size_t object) {
      std::size_t n = 0;
      std::vector<std::size_t> stack{object};
      while (!stack.empty()) {
        std::size_t o = stack.back();
        stack.pop_back();
        for (uint32_t k : pack.children(o)) {
          ++n;
          stack.push_back(k);
        }
      }
      return n;
    }
    static void lost(const PackFile& pack, std::size_t object, const std::string& why, const Fail& failed) {
      failed(object, why, descendants(pack, object));
    }
    // `base` and `copies`: the layout of the tree `object` is a delta of, and what the
    // delta copied from it (none for a family's root).
    static void run(const PackFile& pack, std::size_t object, std::string content, const git::TreeLayout* base,
                    std::vector<PackFile::Copy> copies, const Visit& visit, const Fail& failed) {
      std::string delta, error;
      git::TreeLayout layout, next_layout;
      for (;;) {
        visit(object, std::string_view(content), base, std::span<const PackFile::Copy>(copies), layout);
        const std::span<const uint32_t> kids = pack.children(object);
        if (kids.empty()) return;
        tbb::task_group group;
        // All but the last child elsewhere; the last (the largest family) continues here.
        for (std::size_t k = 0; k + 1 < kids.size(); ++k)
          group.run([&pack, &content, &layout, &visit, &failed, child = kids[k]] {
            std::string d, e, out;
            std::vector<PackFile::Copy> c;
            if (pack.inflate(child, d, e) && PackFile::apply_delta(content, d, out, e, pack.max_content_size(child), &c))
              run(pack, child, std::move(out), &layout, std::move(c), visit, failed);
            else
              lost(pack, child, e, failed);
          });
        std::string next;
        bool ok = pack.inflate(kids.back(), delta, error) &&
                  PackFile::apply_delta(content, delta, next, error, pack.max_content_size(kids.back()), &copies);
        group.wait();  // the others read `content` and `layout`
        if (!ok) {
          lost(pack, kids.back(), error, failed);
          return;
        }
        object = kids.back();
        content = std::move(next);
        std::swap(layout, next_layout);  // next_layout: the base's, kept until this visit is done
        base = &next_layout;
      }
    }
  };
  std::string content, error;
  if (!pack.inflate(root, content, error)) {
    Node::lost(pack, root, error, failed);
    return;
  }
  Node::run(pack, root, std::move(content), nullptr, {}, visit, failed);
}

// Releases a pack's resident pages each time the workers have decoded about this much
// (objects' stated sizes: a proxy for the compressed bytes read), so a sweep's memory
// does not grow with the pack's size.
// Each object read maps whole neighbourhoods of pages (the kernel faults around), so
// small objects count too.
constexpr uint64_t kReleaseEveryBytes = uint64_t{16} << 20;
constexpr uint64_t kReleaseEveryObjects = 4000;
class PageRelease {
 public:
  explicit PageRelease(const PackFile& pack) : pack_(pack) {}
  void read(std::size_t object) {
    uint64_t bytes = bytes_.fetch_add(pack_.object_size(object), std::memory_order_relaxed) + pack_.object_size(object);
    uint64_t objects = objects_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (bytes < kReleaseEveryBytes && objects < kReleaseEveryObjects) return;
    bytes_.store(0, std::memory_order_relaxed);
    objects_.store(0, std::memory_order_relaxed);
    pack_.release_pages();
  }

 private:
  const PackFile& pack_;
  std::atomic<uint64_t> bytes_{0}, objects_{0};
};

struct SweptPack {
  std::unique_ptr<PackFile> pack;
  std::vector<bool> seen;  // also in an earlier pack: handled there
};

// Refs listed per finding: a handful, the most telling first (pseudo-refs such as a
// detached HEAD, then branches, tags, remote-tracking refs, the rest such as refs/pull/*).
constexpr std::size_t kRefsListed = 8;
int ref_rank(const std::string& name) {
  if (name.rfind("refs/", 0) != 0) return 0;
  if (name.rfind("refs/heads/", 0) == 0) return 1;
  if (name.rfind("refs/tags/", 0) == 0) return 2;
  if (name.rfind("refs/remotes/", 0) == 0) return 3;
  return 4;
}
void set_refs(GitOrigin& o, std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) { return ref_rank(a) < ref_rank(b); });
  o.ref_count = names.size();
  if (names.size() > kRefsListed) names.resize(kRefsListed);
  o.refs = std::move(names);
}

GitOrigin origin(const std::optional<git::CommitInfo>& commit) {
  GitOrigin o;
  if (commit) {
    o.commit = commit->id;
    o.author = commit->author;
    o.date = commit->date;
    o.time = commit->time;
  }
  return o;
}

void as_message(InputResult& r, GitOrigin o) {
  r.path.clear();
  r.chain.clear();
  for (Finding& f : r.findings) {
    f.location.path.clear();
    f.git = o;
  }
}

// A secret in a file that later changes is in every later version of it, each a blob of
// its own. Reported once: where and when it first appeared at that path. Messages are
// their own places: one per commit or tag.
std::vector<InputResult> keep_first_introductions(std::vector<InputResult> results) {
  struct Key {
    std::string rule, secret, place;
    bool operator<(const Key& o) const { return std::tie(rule, secret, place) < std::tie(o.rule, o.secret, o.place); }
  };
  auto place = [](const Finding& f) {
    if (!f.git || f.git->kind == GitObjectKind::blob) return f.location.path;
    return std::string(to_string(f.git->kind)) + ":" + f.git->commit + f.git->tag_object;
  };
  std::map<Key, std::pair<std::size_t, std::size_t>> first;  // -> (result, finding)
  for (std::size_t i = 0; i < results.size(); ++i)
    for (std::size_t j = 0; j < results[i].findings.size(); ++j) {
      const Finding& f = results[i].findings[j];
      if (f.git && f.git->kind == GitObjectKind::blob && f.location.path.empty()) continue;  // by blob id: each its own
      auto [it, inserted] = first.try_emplace(Key{f.rule_id, f.secret_sha256, place(f)}, i, j);
      if (inserted) continue;
      const Finding& kept = results[it->second.first].findings[it->second.second];
      // ISO dates compare as text only within one offset; the commit time decides.
      if (f.git && kept.git && std::tie(f.git->time, f.git->commit) < std::tie(kept.git->time, kept.git->commit))
        it->second = {i, j};
    }
  std::vector<std::vector<bool>> keep(results.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    keep[i].assign(results[i].findings.size(), false);
    for (std::size_t j = 0; j < results[i].findings.size(); ++j) {
      const Finding& f = results[i].findings[j];
      if (f.git && f.git->kind == GitObjectKind::blob && f.location.path.empty()) keep[i][j] = true;
    }
  }
  for (const auto& [key, at] : first) keep[at.first][at.second] = true;
  std::vector<InputResult> out;
  for (std::size_t i = 0; i < results.size(); ++i) {
    InputResult& r = results[i];
    bool had = !r.findings.empty();
    std::vector<Finding> kept;
    for (std::size_t j = 0; j < r.findings.size(); ++j)
      if (keep[i][j]) kept.push_back(std::move(r.findings[j]));
    r.findings = std::move(kept);
    if (!had || !r.findings.empty()) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

void name_by_path(InputResult& r, const std::string& root) {
  if (r.chain.size() > 1) {
    r.chain[0] = root;
    r.path.clear();
    for (std::size_t i = 0; i < r.chain.size(); ++i) r.path += (i ? "!" : "") + r.chain[i];
  } else {
    r.path = root;
  }
  for (Finding& f : r.findings) f.location.path = r.path;
  if (r.skipped) r.skipped->path = r.path;
}

HistoryScan scan_history(const std::string& repository, const ScanEngine& engine, const HistoryScanOptions& hopts) {
  const ScanOptions& options = hopts.scan;
  auto started = Clock::now();
  double cpu = cpu_now(), cpu_phase = cpu;
  auto cpu_mark = [&](double& into) {
    double now = cpu_now();
    into = now - cpu_phase;
    cpu_phase = now;
  };
  unsigned threads = options.threads ? options.threads : static_cast<unsigned>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  HistoryScan out;
  if (options.progress) options.progress->enter_phase("reading refs");

  git::Repository repo = git::open_repository(repository);
  const std::string repo_path = git_repository_path(repo.get());
  // Refs first: unreadable refs end the scan before any work (GitError).
  std::vector<git::Tip> tips = git::read_tips(repo.get());

  std::vector<SweptPack> packs;
  std::vector<ObjectId> for_libgit2;
  tbb::enumerable_thread_specific<Local> locals;
  std::vector<InputResult> problems;
  std::map<SkipReason, uint64_t> planned_damage;
  std::set<ObjectId> damaged_ids;  // damaged in a pack: another copy of it is still read
  std::mutex damaged_mutex;

  const std::vector<std::string> pack_paths = git::pack_files(repo.get());
  for (const std::string& pack_path : pack_paths) {
    std::string idx = pack_path.substr(0, pack_path.size() - 5) + ".idx";
    // Planning reads every object's header: a while, on a large pack.
    const std::string pack_name = pack_paths.size() == 1 ? "the pack" : "pack " + std::to_string(&pack_path - pack_paths.data() + 1) +
                                                                          "/" + std::to_string(pack_paths.size());
    if (options.progress) options.progress->enter_phase("planning " + pack_name);
    SweptPack swept;
    try {
      swept.pack = std::make_unique<PackFile>(pack_path, idx);
    } catch (const git::GitError& e) {
      // An unreadable pack: libgit2 may still read its objects one by one.
      InputResult r;
      r.path = pack_path;
      r.skipped = Skipped{pack_path, SkipReason::unreadable, std::string("pack skipped, objects read one by one: ") + e.what()};
      problems.push_back(std::move(r));
      continue;
    }
    const PackFile& pack = *swept.pack;
    pack.release_pages();  // planning read every object's header: every page
    // An object also in an earlier pack was handled there, unless it was damaged there.
    swept.seen.assign(pack.size(), false);
    for (const SweptPack& earlier : packs)
      for (std::size_t i = 0; i < pack.size(); ++i) swept.seen[i] = swept.seen[i] || earlier.pack->contains(pack.id(i));
    for (std::size_t i = 0; i < pack.size(); ++i)
      if (swept.seen[i] && damaged_ids.count(pack.id(i))) swept.seen[i] = false;
    for (std::size_t i : pack.unresolved())
      if (!swept.seen[i]) for_libgit2.push_back(pack.id(i));
    // Objects the planner found damaged (reserved types, delta cycles, impossible sizes,
    // bases inside other objects): each a warning, never handed on to libgit2.
    for (const PackFile::Damage& d : pack.damaged()) {
      if (swept.seen[d.object]) continue;
      problems.push_back(damaged(pack.id(d.object), "damaged object in " + pack_path + ": " + d.why));
      ++planned_damage[SkipReason::unreadable];
      damaged_ids.insert(pack.id(d.object));
    }

    // Blobs, commits and tags now; trees only if some finding needs placing.
    std::vector<std::size_t> roots;
    for (PackFile::Type t : {PackFile::commit, PackFile::tag, PackFile::blob})
      roots.insert(roots.end(), pack.roots(t).begin(), pack.roots(t).end());
    const std::vector<bool>& seen = swept.seen;
    PageRelease release(pack);
    ScanProgress* progress = options.progress;
    if (progress) {
      uint64_t total = 0;
      for (std::size_t i = 0; i < pack.size(); ++i) total += pack.object_size(i);
      progress->enter_phase("reading " + pack_name, total);
    }
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, roots.size(), 8), [&](const tbb::blocked_range<std::size_t>& r) {
      Local& local = locals.local();
      const ProgressSince since_range(local);
      uint64_t work = 0;  // pack data decoded in this range
      for (std::size_t k = r.begin(); k != r.end(); ++k) {
        pack.decode_family(
            roots[k],
            [&](std::size_t i, std::string_view content) {
              release.read(i);
              work += pack.object_size(i);
              if (seen[i]) return;
              if (pack.final_type(i) == PackFile::blob) scan_blob(local, engine, options, pack.id(i), content);
              else take_metadata(local, engine, options, pack.final_type(i), pack.id(i), content);
            },
            [&](std::size_t i, const std::string& why, std::string_view recovered) {
              if (seen[i]) return;
              // What did decode is scanned: the secret may be in it. The warning says the rest was lost.
              if (!recovered.empty() && pack.final_type(i) == PackFile::blob) scan_blob(local, engine, options, pack.id(i), recovered);
              local.results.push_back(damaged(
                  pack.id(i), "damaged object in " + pack_path + ": " + why +
                                  (recovered.empty() ? std::string()
                                                     : "; the " + std::to_string(recovered.size()) + " bytes that decoded were scanned")));
              ++local.skipped[SkipReason::unreadable];
              std::lock_guard<std::mutex> lock(damaged_mutex);
              damaged_ids.insert(pack.id(i));
            });
      }
      if (progress) since_range.tell(*progress, local, work);
    });
    packs.push_back(std::move(swept));
  }

  // Loose objects and whatever the packs could not resolve themselves: blobs through the
  // engine's reader, commits, tags and trees read here.
  if (options.progress) options.progress->enter_phase("reading loose objects");
  std::optional<std::vector<ObjectId>> loose = git::loose_object_ids(repo.get());
  for (const ObjectId& id : loose ? *loose : git::all_object_ids(repo.get())) {
    bool packed = false;
    for (const SweptPack& p : packs) packed = packed || p.pack->contains(id);
    if (!packed) for_libgit2.push_back(id);
  }
  std::sort(for_libgit2.begin(), for_libgit2.end());
  for_libgit2.erase(std::unique(for_libgit2.begin(), for_libgit2.end()), for_libgit2.end());
  std::vector<ObjectId> loose_blobs, loose_trees;
  std::vector<ObjectId> blobs_elsewhere;  // blobs not read from a pack (loose, unresolved deltas): held all the same
  {
    git_odb* raw = nullptr;
    git::check(git_repository_odb(&raw, repo.get()), "cannot open the object database");
    git::Odb odb(raw);
    Local& local = locals.local();
    for (const ObjectId& id : for_libgit2) {
      git_oid oid = git::to_oid(id);
      std::size_t size = 0;
      git_object_t type = GIT_OBJECT_INVALID;
      if (git_odb_read_header(&size, &type, odb.get(), &oid) < 0 || type == GIT_OBJECT_BLOB) {
        loose_blobs.push_back(id);  // the blob reader reports what cannot be read
        continue;
      }
      if (type == GIT_OBJECT_TREE) {
        loose_trees.push_back(id);
        continue;
      }
      if (size > kMaxMetadataBytes) {  // a header claiming gigabytes over a few bytes: not read
        local.results.push_back(damaged(id, "a " + std::string(git_object_type2string(type)) + " object claiming " +
                                                std::to_string(size) + " bytes was not read"));
        ++local.skipped[SkipReason::unreadable];
        continue;
      }
      git_odb_object* obj = nullptr;
      if (git_odb_read(&obj, odb.get(), &oid) < 0) {
        local.results.push_back(damaged(id, "cannot read object: " + git::last_error()));
        ++local.skipped[SkipReason::unreadable];
        continue;
      }
      git::OdbObject owned(obj);
      std::string_view content(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
      take_metadata(local, engine, options, type == GIT_OBJECT_COMMIT ? PackFile::commit : PackFile::tag, id, content);
    }
  }
  ScanStats rest;
  std::vector<InputResult> loose_results;
  blobs_elsewhere = loose_blobs;
  if (!loose_blobs.empty()) {
    git::ObjectSource source(repo_path, std::move(loose_blobs));
    NotableResults collect(loose_results);
    rest = engine.scan(source, options, collect);
  }
  out.seconds.sweep = since(started);
  cpu_mark(out.cpu_seconds.sweep);
  out.peak_mb.sweep = peak_mb_now();

  // Everything found, merged.
  if (options.progress) options.progress->enter_phase("walking the history");
  auto phase = Clock::now();
  std::vector<InputResult> blobs = std::move(problems), messages;
  std::vector<git::GraphPart> graph_parts;
  out.stats = rest;
  for (const auto& [reason, n] : planned_damage) out.stats.skipped_by_reason[reason] += n;
  for (InputResult& r : loose_results) blobs.push_back(std::move(r));
  for (Local& l : locals) {
    out.stats.inputs_scanned += l.blobs;
    out.stats.bytes_scanned += l.bytes;
    out.stats.decoded_not_archives += l.not_archives;
    for (const auto& [reason, n] : l.skipped) out.stats.skipped_by_reason[reason] += n;
    for (InputResult& r : l.results) blobs.push_back(std::move(r));
    for (InputResult& r : l.messages) messages.push_back(std::move(r));
    graph_parts.push_back(std::move(l.graph));
    l.results.clear();
    l.messages.clear();
  }
  git::HistoryGraph graph(std::move(graph_parts), std::move(tips));
  out.seconds.graph = since(phase);
  cpu_mark(out.cpu_seconds.graph);
  // The sweep's buffers (delta bases, matcher state) are freed but stay resident in
  // the allocator's per-thread arenas; the tree pass would add its own on top.
  malloc_trim(0);
  out.peak_mb.graph = peak_mb_now();

  // Trees: they place blob findings and warnings about blobs (a warning names the path
  // where it is known), and reading them finds what the history names but the repository
  // lacks: each missing blob or tree is a warning, placed like a finding. Read even when
  // nothing needs a place, unless the caller chose not to check (check_trees).
  if (options.progress) options.progress->enter_phase("reading trees");
  phase = Clock::now();
  std::vector<ObjectId> wanted;
  for (const InputResult& r : blobs)
    if (!r.findings.empty() || (r.skipped && r.object_id != ObjectId{})) wanted.push_back(r.object_id);
  git::TargetBlobs targets(std::move(wanted));
  std::vector<std::optional<git::BlobPlaces>> places;
  std::vector<ObjectId> missing_blobs;
  std::vector<InputResult> tree_problems;
  if (targets.size() > 0 || hopts.check_trees) {
    std::vector<ObjectId> tree_list = loose_trees, blob_list = std::move(blobs_elsewhere);
    for (const SweptPack& p : packs)
      for (std::size_t i = 0; i < p.pack->size(); ++i) {
        if (p.pack->final_type(i) == PackFile::tree && !p.seen[i]) tree_list.push_back(p.pack->id(i));
        if (p.pack->final_type(i) == PackFile::blob) blob_list.push_back(p.pack->id(i));
      }
    // Damaged objects were reported already: named by a tree, they are not also missing.
    tree_list.insert(tree_list.end(), damaged_ids.begin(), damaged_ids.end());
    blob_list.insert(blob_list.end(), damaged_ids.begin(), damaged_ids.end());
    for (const InputResult& r : blobs)
      if (r.skipped && r.object_id != ObjectId{}) {
        tree_list.push_back(r.object_id);
        blob_list.push_back(r.object_id);
      }
    git::IdIndex tree_ids(std::move(tree_list)), known_blobs(std::move(blob_list));
    const git::TreeInputs inputs{tree_ids, targets, &known_blobs};
    std::mutex problems_mutex;
    auto tree_lost = [&](const std::string& where, const ObjectId& id, const std::string& why, std::size_t below) {
      InputResult r = damaged(id, "damaged tree in " + where + ": " + why +
                                      (below ? "; " + std::to_string(below) + " trees stored as deltas of it were not read either"
                                             : std::string()) +
                                      ": the paths of what they hold may not be known");
      std::lock_guard<std::mutex> lock(problems_mutex);
      tree_problems.push_back(std::move(r));
    };
    for (const SweptPack& swept : packs) {
      const PackFile& pack = *swept.pack;
      const std::vector<std::size_t>& roots = pack.roots(PackFile::tree);
      PageRelease release(pack);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, roots.size(), 16), [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t k = r.begin(); k != r.end(); ++k)
          decode_tree_family(
              pack, roots[k],
              [&](std::size_t i, std::string_view content, const git::TreeLayout* base,
                  std::span<const PackFile::Copy> copies, git::TreeLayout& layout) {
                release.read(i);
                if (!swept.seen[i]) {
                  git::add_tree(locals.local().trees, tree_ids.find(pack.id(i)), content, inputs, &layout, base, copies);
                } else {
                  layout.part = nullptr;  // not decoded into any part: its deltas read every entry
                  layout.entries.clear();
                }
              },
              [&](std::size_t i, const std::string& why, std::size_t below) {
                if (!swept.seen[i]) tree_lost(pack.path(), pack.id(i), why, below);
              });
      });
    }
    git_odb* raw = nullptr;
    git::check(git_repository_odb(&raw, repo.get()), "cannot open the object database");
    git::Odb odb(raw);
    Local& local = locals.local();
    for (const ObjectId& id : loose_trees) {
      git_oid oid = git::to_oid(id);
      std::size_t size = 0;
      git_object_t type = GIT_OBJECT_INVALID;
      if (git_odb_read_header(&size, &type, odb.get(), &oid) < 0) {
        tree_lost("the object database", id, git::last_error(), 0);
        continue;
      }
      if (size > kMaxMetadataBytes) {
        tree_lost("the object database", id, "it claims " + std::to_string(size) + " bytes and was not read", 0);
        continue;
      }
      git_odb_object* obj = nullptr;
      if (git_odb_read(&obj, odb.get(), &oid) < 0) {
        tree_lost("the object database", id, git::last_error(), 0);
        continue;
      }
      git::OdbObject owned(obj);
      git::add_tree(local.trees, tree_ids.find(id),
                    std::string_view(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj)), inputs);
    }
    std::vector<git::TreePart> tree_parts;
    for (Local& l : locals) tree_parts.push_back(std::move(l.trees));
    // Malformed trees (their entries stop short) and trees named but not held: said by id,
    // with the tree that names them.
    std::set<ObjectId> said;
    for (const git::TreePart& part : tree_parts) {
      for (uint32_t t : part.malformed)
        if (said.insert(tree_ids[t]).second)
          tree_problems.push_back(damaged(tree_ids[t], "malformed tree: its entries after the damage were not read"));
      for (const auto& [id, parent] : part.missing_trees)
        if (said.insert(id).second)
          tree_problems.push_back(missing(id, "tree " + git::hex(id) + ", named by tree " + git::hex(tree_ids[parent]) +
                                                  ", is not in the repository: what it holds was not scanned"));
    }
    targets = git::merge_missing(tree_parts, targets, missing_blobs);
    out.seconds.trees = since(phase);
    cpu_mark(out.cpu_seconds.trees);
    out.peak_mb.trees = peak_mb_now();
    if (options.progress) options.progress->enter_phase("placing findings");
    phase = Clock::now();
    places = git::place_blobs(graph, tree_ids, std::move(tree_parts), targets, hopts.all_objects);
  }
  for (const SweptPack& p : packs) p.pack->release_pages();
  packs.clear();

  // Commits named by findings: described once each, and the tips reaching them asked in one pass.
  std::vector<uint32_t> asked;
  auto place_of = [&](const ObjectId& blob) -> const git::BlobPlaces* {
    for (uint32_t lo = 0, hi = static_cast<uint32_t>(targets.size()); lo < hi;) {
      uint32_t mid = (lo + hi) / 2;
      if (targets[mid] < blob) lo = mid + 1;
      else if (blob < targets[mid]) hi = mid;
      else return places.empty() || !places[mid] ? nullptr : &*places[mid];
    }
    return nullptr;
  };
  for (const InputResult& r : blobs)
    if (const git::BlobPlaces* p = place_of(r.object_id); p && p->reachable)
      for (const auto& pl : p->places) asked.push_back(pl.commit);
  for (const InputResult& m : messages)
    if (uint32_t c = graph.find_commit(m.object_id); c != git::HistoryGraph::npos && graph.reachable(c)) asked.push_back(c);
  std::sort(asked.begin(), asked.end());
  asked.erase(std::unique(asked.begin(), asked.end()), asked.end());
  std::vector<std::vector<uint32_t>> reaching = graph.tips_reaching(asked);
  auto tips_of = [&](uint32_t c) -> const std::vector<uint32_t>& {
    static const std::vector<uint32_t> none;
    auto it = std::lower_bound(asked.begin(), asked.end(), c);
    return it != asked.end() && *it == c ? reaching[static_cast<std::size_t>(it - asked.begin())] : none;
  };
  std::map<uint32_t, std::optional<git::CommitInfo>> described;
  auto describe = [&](uint32_t c) -> const std::optional<git::CommitInfo>& {
    auto [it, inserted] = described.try_emplace(c);
    if (inserted) it->second = git::describe_commit(repo.get(), graph.commit_id(c));
    return it->second;
  };

  // Whether HEAD still has each first path: a finding in a file that is gone says so.
  std::set<std::string> first_paths;
  for (const InputResult& r : blobs)
    if (const git::BlobPlaces* p = place_of(r.object_id); p && p->reachable && !r.findings.empty())
      for (const auto& pl : p->places) first_paths.insert(pl.path);
  const std::set<std::string> at_head = git::paths_at_head(repo.get(), first_paths);

  // Missing blobs: a warning each, at the path where the history has them (in the
  // default mode, only those a reachable commit names). A partial clone lacks blobs by
  // design and says so once; its missing blobs are not listed one by one.
  constexpr std::size_t kMissingListed = 1000;
  std::size_t missing_unlisted = 0;
  for (const ObjectId& id : missing_blobs) {
    const git::BlobPlaces* p = place_of(id);
    if (!p || p->places.empty() || (!p->reachable && !hopts.all_objects)) continue;
    if (tree_problems.size() >= kMissingListed) {
      ++missing_unlisted;
      continue;
    }
    // Named by its path below, like every problem with a blob id.
    tree_problems.push_back(missing(id, "the file's content is not in the repository: not scanned (named by commit " +
                                            git::hex(graph.commit_id(p->places.front().commit)) +
                                            (p->reachable ? "" : ", unreachable") + ")"));
  }
  if (missing_unlisted > 0) {
    InputResult r = missing(ObjectId{}, std::to_string(missing_unlisted) + " more objects the history names are not in the repository (the first " +
                                            std::to_string(kMissingListed) + " are listed)");
    r.path = ".";
    r.skipped->path = ".";
    tree_problems.push_back(std::move(r));
  }
  const bool partial = git::is_partial_clone(repo.get());  // said once, by the caller
  for (InputResult& r : tree_problems) {
    if (partial && r.skipped->reason == SkipReason::missing_object) continue;
    ++out.stats.skipped_by_reason[r.skipped->reason];
    blobs.push_back(std::move(r));
  }

  std::vector<InputResult> placed;
  for (InputResult& r : blobs) {
    const git::BlobPlaces* p = place_of(r.object_id);
    if (r.findings.empty()) {  // a problem: named by its path where known
      if (p && !p->places.empty()) {
        std::string id = git::hex(r.object_id);
        name_by_path(r, p->places.front().path);
        r.skipped->detail += " (blob " + id + ")";
      }
      placed.push_back(std::move(r));
      continue;
    }
    // A ref may point at a blob itself (an annotated tag of a key file): reachable, by id.
    std::vector<uint32_t> direct = graph.tips_on(r.object_id);
    if ((!p || !p->reachable) && direct.empty() && !hopts.all_objects) continue;  // only reachable history by default
    GitOrigin o;
    std::vector<std::string> refs;
    if (p && (p->reachable || direct.empty())) {
      // The earliest commit over every path; equal dates: the first path.
      const git::BlobPlaces::Place* first = &p->places.front();
      for (const auto& pl : p->places)
        if (graph.commit_time(pl.commit) < graph.commit_time(first->commit)) first = &pl;
      o = origin(describe(first->commit));
      name_by_path(r, first->path);
      for (const auto& pl : p->places) {
        if (pl.path != first->path) o.other_paths.push_back(pl.path);
        for (uint32_t t : tips_of(pl.commit)) refs.push_back(graph.tips()[t].name);
      }
      o.reachable = p->reachable;
      if (p->reachable) o.path_at_head = at_head.count(first->path) > 0;
    } else {
      // No commit (the tips reach) holds it: known only by its id, not by a path.
      name_by_path(r, r.chain.size() > 1 ? git::hex(r.object_id) : "");
      o.reachable = !direct.empty();
      for (uint32_t t : direct) refs.push_back(graph.tips()[t].name);
    }
    o.blob = git::hex(r.object_id);
    set_refs(o, std::move(refs));
    for (Finding& f : r.findings) f.git = o;
    placed.push_back(std::move(r));
  }
  for (InputResult& m : messages) {
    GitOrigin o;
    if (uint32_t c = graph.find_commit(m.object_id); c != git::HistoryGraph::npos) {
      if (!graph.reachable(c) && !hopts.all_objects) continue;
      o = origin(describe(c));
      o.kind = GitObjectKind::commit_message;
      o.reachable = graph.reachable(c);
      std::vector<std::string> refs;
      for (uint32_t t : tips_of(c)) refs.push_back(graph.tips()[t].name);
      set_refs(o, std::move(refs));
    } else if (auto tag = graph.tag(m.object_id)) {
      if (!tag->reachable && !hopts.all_objects) continue;
      o = origin(git::describe_tag(repo.get(), m.object_id));
      o.commit.clear();  // the tagger and date stay; a tag is not a commit
      o.kind = GitObjectKind::tag_message;
      o.tag = tag->name;
      o.tag_object = git::hex(m.object_id);
      o.reachable = tag->reachable;
      set_refs(o, tag->tips);
    } else {
      continue;  // a damaged object matched as bytes: its own warning stands
    }
    as_message(m, std::move(o));
    placed.push_back(std::move(m));
  }
  out.results = keep_first_introductions(std::move(placed));
  for (const InputResult& r : out.results)
    for (const Finding& f : r.findings) ++out.stats.findings_by_verdict[f.verdict];
  // Worker order is not deterministic; blob id order is.
  std::sort(out.results.begin(), out.results.end(),
            [](const InputResult& a, const InputResult& b) { return std::tie(a.object_id, a.path) < std::tie(b.object_id, b.path); });
  out.seconds.attribution = since(phase);
  cpu_mark(out.cpu_seconds.attribution);
  out.peak_mb.attribution = peak_mb_now();
  (void)cpu;
  out.stats.seconds = since(started);
  return out;
}

std::vector<InputResult> scan_messages(const ScanEngine& engine, git_repository* repo, const std::vector<ObjectId>& objects,
                                       const ScanOptions& options) {
  Local local;
  std::vector<InputResult> out;
  git_odb* raw = nullptr;
  git::check(git_repository_odb(&raw, repo), "cannot open the object database");
  git::Odb odb(raw);
  for (const ObjectId& id : objects) {
    git_oid oid = git::to_oid(id);
    git_odb_object* obj = nullptr;
    if (git_odb_read(&obj, odb.get(), &oid) < 0) continue;
    git::OdbObject owned(obj);
    std::string_view content(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj));
    GitOrigin o;
    std::size_t before = local.messages.size();
    if (git_odb_object_type(obj) == GIT_OBJECT_COMMIT) {
      auto c = git::parse_commit(content);
      scan_message(local, engine, options, id, c ? c->message : content);
      o = origin(git::describe_commit(repo, id));
      o.kind = GitObjectKind::commit_message;
    } else if (git_odb_object_type(obj) == GIT_OBJECT_TAG) {
      auto t = git::parse_tag(content);
      scan_message(local, engine, options, id, t ? t->message : content);
      o = origin(git::describe_tag(repo, id));
      o.commit.clear();
      o.kind = GitObjectKind::tag_message;
      if (t) o.tag = std::string(t->name);
      o.tag_object = git::hex(id);
    }
    for (std::size_t k = before; k < local.messages.size(); ++k) {
      as_message(local.messages[k], o);
      out.push_back(std::move(local.messages[k]));
    }
    local.messages.resize(before);
  }
  return out;
}

}  // namespace sfmc
