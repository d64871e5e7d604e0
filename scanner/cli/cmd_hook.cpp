#include "cli/cli_common.hpp"
namespace sfmc::cli { void register_hook(CLI::App&, int&) {} }
