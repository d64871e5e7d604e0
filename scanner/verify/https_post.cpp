#include "verify/https_post.hpp"

#include "core/module_loader.hpp"

namespace sfmc {

#ifdef SFMC_MODULES_LINKED
bool https_post_available(std::string&) { return true; }

void https_post(HttpExchange& exchange) {
  if (!sfmc_https_post(&exchange)) {
    exchange.answered = false;
    exchange.error = "out of memory";
  }
}
#else
namespace {

const ModuleFunction<decltype(&sfmc_https_post)>& post() {
  static const ModuleFunction<decltype(&sfmc_https_post)> f("verify", "sfmc_https_post");
  return f;
}

}  // namespace

bool https_post_available(std::string& why) {
  if (post()) return true;
  why = post().why();
  return false;
}

void https_post(HttpExchange& exchange) {
  if (!post()) {
    exchange.answered = false;
    exchange.error = "the verify module is not available (" + post().why() + ")";
  } else if (!post()(&exchange)) {
    exchange.answered = false;
    exchange.error = "out of memory";
  }
}
#endif

}  // namespace sfmc
