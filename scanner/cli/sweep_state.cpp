#include "cli/sweep_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "cli/cli_common.hpp"
#include "core/sha256.hpp"
#include "core/temp_file.hpp"
#include "report/json_read.hpp"

namespace sfmc::cli {

SweepState::SweepState(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;  // the first sweep
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string why;
  nlohmann::json j = json_read::parse_untrusted(text, &why);
  if (j.is_discarded() || !j.is_object() || json_read::text(j, "type") != "sfmc-scan-sweep-state" ||
      json_read::number(j, "version") != 1)
    throw std::runtime_error(path_ + " is not an sfmc-scan --state file" + (why.empty() ? "" : " (" + why + ")"));
  // Every value is checked for its type here, so a damaged file is refused by name.
  try {
    const nlohmann::json& repos = json_read::field(j, "repositories");
    if (!repos.is_object()) throw std::runtime_error("no \"repositories\" object");
    for (const auto& [name, r] : repos.items()) {
      if (!r.is_object()) throw std::runtime_error("repository " + name + " is not an object");
      Repo repo;
      repo.mode = r.value("mode", "");
      repo.tips = r.value("tips", Tips{});
      for (const auto& k : r.value("reported", nlohmann::json::array())) repo.reported.insert(k.get<std::string>());
      for (const auto& k : r.value("missing", nlohmann::json::array())) repo.missing.insert(k.get<std::string>());
      repos_[name] = std::move(repo);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(path_ + " is a damaged sfmc-scan --state file: " + json_read::plain_message(e));
  }
}

std::string SweepState::key(const Finding& f) {
  return sha256_hex(f.rule_id + "\n" + f.secret_sha256 + "\n" + f.location.path).substr(0, 32);
}

bool SweepState::unchanged(const std::string& repository, const std::string& mode, const Tips& tips,
                           const std::function<bool(const std::string&)>& exists) const {
  auto it = repos_.find(repository);
  if (it == repos_.end() || it->second.mode != mode || it->second.tips != tips) return false;
  for (const std::string& id : it->second.missing)
    if (exists(id)) return false;  // content that was not there to scan now is
  return true;
}

bool SweepState::reported(const std::string& repository, const Finding& f) const {
  auto it = repos_.find(repository);
  return it != repos_.end() && it->second.reported.count(key(f));
}

void SweepState::record(const std::string& repository, const std::string& mode, Tips tips,
                        const std::vector<const Finding*>& findings, std::set<std::string> missing) {
  Repo& r = repos_[repository];
  r.mode = mode;
  r.tips = std::move(tips);
  r.missing = std::move(missing);
  for (const Finding* f : findings) r.reported.insert(key(*f));
}

bool SweepState::save() const {
  nlohmann::json repos = nlohmann::json::object();
  for (const auto& [name, r] : repos_) repos[name] = {{"mode", r.mode}, {"tips", r.tips}, {"reported", r.reported}, {"missing", r.missing}};
  std::string text = nlohmann::json{{"type", "sfmc-scan-sweep-state"}, {"version", 1}, {"repositories", repos}}.dump() + "\n";
  // Not a regular file (/dev/null: a sweep that keeps no state): written in place.
  const std::optional<std::string> target = atomic_target(path_);
  bool ok = false;
  if (target) {
    ok = replace_file(*target, text, 0600, true);
  } else {
    int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
    ok = fd >= 0 && write_all(fd, text);
    if (fd >= 0 && ::close(fd) != 0) ok = false;
  }
  if (!ok) print_error("cannot write the state " + path_ + ": " + std::strerror(errno) + " (the previous state is kept)");
  return ok;
}

}  // namespace sfmc::cli
