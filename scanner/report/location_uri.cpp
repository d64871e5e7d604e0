#include "report/location_uri.hpp"

#include <filesystem>
#include <vector>

#include "core/percent_encoding.hpp"

namespace fs = std::filesystem;

namespace sfmc {

std::string folder_file_uri(const std::string& absolute_folder) {
  std::string p = percent_encode(absolute_folder);
  if (p.empty() || p.back() != '/') p += '/';
  return "file://" + p;
}

ArtifactUri artifact_uri(const std::string& path, const std::string& working_directory) {
  if (path == "-") return {"stdin", true};
  // A remote repository of a sweep is named by its URL (credentials already removed).
  if (std::size_t scheme = path.find("://"); scheme != std::string::npos && scheme > 0 && path.find('/') > scheme) {
    std::size_t slash = path.find('/', scheme + 3);
    if (slash == std::string::npos) return {path, false};
    return {path.substr(0, slash) + percent_encode(path.substr(slash)), false};
  }
  fs::path p = fs::path(path).lexically_normal();
  if (p.is_relative()) {
    fs::path rel = p;
    // "../x" leaves the working folder: express it absolutely instead.
    if (!rel.empty() && *rel.begin() != "..") return {percent_encode(rel.generic_string()), true};
    p = (fs::path(working_directory) / p).lexically_normal();
  }
  fs::path rel = p.lexically_relative(working_directory);
  if (!rel.empty() && *rel.begin() != "..") return {percent_encode(rel.generic_string()), true};
  return {"file://" + percent_encode(p.generic_string()), false};
}

}  // namespace sfmc

namespace sfmc {

std::string repository_uri(const std::string& remote) {
  if (remote.empty()) return {};
  std::size_t scheme = remote.find("://");
  if (scheme != std::string::npos) {
    std::size_t host = scheme + 3;
    std::size_t slash = remote.find('/', host);
    std::size_t at = remote.rfind('@', slash == std::string::npos ? remote.size() : slash);
    if (at != std::string::npos && at >= host) return remote.substr(0, host) + remote.substr(at + 1);
    return remote;
  }
  // scp-like: [user@]host:path, where the host part holds no slash.
  std::size_t colon = remote.find(':');
  std::size_t slash = remote.find('/');
  if (colon != std::string::npos && colon > 0 && (slash == std::string::npos || colon < slash)) {
    std::string host = remote.substr(0, colon);
    std::size_t at = host.rfind('@');
    if (at != std::string::npos) host = host.substr(at + 1);
    std::string path = remote.substr(colon + 1);
    return "ssh://" + host + "/" + percent_encode(path.rfind('/', 0) == 0 ? path.substr(1) : path);
  }
  std::error_code ec;
  fs::path absolute = fs::absolute(remote, ec);
  return "file://" + percent_encode((ec ? fs::path(remote) : absolute).lexically_normal().generic_string());
}

std::string chain_text(const std::vector<std::string>& chain) {
  if (chain.size() < 2) return {};
  std::string inner;
  for (std::size_t i = 1; i < chain.size(); ++i) inner += (i > 1 ? "!" : "") + chain[i];
  return inner + " inside " + chain[0];
}

}  // namespace sfmc
