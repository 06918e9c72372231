#include "plugins/top/top_trade_page.hpp"

#include <cstdlib>
#include <variant>

#include "plugins/top/top_response.hpp"

namespace erp::plugins::top {

TradePage map_trade_list(const nlohmann::json& response, const MapOptions& options) {
  TradePage page;
  if (const auto it = response.find("total_results"); it != response.end()) {
    if (it->is_number_integer()) page.total_results = it->get<std::int64_t>();
    if (it->is_string()) page.total_results = std::atoll(it->get_ref<const std::string&>().c_str());
  }
  if (const auto it = response.find("has_next"); it != response.end() && it->is_boolean()) {
    page.has_next = it->get<bool>();
  }
  const auto trades = response.find("trades");
  // TOP leaves `trades` out entirely when the page is empty.
  if (trades == response.end() || !trades->is_object()) return page;
  const auto list = trades->find("trade");
  if (list == trades->end()) return page;
  if (!list->is_array()) {
    page.rejected.push_back(sdk::Rejected{"", "trades.trade is not a list", list->dump()});
    return page;
  }
  page.orders.reserve(list->size());
  for (const auto& trade : *list) {
    auto mapped = map_trade(trade, options);
    if (auto* order = std::get_if<sdk::Order>(&mapped)) {
      page.orders.push_back(std::move(*order));
    } else {
      page.rejected.push_back(std::get<sdk::Rejected>(std::move(mapped)));
    }
  }
  return page;
}

sdk::Result<TradePage> parse_trade_page(std::string_view body, bool tmall, const std::string& shop) {
  sdk::HttpResponse response;
  response.status = 200;
  response.body = std::string(body);
  auto inner = unwrap_response("taobao.trades.sold.increment.get", response);
  // A recorded taobao.trades.sold.get page has the same trade list under its own root.
  if (!inner && body.find("\"trades_sold_get_response\"") != std::string_view::npos) {
    inner = unwrap_response("taobao.trades.sold.get", response);
  }
  if (!inner) return std::move(inner).error();
  return map_trade_list(*inner, MapOptions{tmall, tmall ? "tmall" : "taobao", shop});
}

}  // namespace erp::plugins::top
