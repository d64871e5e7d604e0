#pragma once
// `scan --state FILE`: what earlier sweeps of buckets read, so that a monitoring re-sweep
// fetches only the objects written since and reports only findings not reported before.
//
// The file is JSON Lines: a header; for each bucket (its store's address, endpoint
// included) a section of the objects earlier sweeps read in full, in key order, each
// with the ETag of the version read and whether it gave findings, under what they were
// scanned with (rules, sfmc-scan's version, decoders: a read by other means is not
// trusted); then a hash of every finding reported (rule, secret hash, location: never
// the secret). Files and folders among the roots get no section: their findings count
// as reported all the same.
//
// Memory follows the findings, not the objects. As a bucket is listed, its section of
// the old file is read in step with the listing (both in key order: a store that lists
// out of order costs reads, never a miss), and what this sweep read is streamed to a
// temporary file beside the state. save() merges the two, section by section, into the
// new state and renames it over the old one; it is called once the report is written,
// so a sweep that dies leaves the previous state and nothing unread is marked as read.
// An object is recorded only when it was read without problem; objects of a listed
// prefix that this sweep did not read in full (deleted, excluded, cut) drop out.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "engine/scan_engine.hpp"
#include "report/sweep_state.hpp"

namespace sfmc {

class ScanState {
 public:
  // Reads the index of FILE if it exists. `scanned_with` names what an object's scan
  // depends on besides its bytes; `roots`, the command line's paths (s3:// and gs://
  // ones are buckets). Throws std::runtime_error naming FILE when it is not a state file
  // or cannot be read.
  ScanState(std::string path, std::string scanned_with, std::vector<std::string> roots);
  ~ScanState();
  ScanState(const ScanState&) = delete;
  ScanState& operator=(const ScanState&) = delete;

  // Whether an earlier sweep read this version of the bucket object in full under the
  // same scan; if so, whether that read gave findings. Asked in key order within each
  // root, by one thread at a time.
  std::optional<bool> unchanged(const InputItem& item);
  // What became of an object this sweep listed, in walk order, by one thread at a time
  // (not necessarily the one that asks unchanged()).
  void done(const ObjectDone& object);

  // Whether an earlier sweep reported this finding; and noting one this sweep reports.
  bool reported(const Finding& f) const;
  void add_reported(const Finding& f);

  // Writes the new state atomically. False (errno set, the previous state kept) when it
  // cannot.
  bool save();
  const std::string& path() const { return path_; }

  // One object's line.
  struct Entry {
    std::string key;
    std::string etag;
    bool findings = false;
  };

 private:
  struct Section {
    std::string scanned_with;
    uint64_t header = 0;  // offset of its header line
    uint64_t begin = 0;   // of its first entry
    uint64_t end = 0;     // past its last entry
  };
  class Lines;  // entries read between two offsets of a file
  struct Cursor;
  struct Segment {  // one root's entries in the temporary file
    std::size_t root = 0;
    uint64_t begin = 0, end = 0;
  };

  void load();
  bool write_entry(const Entry& e);

  std::string path_;
  std::string scanned_with_;
  std::vector<std::string> prefixes_;  // per root: its key prefix (buckets), unused for paths
  std::map<std::string, Section> sections_;  // by bucket address
  std::set<std::string> reported_;

  // The reading side (unchanged()).
  std::vector<std::unique_ptr<Cursor>> cursors_;  // per root

  // The recording side (done()).
  std::vector<std::string> listed_;  // per root: the address of its bucket, once an object of it was done
  std::string entries_path_;          // the temporary file
  std::FILE* entries_ = nullptr;
  uint64_t entries_size_ = 0;
  bool entries_failed_ = false;
  int entries_errno_ = 0;
  std::vector<Segment> segments_;
};

}  // namespace sfmc
