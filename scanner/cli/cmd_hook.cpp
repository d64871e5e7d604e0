// `sfmc-scan hook install`: puts the pre-commit (or pre-push) hook from hooks/ into a
// repository's hooks folder, honouring core.hooksPath, never clobbering a hook that is
// not ours unless asked (--force replaces it, --chain keeps running it first).
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli_common.hpp"
#include "core/temp_file.hpp"
#include "embedded_hooks.hpp"
#include "sources/git/git_handle.hpp"

namespace fs = std::filesystem;

namespace sfmc::cli {

namespace {

struct HookCommand {
  std::string repository = ".";
  bool pre_push = false;
  bool force = false;
  bool chain = false;
};

constexpr const char* kMarker = "sfmc-scan pre-";  // in the first comment of both scripts

fs::path hooks_folder(git_repository* repo) {
  git_config* cfg = nullptr;
  git::check(git_repository_config_snapshot(&cfg, repo), "cannot read the repository's config");
  const char* value = nullptr;
  std::string hooks_path;
  if (git_config_get_string(&value, cfg, "core.hooksPath") == 0 && value) hooks_path = value;
  git_config_free(cfg);
  if (!hooks_path.empty()) {
    if (hooks_path.rfind("~/", 0) == 0 && std::getenv("HOME")) hooks_path = std::getenv("HOME") + hooks_path.substr(1);
    fs::path p(hooks_path);
    // Relative hooksPath is relative to where hooks run: the top of the working tree.
    if (p.is_relative()) {
      const char* wd = git_repository_workdir(repo);
      p = fs::path(wd ? wd : git_repository_path(repo)) / p;
    }
    return p.lexically_normal();
  }
  return fs::path(git_repository_commondir(repo)) / "hooks";
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int install(const HookCommand& c) {
  try {
    git::Repository repo = git::open_repository(c.repository);
    fs::path folder = hooks_folder(repo.get());
    const char* name = c.pre_push ? "pre-push" : "pre-commit";
    fs::path target = folder / name;
    std::string script = c.pre_push ? kPrePushHook : kPreCommitHook;
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    std::string scanner = ec ? "sfmc-scan" : self.string();
    for (std::size_t at; (at = script.find("@SFMC_SCAN@")) != std::string::npos;) script.replace(at, 11, scanner);

    fs::create_directories(folder, ec);
    if (fs::exists(target)) {
      bool ours = read_text(target).find(kMarker) != std::string::npos;
      if (!ours) {
        if (c.chain) {
          fs::path chained = target.string() + ".sfmc-chained";
          if (fs::exists(chained)) {
            print_error(chained.string() + " already exists: a hook is chained already");
            return static_cast<int>(ExitCode::error);
          }
          fs::rename(target, chained);
          std::cout << "kept the existing hook as " << chained.string() << "; it runs before sfmc-scan\n";
        } else if (c.force) {
          std::cout << "replacing the existing " << target.string() << '\n';
        } else {
          print_error(target.string() + " exists and is not sfmc-scan's: use --chain to run it before sfmc-scan, or --force to replace it");
          return static_cast<int>(ExitCode::error);
        }
      }
    }
    if (!replace_file(target.string(), script, 0755)) {
      print_error("cannot write " + target.string() + ": " + std::strerror(errno));
      return static_cast<int>(ExitCode::error);
    }
    std::cout << "installed " << name << " hook: " << target.string() << '\n';
    return 0;
  } catch (const std::exception& e) {
    print_error(e.what());
    return static_cast<int>(ExitCode::error);
  }
}

}  // namespace

void register_hook(CLI::App& app, int& exit_status) {
  CLI::App* hook = app.add_subcommand("hook", "Install sfmc-scan as a git hook");
  hook->require_subcommand(1);
  auto c = std::make_shared<HookCommand>();
  CLI::App* inst = hook->add_subcommand("install", "Install the pre-commit hook (or, with --pre-push, the pre-push hook)");
  inst->add_option("repository", c->repository, "Repository (default: the one around the current folder)");
  inst->add_flag("--pre-push", c->pre_push, "Install the pre-push hook instead of the pre-commit hook");
  inst->add_flag("--force", c->force, "Replace an existing hook that is not sfmc-scan's");
  inst->add_flag("--chain", c->chain, "Keep an existing hook and run it before sfmc-scan");
  inst->callback([c, &exit_status] { exit_status = install(*c); });
}

}  // namespace sfmc::cli
