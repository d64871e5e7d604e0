#include "sources/bucket/store_request.hpp"

#include "core/module_loader.hpp"

namespace sfmc {

void store_get(StoreRequest& request) {
  static const auto get = SFMC_MODULE_ENTRY("store", sfmc_store_get);
  if (!get) {
    request.answered = false;
    request.error = "the store module is not available (" + get.why() + ")";
  } else if (!get(&request)) {
    request.answered = false;
    request.error = "out of memory";
  }
}

}  // namespace sfmc
