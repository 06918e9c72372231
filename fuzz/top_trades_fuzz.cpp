// TOP's trade listing (taobao.trades.sold.increment.get) as any body the gateway could answer:
// every trade is mapped or rejected with a reason, and nothing crashes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plugins/top/top_trade_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)erp::plugins::top::parse_trade_page(body, true, "fuzz-tmall");
  (void)erp::plugins::top::parse_trade_page(body, false, "fuzz-taobao");
  return 0;
}
