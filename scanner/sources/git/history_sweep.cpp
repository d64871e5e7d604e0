#include "sources/git/history_sweep.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>

#include "decode/content.hpp"
#include "engine/blob_scanner.hpp"
#include "sources/git/object_source.hpp"
#include "sources/git/pack_file.hpp"

namespace sfmc::git {

namespace {

// What one worker gathers; merged once all packs are done.
struct Local {
  std::unique_ptr<BlobScanner> scanner;
  std::vector<InputResult> results;
  uint64_t blobs = 0, bytes = 0;
  std::map<SkipReason, uint64_t> skipped;
};

}  // namespace

SweepResult sweep_history(const std::string& repository_path, const ScanEngine& engine, const ScanOptions& options) {
  auto started = std::chrono::steady_clock::now();
  unsigned threads = options.threads ? options.threads : static_cast<unsigned>(tbb::info::default_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  SweepResult out;

  Repository repo = open_repository(repository_path);
  std::vector<std::unique_ptr<PackFile>> done;  // packs already swept
  std::vector<ObjectId> for_libgit2;
  tbb::enumerable_thread_specific<Local> locals;
  std::map<SkipReason, uint64_t> planned_damage;
  std::set<ObjectId> damaged_ids;  // damaged in a pack: another copy of it is still read
  std::mutex damaged_mutex;

  for (const std::string& pack_path : pack_files(repo.get())) {
    std::string idx = pack_path.substr(0, pack_path.size() - 5) + ".idx";
    std::unique_ptr<PackFile> pack;
    try {
      pack = std::make_unique<PackFile>(pack_path, idx);
    } catch (const GitError& e) {
      // An unreadable pack: libgit2 may still read its objects one by one.
      InputResult r;
      r.path = pack_path;
      r.skipped = Skipped{pack_path, SkipReason::unreadable, std::string("pack skipped, objects read one by one: ") + e.what()};
      out.results.push_back(std::move(r));
      continue;
    }
    // An object also in an earlier pack was scanned there, unless it was damaged there.
    std::vector<bool> seen(pack->size(), false);
    for (const auto& earlier : done)
      for (std::size_t i = 0; i < pack->size(); ++i) seen[i] = seen[i] || earlier->contains(pack->id(i));
    for (std::size_t i = 0; i < pack->size(); ++i)
      if (seen[i] && damaged_ids.count(pack->id(i))) seen[i] = false;
    std::vector<bool> unresolved(pack->size(), false);
    for (std::size_t i : pack->unresolved()) {
      unresolved[i] = true;
      if (!seen[i]) for_libgit2.push_back(pack->id(i));
    }

    // Objects the planner found damaged (reserved types, delta cycles, impossible sizes,
    // bases inside other objects): each a warning, never handed on to libgit2.
    for (const PackFile::Damage& d : pack->damaged()) {
      if (seen[d.object]) continue;
      InputResult res;
      res.path = hex(pack->id(d.object));
      res.object_id = pack->id(d.object);
      res.skipped = Skipped{res.path, SkipReason::unreadable, "damaged object in " + pack_path + ": " + d.why};
      out.results.push_back(std::move(res));
      ++planned_damage[SkipReason::unreadable];
      damaged_ids.insert(pack->id(d.object));
    }

    auto scan_blob = [&](Local& local, std::size_t i, std::string_view content) {
      if (seen[i]) return;
      std::size_t before = local.results.size();
      auto ctx = local.scanner->context(options.max_file_size, options.decode, pack->id(i), local.results);
      if (options.max_file_size > 0 && content.size() > options.max_file_size) {
        ctx->note({"", SkipReason::too_large,
                   std::to_string(content.size()) + " bytes > --max-file-size " + std::to_string(options.max_file_size)},
                  {hex(pack->id(i))});
      } else {
        MemorySource source(content);
        ContentInfo info;
        info.chain = {hex(pack->id(i))};
        scan_content(source, std::move(info), options.decode, *ctx);
      }
      // Keep what matters: findings and problems. Count the rest.
      std::size_t keep = before;
      for (std::size_t k = before; k < local.results.size(); ++k) {
        InputResult& r = local.results[k];
        if (r.scanned) {
          ++local.blobs;
          local.bytes += r.bytes;
        }
        if (r.skipped) ++local.skipped[r.skipped->reason];
        if (!r.findings.empty() || r.skipped) {
          if (k != keep) local.results[keep] = std::move(r);
          ++keep;
        }
      }
      local.results.resize(keep);
    };
    const std::vector<std::size_t>& roots = pack->roots(PackFile::blob);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, roots.size(), 8), [&](const tbb::blocked_range<std::size_t>& r) {
      Local& local = locals.local();
      if (!local.scanner) local.scanner = std::make_unique<BlobScanner>(engine);
      for (std::size_t k = r.begin(); k != r.end(); ++k) {
        pack->decode_family(
            roots[k], [&](std::size_t i, std::string_view content) { scan_blob(local, i, content); },
            [&](std::size_t i, const std::string& why, std::string_view recovered) {
              if (seen[i]) return;
              // What did decode is scanned: the secret may be in it. The warning says the rest was lost.
              if (!recovered.empty()) scan_blob(local, i, recovered);
              InputResult res;
              res.path = hex(pack->id(i));
              res.object_id = pack->id(i);
              res.skipped = Skipped{res.path, SkipReason::unreadable,
                                    "damaged object in " + pack_path + ": " + why +
                                        (recovered.empty() ? std::string()
                                                           : "; the " + std::to_string(recovered.size()) +
                                                                 " bytes that decoded were scanned")};
              ++local.skipped[SkipReason::unreadable];
              local.results.push_back(std::move(res));
              std::lock_guard<std::mutex> lock(damaged_mutex);
              damaged_ids.insert(pack->id(i));
            });
      }
    });
    done.push_back(std::move(pack));
  }

  // Loose objects and whatever the packs could not resolve themselves.
  std::optional<std::vector<ObjectId>> loose = loose_object_ids(repo.get());
  for (const ObjectId& id : loose ? *loose : all_object_ids(repo.get())) {
    bool packed = false;
    for (const auto& p : done) packed = packed || p->contains(id);
    if (!packed) for_libgit2.push_back(id);
  }
  std::sort(for_libgit2.begin(), for_libgit2.end());
  for_libgit2.erase(std::unique(for_libgit2.begin(), for_libgit2.end()), for_libgit2.end());
  ScanStats rest;
  if (!for_libgit2.empty()) {
    ObjectSource source(repository_path, std::move(for_libgit2));
    NotableResults collect(out.results);
    rest = engine.scan(source, options, collect);
  }

  out.stats = rest;
  for (const auto& [reason, n] : planned_damage) out.stats.skipped_by_reason[reason] += n;
  for (Local& l : locals) {
    out.stats.inputs_scanned += l.blobs;
    out.stats.bytes_scanned += l.bytes;
    for (const auto& [reason, n] : l.skipped) out.stats.skipped_by_reason[reason] += n;
    for (InputResult& r : l.results) out.results.push_back(std::move(r));
  }
  for (const InputResult& r : out.results)
    for (const Finding& f : r.findings) ++out.stats.findings_by_verdict[f.verdict];
  // Worker order is not deterministic; blob id order is.
  std::sort(out.results.begin(), out.results.end(),
            [](const InputResult& a, const InputResult& b) { return std::tie(a.object_id, a.path) < std::tie(b.object_id, b.path); });
  out.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace sfmc::git
