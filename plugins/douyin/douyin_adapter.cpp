#include "plugins/douyin/douyin_adapter.hpp"

#include <chrono>
#include <exception>
#include <string>
#include <variant>

#include "plugins/common/guarded.hpp"
#include "plugins/common/page_size_option.hpp"
#include "plugins/common/paging.hpp"
#include "plugins/douyin/douyin_config.hpp"
#include "plugins/douyin/douyin_decrypt.hpp"
#include "plugins/douyin/douyin_order_mapper.hpp"
#include "plugins/douyin/douyin_push.hpp"
#include "plugins/douyin/douyin_shipping.hpp"

namespace erp::plugins::douyin {
namespace {

using nlohmann::json;
using sdk::ErrorCode;

// order.addOrderRemark takes a remark of at most 60 characters (code points, not bytes).
constexpr int kMaxRemarkChars = 60;

// Business numbers under 50002 isv.business-failed:<n>. Douyin does not document them; these are
// platform-sim's (tests/sim/README.md), recognised so a missing order reads as not_found.
constexpr std::string_view kOrderNotFound = "isv.business-failed:10016";

std::int64_t unix_seconds(sdk::Instant t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

DouyinAdapter::DouyinAdapter(sdk::HostContext& host) : host_(host), client_(host) {}

sdk::Capabilities DouyinAdapter::capabilities() const {
  sdk::Capabilities caps;
  caps.incremental_sync = true;
  caps.memo_write = true;
  caps.split_shipment = true;
  caps.push_events = true;
  caps.receiver_decrypt = true;
  caps.max_window_seconds = 86400;
  caps.memo_max_chars = kMaxRemarkChars;  // order.addOrderRemark
  return caps;
}

std::string DouyinAdapter::shop() const { return host_.config().get_or("id", ""); }

// ---------------------------------------------------------------------------------------------
// list_modified: order.searchList over update_time, walked backwards like TOP's listing
// (plugins/common/paging: an order changing during the walk leaves the window and shifts the rest).

sdk::Result<json> DouyinAdapter::fetch_page(const sdk::ModifiedWindow& window, std::int64_t page, std::int64_t size) {
  // Douyin's bounds are inclusive unix seconds; the SDK window is half-open [from, to).
  const json params{{"update_time_start", unix_seconds(window.from)},
                    {"update_time_end", unix_seconds(window.to - std::chrono::milliseconds{1})},
                    {"order_by", "update_time"},
                    {"page", page},
                    {"size", size}};
  return client_.call("order.searchList", params);
}

sdk::Result<sdk::OrderPage> DouyinAdapter::list_modified(const sdk::ModifiedWindow& window, const std::string& page) {
  return guarded<sdk::OrderPage>("list_modified", [&] { return list_modified_impl(window, page); });
}

sdk::Result<sdk::OrderPage> DouyinAdapter::list_modified_impl(const sdk::ModifiedWindow& window,
                                                              const std::string& page) {
  if (window.to <= window.from) return sdk::OrderPage{};
  if (window.to - window.from > std::chrono::seconds{86400}) {
    return sdk::fail(ErrorCode::invalid_input, "Douyin windows are at most 1 day (max_window_seconds 86400)");
  }
  return list_backwards(page, page_size_option(host_.config(), kDefaultPageSize),
                        [&](std::int64_t page_no, std::int64_t size) -> sdk::Result<ListedPage> {
                          auto body = fetch_page(window, page_no - 1, size);  // Douyin counts pages from 0
                          if (!body) return std::move(body).error();
                          auto mapped = map_order_list(*body, shop());
                          return ListedPage{std::move(mapped.orders), std::move(mapped.rejected), mapped.total};
                        });
}

// ---------------------------------------------------------------------------------------------
// get_order

sdk::Result<json> DouyinAdapter::order_detail(const std::string& order_id) {
  DouyinError refusal;
  auto data = client_.call("order.orderDetail", json{{"shop_order_id", order_id}}, &refusal);
  if (!data) {
    if (refusal.sub_code == kOrderNotFound) return sdk::fail(ErrorCode::not_found, "Douyin has no order " + order_id);
    return std::move(data).error();
  }
  const auto detail = data->find("shop_order_detail");
  if (detail == data->end() || !detail->is_object()) {
    return sdk::fail(ErrorCode::not_found, "order.orderDetail returned no shop_order_detail for " + order_id);
  }
  return *detail;
}

sdk::Result<sdk::Order> DouyinAdapter::get_order(const std::string& order_id) {
  return guarded<sdk::Order>("get_order", [&]() -> sdk::Result<sdk::Order> {
    if (order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty order id");
    auto detail = order_detail(order_id);
    if (!detail) return std::move(detail).error();
    auto mapped = map_shop_order(*detail, shop());
    if (auto* order = std::get_if<sdk::Order>(&mapped)) return std::move(*order);
    return sdk::fail(ErrorCode::invalid_input,
                     "order " + order_id + " cannot be mapped: " + std::get<sdk::Rejected>(mapped).reason);
  });
}

// ---------------------------------------------------------------------------------------------
// write_memo (rule I3): order.addOrderRemark, the flag as Douyin's star (0 grey ... 5 red).

sdk::Result<void> DouyinAdapter::write_memo(const sdk::MemoUpdate& update) {
  return guarded<void>("write_memo", [&]() -> sdk::Result<void> {
    if (update.order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty order id");
    if (update.flag < 0 || update.flag > 5) return sdk::fail(ErrorCode::invalid_input, "Douyin stars are 0 to 5");
    std::size_t characters = 0;
    for (const char c : update.memo) {
      if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++characters;
    }
    if (characters > static_cast<std::size_t>(kMaxRemarkChars)) {
      return sdk::fail(ErrorCode::invalid_input,
                       "Douyin remarks are at most " + std::to_string(kMaxRemarkChars) + " characters");
    }
    const json params{{"order_id", update.order_id},
                      {"remark", update.memo},
                      {"is_add_star", update.flag > 0 ? "true" : "false"},
                      {"star", update.flag}};
    auto written = client_.call("order.addOrderRemark", params);
    if (!written) return std::move(written).error();
    return {};
  });
}

// ---------------------------------------------------------------------------------------------
// ship: exactly one upload per shipment (DOMAIN "what the daemon owes every order")

sdk::Result<sdk::ShipmentReceipt> DouyinAdapter::ship(const sdk::Shipment& shipment) {
  return guarded<sdk::ShipmentReceipt>("ship", [&] { return ship_impl(shipment); });
}

sdk::Result<sdk::ShipmentReceipt> DouyinAdapter::ship_impl(const sdk::Shipment& shipment) {
  if (auto invalid = check_shipment(shipment); !invalid) return std::move(invalid).error();
  // Read before writing: a previous attempt (crash, lost answer) may already have shipped it.
  auto before = order_detail(shipment.order_id);
  if (!before) return std::move(before).error();
  const auto pending = pending_packages(*before, shipment);
  if (pending.empty()) return sdk::ShipmentReceipt{true, "every package is already on the order"};

  const ShipCall call = ship_call(*before, shipment, pending);
  DouyinError refusal;
  auto uploaded = client_.call(call.method, call.params, &refusal);
  if (uploaded) return sdk::ShipmentReceipt{false, "uploaded " + std::to_string(pending.size()) + " package(s)"};
  const bool unknown_outcome = uploaded.error().code == ErrorCode::transient;
  const bool already = refusal.sub_code == kAlreadyShipped;
  if (!unknown_outcome && !already) return std::move(uploaded).error();

  // The upload may have happened (timeout, cut-off answer) or Douyin says it already shipped:
  // the order itself tells which.
  auto after = order_detail(shipment.order_id);
  if (!after) return std::move(uploaded).error();
  if (pending_packages(*after, shipment).empty()) {
    return sdk::ShipmentReceipt{already, already ? "already on the order" : "uploaded (confirmed by reading back)"};
  }
  if (already) {
    return sdk::fail(ErrorCode::already_shipped,
                     "order " + shipment.order_id + ": the items already shipped with another waybill");
  }
  return std::move(uploaded).error();
}

// ---------------------------------------------------------------------------------------------
// pushes (rule D11)

sdk::Result<sdk::PushBatch> DouyinAdapter::parse_push(const sdk::PushRequest& request) {
  return guarded<sdk::PushBatch>("parse_push", [&]() -> sdk::Result<sdk::PushBatch> {
    auto secret = host_.secrets().get("app_secret");
    if (!secret || secret->empty()) return sdk::fail(ErrorCode::config_error, "the shop has no app_secret");
    return parse_douyin_push(request, host_.config().get_or("app_key", ""), *secret,
                             host_.config().get_or("douyin_shop_id", ""));
  });
}

sdk::PushReply DouyinAdapter::push_refusal(const sdk::Error& why) {
  (void)why;
  return sdk::PushReply{400, "application/json", std::string(kPushFailure)};
}

// ---------------------------------------------------------------------------------------------
// receivers (rule D10)

sdk::Result<std::vector<sdk::PlainReceiver>> DouyinAdapter::decrypt_receivers(
    const std::vector<sdk::ReceiverCipher>& ciphers) {
  return guarded<std::vector<sdk::PlainReceiver>>("decrypt_receivers", [&] { return decrypt_impl(ciphers); });
}

sdk::Result<std::vector<sdk::PlainReceiver>> DouyinAdapter::decrypt_impl(
    const std::vector<sdk::ReceiverCipher>& ciphers) {
  DecryptPlan plan = plan_decryption(ciphers);
  for (const auto& batch : plan.batches) {
    auto answer = client_.call("order.batchDecrypt", json{{"cipher_infos", batch}});
    if (!answer) return std::move(answer).error();
    plan.take(*answer);
  }
  return plan.results();
}

}  // namespace erp::plugins::douyin
