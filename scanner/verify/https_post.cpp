#include "verify/https_post.hpp"

#include "core/module_loader.hpp"

namespace sfmc {

namespace {

using PostFn = decltype(&sfmc_https_post);  // the module's declaration: a changed signature fails to compile

PostFn post_function(std::string& why) {
#ifdef SFMC_MODULES_LINKED
  (void)why;
  return sfmc_https_post;
#else
  static std::string unavailable;
  static PostFn post = [] { return reinterpret_cast<PostFn>(module_symbol("verify", "sfmc_https_post", unavailable)); }();
  why = unavailable;
  return post;
#endif
}

}  // namespace

bool https_post_available(std::string& why) { return post_function(why) != nullptr; }

void https_post(HttpExchange& exchange) {
  std::string why;
  if (PostFn post = post_function(why)) {
    if (!post(&exchange)) {
      exchange.answered = false;
      exchange.error = "out of memory";
    }
  } else {
    exchange.answered = false;
    exchange.error = "the verify module is not available (" + why + ")";
  }
}

}  // namespace sfmc
