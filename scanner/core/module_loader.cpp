#include "core/module_loader.hpp"

#include <dlfcn.h>
#include <grp.h>
#include <pwd.h>
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

// Whose files may hold code for us: root, us, and whoever owns the binary itself (who
// can already make it run anything: a GitHub container job runs as root a binary the
// runner's user installed).
bool trusted_owner(uid_t uid) {
  static const uid_t binary_owner = [] {
    struct stat st {};
    return ::stat("/proc/self/exe", &st) == 0 ? st.st_uid : uid_t{0};
  }();
  return uid == 0 || uid == geteuid() || uid == binary_owner;
}

// Group write is harmless only where the group is ours alone: a per-user group (umask
// 002), named as we are. A shared group ("users") is not.
bool own_group(gid_t gid) {
  if (gid == 0) return true;
  if (gid != getegid()) return false;
  const passwd* pw = getpwuid(geteuid());
  const group* gr = getgrgid(gid);
  return pw && gr && pw->pw_name && gr->gr_name && std::strcmp(pw->pw_name, gr->gr_name) == 0 &&
         (!gr->gr_mem || !gr->gr_mem[0]);
}

// Code is run from `file` only if no one but root, us and the binary's owner could have
// put it there: the file and every folder above it owned by them and writable by no one
// else. A sticky folder (/tmp) may be writable by all, since others cannot replace what
// is in it. `resolved` is the path that was checked, symbolic links resolved: that one
// is loaded, so no link can be turned elsewhere in between.
bool trusted(const fs::path& file, fs::path& resolved, std::string& why) {
  std::error_code ec;
  resolved = fs::canonical(file, ec);
  if (ec) {
    why = file.string() + ": " + ec.message();
    return false;
  }
  fs::path p = resolved;
  for (bool first = true;; first = false) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      why = p.string() + ": " + std::strerror(errno);
      return false;
    }
    const bool sticky_folder = !first && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX);
    if (!trusted_owner(st.st_uid)) {
      why = p.string() + " belongs to another user (uid " + std::to_string(st.st_uid) + ")";
      return false;
    }
    if (((st.st_mode & S_IWOTH) && !sticky_folder) || ((st.st_mode & S_IWGRP) && !own_group(st.st_gid) && !sticky_folder)) {
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
    fs::path resolved;
    if (!trusted(file, resolved, why)) {
      m.error = "refused " + file.string() + ": " + why;
      return m;
    }
    void* handle = dlopen(resolved.c_str(), RTLD_NOW | RTLD_LOCAL);
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
