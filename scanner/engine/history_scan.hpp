#pragma once
// A history scan of one repository, end to end: every blob in the object database
// read and matched once (packs by delta family in parallel, loose objects through
// libgit2), commit and annotated-tag messages matched too, then the findings placed
// in history (path, earliest commit, refs) from the history graph
// (sources/git/history_graph.hpp). sources/git only enumerates and decodes; this is
// where they meet the matcher, like scan_engine for file trees.
#include <string>
#include <vector>

#include "engine/scan_engine.hpp"
#include "sources/git/git_handle.hpp"

namespace sfmc {

struct HistoryScanOptions {
  ScanOptions scan;          // threads, --max-file-size, decoding
  bool all_objects = false;  // also what no tip reaches (dangling commits, reflog-only, loose leftovers)
  // Read every tree even when no finding or warning needs a path, to report blobs and
  // trees the history names that the repository lacks (missing-object). Off: faster
  // on a clean repository, and such objects go unreported.
  bool check_trees = true;
};

struct HistoryScan {
  // Findings placed in history (one per secret and path, where it first appeared) and
  // problems, in blob id order.
  std::vector<InputResult> results;
  ScanStats stats;
  // Where the time went, for benchmarks: blob and message sweep, history graph and
  // reachability, tree decoding, placing findings.
  struct Phases {
    double sweep = 0, graph = 0, trees = 0, attribution = 0;
  } seconds, cpu_seconds;  // wall clock; CPU time of the whole process (all threads)
  Phases peak_mb;           // the process's peak resident set (MB) when each phase ended
};

// The per-repository entry point (also what a many-repository sweep calls). Throws
// git::GitError when the repository or its refs cannot be read: a history scan that
// saw no refs must not look clean.
HistoryScan scan_history(const std::string& repository, const ScanEngine& engine, const HistoryScanOptions& options);

// Matches the messages of these commits and annotated tags (other objects are passed
// over) and returns one result per object with findings, each finding's `git` set
// (kind commit_message or tag_message, the commit or tag, its author or tagger) and
// Location.path empty. Refs are left to the caller. For the change modes (--range,
// --pre-push): the messages of the commits and tags they send.
std::vector<InputResult> scan_messages(const ScanEngine& engine, git_repository* repo,
                                       const std::vector<git::ObjectId>& objects, const ScanOptions& options);

// Names a blob's result (and its archive members) by the path the blob has in
// history instead of the blob id it was read as.
void name_by_path(InputResult& r, const std::string& root);

}  // namespace sfmc
