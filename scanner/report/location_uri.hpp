#pragma once
// SARIF artifact URIs: relative to the scan's working folder where possible (what
// GitHub code scanning needs), percent-encoded, with "file" as the only scheme.
#include <string>

namespace sfmc {

struct ArtifactUri {
  std::string uri;
  bool relative = false;  // relative to %SRCROOT% (uriBaseId)
};

ArtifactUri artifact_uri(const std::string& path, const std::string& working_directory);
std::string percent_encode_path(const std::string& path);
// "file:///abs/dir/" for a folder.
std::string folder_file_uri(const std::string& absolute_folder);

}  // namespace sfmc
