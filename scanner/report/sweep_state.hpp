#pragma once
// --state FILE: what earlier sweeps of a fleet covered, so that monitoring re-sweeps
// scan only repositories whose refs moved and report only findings not reported before.
//
// Per repository it keeps the ref tips at the last complete sweep (and in which mode),
// the objects that sweep could not scan because the repository lacked them (a mirror
// without its large blobs: scanned once they arrive), and a hash of every finding
// reported (rule, secret hash, path: never the secret).
// A repository is recorded only once its sweep completed without unreadable objects
// and its report was written, and the file is replaced atomically (temp file, fsync,
// rename): a crash mid-run leaves the previous state, so nothing unscanned is ever
// marked as done.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace sfmc {

// What a finding is known by in a state file (git's and scan's): a hash of its rule,
// secret and place, never the secret.
std::string reported_finding_key(const Finding& f);

class SweepState {
 public:
  // Loads FILE if it exists. Throws std::runtime_error when it is not a state file.
  explicit SweepState(std::string path);

  using Tips = std::map<std::string, std::string>;  // ref name -> commit id (hex)

  // Whether the last complete sweep of `repository` in `mode` saw exactly these tips,
  // and none of the objects it lacked has arrived since (`exists`, by hex id).
  bool unchanged(const std::string& repository, const std::string& mode, const Tips& tips,
                 const std::function<bool(const std::string&)>& exists) const;
  // Whether this finding was reported by an earlier sweep.
  bool reported(const std::string& repository, const Finding& f) const;
  // Records a completed sweep of `repository` and the findings it reported.
  void record(const std::string& repository, const std::string& mode, Tips tips, const std::vector<const Finding*>& findings,
              std::set<std::string> missing);
  // Writes the state atomically. False (errno set, the previous state kept) when it cannot.
  bool save() const;
  const std::string& path() const { return path_; }

  struct Repo {
    std::string mode;
    Tips tips;
    std::set<std::string> reported;
    std::set<std::string> missing;  // object ids (hex) the sweep found named but absent
  };
  // The repositories a state file's text records. Throws std::runtime_error naming
  // `path`, what is wrong and where (a JSON pointer) when it is not one.
  static std::map<std::string, Repo> parse(std::string_view text, const std::string& path);

 private:
  static std::string key(const Finding& f);
  std::string path_;
  std::map<std::string, Repo> repos_;
};

}  // namespace sfmc
