#include "report/sweep_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/sha256.hpp"
#include "core/temp_file.hpp"
#include "report/json_read.hpp"

namespace sfmc {

SweepState::SweepState(std::string path) : path_(std::move(path)) {
  if (const std::string refused = planted_link(path_); !refused.empty()) throw std::runtime_error(refused);
  std::ifstream in(path_);
  if (!in) return;  // the first sweep
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  repos_ = parse(text, path_);
}

std::map<std::string, SweepState::Repo> SweepState::parse(std::string_view text, const std::string& path_) {
  std::map<std::string, Repo> repos_;
  std::string why;
  nlohmann::json j = json_read::parse_untrusted(text, &why);
  if (j.is_discarded() || !j.is_object() || json_read::text(j, "type") != "sfmc-scan-sweep-state" ||
      json_read::number(j, "version") != 1)
    throw std::runtime_error(path_ + " is not an sfmc-scan --state file" + (why.empty() ? "" : " (" + why + ")"));
  // Every value is checked for its type here, so a damaged file is refused by name and place.
  using namespace json_read;
  try {
    const nlohmann::json& repos = need_object(field(j, "repositories"), "/repositories");
    for (const auto& [name, r] : repos.items()) {
      const std::string at = step("/repositories", name);
      need_object(r, at);
      Repo repo;
      repo.mode = need_text(field(r, "mode"), step(at, "mode"));
      const nlohmann::json& tips = need_object(field(r, "tips"), step(at, "tips"));
      for (const auto& [ref, id] : tips.items()) repo.tips[ref] = need_text(id, step(step(at, "tips"), ref));
      for (auto [list, into] : {std::pair{"reported", &repo.reported}, std::pair{"missing", &repo.missing}}) {
        const nlohmann::json& items = field(r, list);
        if (items.is_null()) continue;
        need_array(items, step(at, list));
        for (std::size_t i = 0; i < items.size(); ++i) into->insert(need_text(items[i], step(step(at, list), i)));
      }
      repos_[name] = std::move(repo);
    }
  } catch (const std::exception& e) {
    throw std::runtime_error(path_ + ": a damaged sfmc-scan --state file: " + plain_message(e));
  }
  return repos_;
}

std::string reported_finding_key(const Finding& f) {
  return sha256_hex(f.rule_id + "\n" + f.secret_sha256 + "\n" + f.location.path).substr(0, 32);
}

std::string SweepState::key(const Finding& f) { return reported_finding_key(f); }

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
  if (!planted_link(path_).empty()) {
    errno = EPERM;
    return false;
  }
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
  return ok;
}

}  // namespace sfmc
