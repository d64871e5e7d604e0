// Standard input readers: `git --pre-push` hook input (against a small repository
// made once) and the bounded line reader that `locate` and `report` use.
#include <git2.h>

#include <sstream>

#include "core/bounded_line.hpp"
#include "fuzz_support.hpp"
#include "sources/git/changes.hpp"
#include "sources/git/git_handle.hpp"

using namespace sfmc;

namespace {

git_repository* repository() {
  static git_repository* repo = [] {
    git_libgit2_init();
    std::string dir = "/tmp/sfmc-fuzz-repo-" + std::to_string(::getpid());
    git_repository* r = nullptr;
    if (git_repository_init(&r, dir.c_str(), true) != 0) return static_cast<git_repository*>(nullptr);
    return r;
  }();
  return repo;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  {
    std::istringstream in(text);
    std::string line;
    for (LineRead r; (r = read_bounded_line(in, line, 64)) != LineRead::end;)
      if (line.size() > 64) __builtin_trap();  // the bound is the promise
  }
  if (git_repository* repo = repository()) {
    std::istringstream in(text);
    try {
      (void)git::push_changes(repo, in);
    } catch (const std::exception&) {
      // input that is not git's is refused with a message
    }
  }
  return 0;
}
