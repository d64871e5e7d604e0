#pragma once
// Parts of the scanner that need a large third-party library only some inputs call
// for (GMime for mail, qpdf for PDF, libcurl for --verify) are built as modules and
// loaded the first time an input needs one. A run that meets no mail, no PDF and
// verifies nothing never maps those libraries and the ~30 they pull in. Mapping and
// relocating libraries was four fifths of start-up (perf), which is most of what a
// pre-commit hook pays: an empty scan took 18 ms with them linked, 9 ms without
// (together with SHA-256 off EVP, core/sha256.cpp).
//
// Where a module is looked for, first hit wins:
//   1. $SFMC_MODULE_DIR, if set (absolute, and only there: a test points it at an empty folder);
//   2. the build folder's modules/, when the binary is inside its build folder;
//   3. <folder of the binary>/<libdir>/sfmc-scan relative to <bindir>, as installed.
// A module is run only if no one but root, the user and the binary's owner could have put
// it there (it and the folders above it owned by them, writable by no one else), and kept only if it
// was built with the same interface and flags (SFMC_MODULE_ABI): a stale module from
// another build is an error message, not undefined behaviour.
//
// The callers turn a module that cannot be loaded into a decoder-unavailable warning
// per input and an exit status of 2 (cli/cli_common.cpp), never a silent miss.
//
// Builds that cannot load modules (the libFuzzer harnesses) compile the module code
// into the binary instead (SFMC_MODULES_LINKED); SFMC_MODULE_ENTRY hides the difference.
#include <string>
#include <string_view>
#include <utility>

namespace sfmc {

// The address of `symbol` in module `name` ("mail" is modules/mail.so), loading it
// on first use (thread-safe; a module is never unloaded). nullptr when it cannot be
// loaded or lacks the symbol; `error` then says why, in words a user can act on.
void* module_symbol(std::string_view name, const char* symbol, std::string& error);

// A module's entry point, typed by its declaration (decltype(&sfmc_mail_read)): a
// changed signature then fails to compile here. Made with SFMC_MODULE_ENTRY, as a
// function-local static, so the module is looked for once.
template <typename Fn>
class ModuleFunction {
 public:
  ModuleFunction(std::string_view module, const char* symbol)
      : fn_(reinterpret_cast<Fn>(module_symbol(module, symbol, why_))) {}
  explicit ModuleFunction(Fn linked_in) : fn_(linked_in) {}
  explicit operator bool() const { return fn_ != nullptr; }
  const std::string& why() const { return why_; }  // when false: why it is not there
  template <typename... Args>
  auto operator()(Args&&... args) const {
    return fn_(std::forward<Args>(args)...);
  }

 private:
  std::string why_;  // before fn_: filled while fn_ is initialised
  Fn fn_;
};

// The entry point `entry` of module `module`: looked up in the module, or, in builds
// that link the module code in (SFMC_MODULES_LINKED), the function itself. The one
// place that tells the two builds apart.
#ifdef SFMC_MODULES_LINKED
#define SFMC_MODULE_ENTRY(module, entry) ::sfmc::ModuleFunction<decltype(&entry)>(&entry)
#else
#define SFMC_MODULE_ENTRY(module, entry) ::sfmc::ModuleFunction<decltype(&entry)>(module, #entry)
#endif

// For the modules' entry points, which are noexcept (nothing may unwind into the
// binary through dlsym'd code): runs `work`, false if it threw. The caller, in the
// binary, says what went wrong; nothing is built inside a catch.
template <typename Work>
bool completes(Work&& work) noexcept {
  try {
    work();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace sfmc
