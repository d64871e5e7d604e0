#include "cli/sweep_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "cli/cli_common.hpp"
#include "core/sha256.hpp"

namespace sfmc::cli {

SweepState::SweepState(std::string path) : path_(std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;  // the first sweep
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("type", "") != "sfmc-scan-sweep-state" || j.value("version", 0) != 1)
    throw std::runtime_error(path_ + " is not an sfmc-scan --state file");
  for (const auto& [name, r] : j["repositories"].items()) {
    Repo repo;
    repo.mode = r.value("mode", "");
    repo.tips = r.value("tips", Tips{});
    for (const auto& k : r.value("reported", nlohmann::json::array())) repo.reported.insert(k.get<std::string>());
    for (const auto& k : r.value("missing", nlohmann::json::array())) repo.missing.insert(k.get<std::string>());
    repos_[name] = std::move(repo);
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
  const std::string tmp = target ? *target + ".tmp." + std::to_string(::getpid()) : path_;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | (target ? O_TRUNC : 0) | O_CLOEXEC, 0600);
  bool ok = fd >= 0;
  for (std::size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) ok = false;
    else done += static_cast<std::size_t>(n);
  }
  if (ok && target && ::fsync(fd) != 0) ok = false;
  if (fd >= 0 && ::close(fd) != 0) ok = false;
  if (ok && target && std::rename(tmp.c_str(), target->c_str()) != 0) ok = false;
  if (!ok) {
    print_error("cannot write the state " + path_ + ": " + std::strerror(errno) + " (the previous state is kept)");
    if (target) ::unlink(tmp.c_str());
  }
  return ok;
}

}  // namespace sfmc::cli
