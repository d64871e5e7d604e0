#include "core/module_loader.hpp"

#include <dlfcn.h>

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

std::vector<fs::path> module_folders() {
  if (const char* env = std::getenv("SFMC_MODULE_DIR"); env && *env) return {fs::path(env)};
  std::vector<fs::path> folders;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return folders;
  const fs::path bin = exe.parent_path();
  folders.push_back((bin / SFMC_MODULES_FROM_BINDIR).lexically_normal());
  // Tests and benchmarks live in subfolders of the build folder: any binary below it
  // uses the modules built beside it.
  const fs::path build = fs::weakly_canonical(SFMC_BUILD_BIN_DIR, ec);
  if (!ec) {
    const fs::path real_bin = fs::weakly_canonical(bin, ec);
    auto [b, r] = std::mismatch(build.begin(), build.end(), real_bin.begin(), real_bin.end());
    if (!ec && b == build.end()) folders.push_back(build / "modules");
  }
  return folders;
}

LoadedModule load(const std::string& name) {
  LoadedModule m;
  std::string tried;
  for (const fs::path& folder : module_folders()) {
    const fs::path file = folder / (name + ".so");
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      tried += (tried.empty() ? "" : ", ") + file.string();
      continue;
    }
    void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      m.error = "cannot load " + file.string() + ": " + (why ? why : "unknown error");
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
