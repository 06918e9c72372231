#pragma once
// A page of trades (taobao.trades.sold.increment.get / trades.sold.get answer) -> Orders + Rejected.
// Exposed for benchmarks: parse a recorded page body directly, no adapter or host needed.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/result.hpp"
#include "plugins/top/top_trade_mapper.hpp"

namespace erp::plugins::top {

struct TradePage {
  std::vector<sdk::Order> orders;
  std::vector<sdk::Rejected> rejected;
  std::int64_t total_results = 0;  ///< 0 when the answer carried none (use_has_next).
  bool has_next = false;
};

/// Maps the object under `trades_sold_increment_get_response` (`total_results`, `trades.trade[]`).
TradePage map_trade_list(const nlohmann::json& response, const MapOptions& options);

/// Parses a whole recorded HTTP body of taobao.trades.sold.increment.get (or trades.sold.get; an
/// error_response comes back classified). Platform is "tmall" when `tmall`, else "taobao".
sdk::Result<TradePage> parse_trade_page(std::string_view body, bool tmall, const std::string& shop);

}  // namespace erp::plugins::top
