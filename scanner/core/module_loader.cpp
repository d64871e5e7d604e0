#include "core/module_loader.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

namespace fs = std::filesystem;

namespace sfmc {

namespace {

struct LoadedModule {
  void* handle = nullptr;
  std::string error;  // why it could not be loaded, when handle is null
};

// Where to look, in order. A binary inside its build folder (tests, benchmarks and the
// harnesses live in subfolders of it) takes that build's modules before anything
// installed, so a developer never runs an installed module by mistake.
std::vector<fs::path> module_folders(std::string& error) {
  if (const char* env = std::getenv("SFMC_MODULE_DIR"); env && *env) {
    // Relative would mean relative to wherever the scan runs: a hook runs in the
    // repository being scanned, whose files are not ours to execute.
    if (fs::path(env).is_relative()) {
      error = "$SFMC_MODULE_DIR must be an absolute path, not '" + std::string(env) + "'";
      return {};
    }
    return {fs::path(env)};
  }
  std::vector<fs::path> folders;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return folders;
  const fs::path bin = exe.parent_path();
  const fs::path build = fs::weakly_canonical(SFMC_BUILD_BIN_DIR, ec);
  if (!ec) {
    const fs::path real_bin = fs::weakly_canonical(bin, ec);
    auto [b, r] = std::mismatch(build.begin(), build.end(), real_bin.begin(), real_bin.end());
    if (!ec && b == build.end()) folders.push_back(build / "modules");
  }
  // Relative to bin/ as installed, or absolute when the libdir was configured so.
  folders.push_back((bin / SFMC_MODULES_FROM_BINDIR).lexically_normal());
  return folders;
}

// Code is run from `file` only if no one but root and us could have put it there: the
// file and every folder above it owned by root or by us, and writable by no one else.
// A sticky folder (/tmp) may be writable by all, since others cannot replace what is
// in it; group write is accepted only for our own group (umask 002 with per-user groups).
bool trusted(const fs::path& file, std::string& why) {
  std::error_code ec;
  fs::path p = fs::canonical(file, ec);
  if (ec) {
    why = file.string() + ": " + ec.message();
    return false;
  }
  const uid_t me = geteuid();
  const gid_t my_group = getegid();
  for (bool first = true;; first = false) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      why = p.string() + ": " + std::strerror(errno);
      return false;
    }
    const bool sticky_folder = !first && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
    if (st.st_uid != 0 && st.st_uid != me) {
      why = p.string() + " belongs to another user (uid " + std::to_string(st.st_uid) + ")";
      return false;
    }
    if (((st.st_mode & S_IWOTH) && !sticky_folder) ||
        ((st.st_mode & S_IWGRP) && st.st_gid != my_group && st.st_gid != 0 && !sticky_folder)) {
      why = p.string() + " can be written by other users";
      return false;
    }
    if (p == p.root_path()) return true;
    p = p.parent_path();
  }
}

LoadedModule load(const std::string& name) {
  LoadedModule m;
  std::string tried;
  const std::vector<fs::path> folders = module_folders(m.error);
  if (!m.error.empty()) return m;
  for (const fs::path& folder : folders) {
    const fs::path file = folder / (name + ".so");
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      tried += (tried.empty() ? "" : ", ") + file.string();
      continue;
    }
    std::string why;
    if (!trusted(file, why)) {
      m.error = "refused " + file.string() + ": " + why;
      return m;
    }
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* reason = dlerror();
      m.error = "cannot load " + file.string() + ": " + (reason ? reason : "unknown error");
      return m;
    }
    using AbiFn = const char* (*)();
    auto abi = reinterpret_cast<AbiFn>(dlsym(handle, "sfmc_module_abi"));
    if (!abi || std::strcmp(abi(), SFMC_MODULE_ABI) != 0) {
      // Left mapped: unloading libraries with static state (glib's type system) is unsafe.
      m.error = file.string() + " was built for another sfmc-scan build (reinstall or rebuild it)";
      return m;
    }
    m.handle = handle;
    return m;
  }
  m.error = "module " + name + ".so not found (looked in " + (tried.empty() ? "no folder" : tried) + ")";
  return m;
}

}  // namespace

void* module_symbol(std::string_view name, const char* symbol, std::string& error) {
  static std::mutex mutex;
  static std::map<std::string, LoadedModule, std::less<>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = loaded.find(name);
  if (it == loaded.end()) it = loaded.emplace(std::string(name), load(std::string(name))).first;
  if (!it->second.handle) {
    error = it->second.error;
    return nullptr;
  }
  void* address = dlsym(it->second.handle, symbol);
  if (!address) error = "module " + std::string(name) + ".so has no " + symbol;
  return address;
}

}  // namespace sfmc
