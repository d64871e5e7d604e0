#include "verify/https_post.hpp"

#include "core/module_loader.hpp"

namespace sfmc {

namespace {

const auto& post() {
  static const auto f = SFMC_MODULE_ENTRY("verify", sfmc_https_post);
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

}  // namespace sfmc
