#pragma once
// SARIF artifact URIs: relative to the scan's working folder where possible (what
// GitHub code scanning needs), percent-encoded, with "file" as the only scheme.
#include <string>
#include <vector>

namespace sfmc {

struct ArtifactUri {
  std::string uri;
  bool relative = false;  // relative to %SRCROOT% (uriBaseId)
};

ArtifactUri artifact_uri(const std::string& path, const std::string& working_directory);
// "file:///abs/dir/" for a folder.
std::string folder_file_uri(const std::string& absolute_folder);

// A repository's remote URL as a URI fit for a report: credentials dropped
// (https://user:token@host/...), scp-like "git@host:path" as ssh://host/path, a local
// path as a file URI. Empty when `remote` is empty.
std::string repository_uri(const std::string& remote);

// How a finding inside something names where it is, for a message: the chain below the
// outermost input ("l2.zip!l1.zip!x.env inside l3.zip"). Empty for a plain input.
// Whatever the layers (archive members, decoded content), the outermost input is what
// a code host can link to; the rest is said in words.
std::string chain_text(const std::vector<std::string>& chain);

}  // namespace sfmc
