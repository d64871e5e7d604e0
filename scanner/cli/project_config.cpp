#include "cli/project_config.hpp"

#include <fnmatch.h>
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace sfmc::cli {

namespace {

std::vector<std::string> strings(const toml::node_view<const toml::node>& n, const std::string& where) {
  std::vector<std::string> out;
  if (!n) return out;
  const toml::array* a = n.as_array();
  if (!a) throw std::runtime_error(where + " must be an array of strings");
  for (const toml::node& e : *a) {
    auto s = e.value<std::string>();
    if (!s) throw std::runtime_error(where + " must hold only strings");
    out.push_back(*s);
  }
  return out;
}

std::optional<std::string> string(const toml::node_view<const toml::node>& n, const std::string& where) {
  if (!n) return std::nullopt;
  auto s = n.value<std::string>();
  if (!s) throw std::runtime_error(where + " must be a string");
  return *s;
}

}  // namespace

std::optional<ProjectConfig> ProjectConfig::find(const std::string& explicit_path, const std::string& root) {
  std::string path = explicit_path;
  std::error_code ec;
  if (path.empty()) {
    fs::path candidate = fs::path(root.empty() ? "." : root) / ".sfmc-scan.toml";
    if (!fs::is_regular_file(candidate, ec)) return std::nullopt;
    path = candidate.string();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ProjectConfig c = parse(text, path, fs::path(path).parent_path().string());
  c.text.clear();  // its rules are read from the file
  return c;
}

ProjectConfig ProjectConfig::parse(const std::string& text, const std::string& path, const std::string& folder) {
  toml::table doc;
  try {
    doc = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << path << ":" << e.source().begin.line << ": " << e.description();
    throw std::runtime_error(msg.str());
  }
  ProjectConfig c;
  c.path = path;
  c.folder = folder;
  c.text = text;
  const toml::node_view<const toml::node> root_view{static_cast<const toml::node&>(doc)};
  c.allow_paths = strings(root_view["allow"]["paths"], path + ": allow.paths");
  c.allow_rules = strings(root_view["allow"]["rules"], path + ": allow.rules");
  c.fail_on = string(root_view["defaults"]["fail_on"], path + ": defaults.fail_on");
  c.checksum = string(root_view["defaults"]["checksum"], path + ": defaults.checksum");
  c.baseline = string(root_view["defaults"]["baseline"], path + ": defaults.baseline");
  if (c.baseline && fs::path(*c.baseline).is_relative() && !c.folder.empty())
    c.baseline = (fs::path(c.folder) / *c.baseline).string();
  c.exclude = strings(root_view["defaults"]["exclude"], path + ": defaults.exclude");
  c.has_rules = doc.contains("rules");
  return c;
}

void ProjectConfig::apply(Finding& f, const std::string& relative) const {
  if (f.suppression) return;
  for (const std::string& r : allow_rules)
    if (r == f.rule_id) {
      f.suppression = Suppression{"external", "rule " + r + " allow-listed in " + path};
      return;
    }
  for (const std::string& glob : allow_paths)
    if (fnmatch(glob.c_str(), relative.c_str(), 0) == 0) {
      f.suppression = Suppression{"external", "path allow-listed in " + path + " (" + glob + ")"};
      return;
    }
}

}  // namespace sfmc::cli
