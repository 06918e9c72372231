// Douyin's order.searchList data as any JSON: every order is mapped or rejected with a reason.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "plugins/douyin/douyin_order_mapper.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Not JSON at all is the client's to refuse before mapping; the mapper sees parsed JSON.
  const auto json = nlohmann::json::parse(data, data + size, nullptr, false);
  if (json.is_discarded()) return 0;
  try {
    (void)erp::plugins::douyin::map_order_list(json, "fuzz-douyin");
  } catch (const std::invalid_argument&) {
    // A page of the wrong shape, as the mapper documents: the client turns it into an error.
  }
  return 0;
}
