#include "plugins/douyin/douyin_adapter.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "plugins/common/guarded.hpp"
#include "plugins/common/page_size_option.hpp"
#include "plugins/common/paging.hpp"
#include "plugins/douyin/douyin_config.hpp"
#include "plugins/douyin/douyin_decrypt.hpp"
#include "plugins/douyin/douyin_dropship.hpp"
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

// list_dropship's next_page: "ds1:<first second of the slice being read>:<list_backwards token>".
constexpr std::string_view kDropshipCursor = "ds1:";
// Empty 30-minute slices skipped in one list_dropship call before it hands back an empty page
// (a day's worth), so one call over a long window stays short.
constexpr int kMaxEmptySlicesPerCall = 48;

std::string dropship_cursor(std::int64_t slice_start, const std::string& inner) {
  return std::string(kDropshipCursor) + std::to_string(slice_start) + ':' + inner;
}

struct DropshipCursor {
  std::int64_t slice_start = 0;
  std::string inner;
};

std::optional<DropshipCursor> read_dropship_cursor(std::string_view token) {
  if (token.substr(0, kDropshipCursor.size()) != kDropshipCursor) return std::nullopt;
  token.remove_prefix(kDropshipCursor.size());
  const auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  DropshipCursor out;
  const auto [end, error] = std::from_chars(token.data(), token.data() + colon, out.slice_start);
  if (error != std::errc() || end != token.data() + colon) return std::nullopt;
  out.inner = std::string(token.substr(colon + 1));
  return out;
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
  caps.dropship = true;  // iop.* (douyin_dropship)
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

// ---------------------------------------------------------------------------------------------
// dropship, merchant side (rules D2-D4)

sdk::Result<std::vector<sdk::FactoryBinding>> DouyinAdapter::list_factories() {
  return guarded<std::vector<sdk::FactoryBinding>>(
      "list_factories", [&]() -> sdk::Result<std::vector<sdk::FactoryBinding>> {
        std::vector<sdk::FactoryBinding> out;
        std::size_t seen = 0;
        // A merchant binds a handful of factories; the page limit only guards against a looping answer.
        for (std::int64_t page = 0; page < 1000; ++page) {
          auto data = client_.call("iop.sellerSupplierList", json{{"page", page}, {"size", kMaxDropshipPageSize}});
          if (!data) return std::move(data).error();
          auto mapped = map_supplier_list(*data);
          seen += mapped.listed;
          for (auto& binding : mapped.factories) out.push_back(std::move(binding));
          if (mapped.listed < static_cast<std::size_t>(kMaxDropshipPageSize) ||
              (mapped.total > 0 && static_cast<std::int64_t>(seen) >= mapped.total))
            break;
        }
        return out;
      });
}

sdk::Result<std::vector<sdk::DistributeResult>> DouyinAdapter::distribute(const sdk::DistributeRequest& request) {
  return guarded<std::vector<sdk::DistributeResult>>("distribute", [&] { return distribute_impl(request); });
}

sdk::Result<std::vector<sdk::DistributeResult>> DouyinAdapter::distribute_impl(const sdk::DistributeRequest& request) {
  if (auto invalid = check_distribute(request); !invalid) return std::move(invalid).error();
  std::vector<std::optional<sdk::DistributeResult>> placed(request.items.size());
  bool assigned_any = false;
  for (const auto& params : distribute_calls(request)) {
    // The request's items this call carries, in request order.
    std::set<std::string> orders;
    for (const auto& target : params["distribute_order_list"]) orders.insert(target["order_id"].get<std::string>());
    std::vector<std::size_t> at;
    std::vector<sdk::DistributeItem> items;
    for (std::size_t i = 0; i < request.items.size(); ++i) {
      if (orders.count(request.items[i].order_id) == 0) continue;
      at.push_back(i);
      items.push_back(request.items[i]);
    }

    DouyinError refusal;
    auto answer = client_.call("iop.sellerDistribute", params, &refusal);
    std::vector<sdk::DistributeResult> results;
    if (answer) {
      results = map_distribute_results(items, *answer);
    } else if (auto refused = distribute_refusal(items, refusal)) {
      results = std::move(*refused);
    } else if (!assigned_any) {
      return std::move(answer).error();  // nothing was assigned: the whole request failed
    } else {
      // Earlier calls assigned items: their distr_order_ids must not be lost to an error. This
      // call's items did not get an answer (a transport failure leaves the outcome unknown).
      results = refuse_all(items, sdk::DropshipRefusal::other,
                           "not confirmed: " + answer.error().message +
                               "; distribute again (an item already assigned comes back already_assigned)");
    }
    for (std::size_t k = 0; k < at.size() && k < results.size(); ++k) {
      if (results[k].refusal == sdk::DropshipRefusal::none) assigned_any = true;
      placed[at[k]] = std::move(results[k]);
    }
  }
  std::vector<sdk::DistributeResult> out;
  out.reserve(placed.size());
  for (auto& result : placed) out.push_back(std::move(result).value_or(sdk::DistributeResult{}));
  return out;
}

sdk::Result<void> DouyinAdapter::cancel_distribution(const std::string& distr_order_id) {
  return guarded<void>("cancel_distribution", [&]() -> sdk::Result<void> {
    if (distr_order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty distr_order_id");
    DouyinError refusal;
    // "Cancle" (sic) is Douyin's spelling of the method.
    auto answer = client_.call("iop.sellerCancleDistribute", json{{"distr_order_id", distr_order_id}}, &refusal);
    if (answer) return {};
    const std::string number = business_number(refusal.sub_code);
    if (number == "20005") {
      return sdk::fail(ErrorCode::already_shipped,
                       "dropship order " + distr_order_id + " has shipped already; it can no longer be taken back");
    }
    if (number == "41002" || number == "10016") {
      return sdk::fail(ErrorCode::not_found, "Douyin has no dropship order " + distr_order_id + " of this shop");
    }
    // Taken back already (a repeated call whose first answer was lost): what was asked holds.
    if (number == "41003" && refusal.sub_msg.find("已取消分配") != std::string::npos) return {};
    return std::move(answer).error();
  });
}

// ---------------------------------------------------------------------------------------------
// dropship, factory side (rules D5-D8, D10)

sdk::Result<sdk::DropshipPage> DouyinAdapter::list_dropship(const sdk::ModifiedWindow& window,
                                                            const std::string& page) {
  return guarded<sdk::DropshipPage>("list_dropship", [&] { return list_dropship_impl(window, page); });
}

sdk::Result<sdk::DropshipPage> DouyinAdapter::list_dropship_impl(const sdk::ModifiedWindow& window,
                                                                 const std::string& page) {
  if (window.to <= window.from) return sdk::DropshipPage{};
  // iop.orderList takes inclusive unix seconds at most 30 minutes apart: the window is read in
  // slices, oldest first, each walked from its last page to its first (plugins/common/paging), so
  // an item changing during the walk moves into a later slice or page still to be read.
  const std::int64_t first_s = unix_seconds(window.from);
  const std::int64_t last_s = unix_seconds(window.to - std::chrono::milliseconds{1});
  DropshipCursor cursor{first_s, ""};
  if (!page.empty()) {
    auto read = read_dropship_cursor(page);
    if (!read || read->slice_start < first_s || read->slice_start > last_s ||
        (read->slice_start - first_s) % kMaxDropshipSliceSeconds != 0) {
      return sdk::fail(ErrorCode::invalid_input, "next_page token was not made by this adapter for this window");
    }
    cursor = std::move(*read);
  }
  const std::int64_t size = page_size_option(host_.config(), kDefaultPageSize);
  for (int empty_slices = 0;; ++empty_slices) {
    const std::int64_t slice_end = std::min(cursor.slice_start + kMaxDropshipSliceSeconds - 1, last_s);
    DropshipList fetched;  // the page list_backwards read last: the one it hands back
    auto walked = list_backwards(
        cursor.inner, size, [&](std::int64_t page_no, std::int64_t page_size) -> sdk::Result<ListedPage> {
          auto data =
              client_.call("iop.orderList", order_list_params(cursor.slice_start, slice_end, page_no - 1, page_size));
          if (!data) return std::move(data).error();
          fetched = map_dropship_list(*data);
          return ListedPage{{}, {}, fetched.total};
        });
    if (!walked) return std::move(walked).error();
    sdk::DropshipPage out{std::move(fetched.orders), std::move(fetched.rejected), ""};
    if (!walked->next_page.empty()) {
      out.next_page = dropship_cursor(cursor.slice_start, walked->next_page);
      return out;
    }
    const std::int64_t next = cursor.slice_start + kMaxDropshipSliceSeconds;
    if (next > last_s) return out;
    if (!out.orders.empty() || !out.rejected.empty() || empty_slices + 1 >= kMaxEmptySlicesPerCall) {
      out.next_page = dropship_cursor(next, "");
      return out;
    }
    cursor = DropshipCursor{next, ""};  // an empty slice: go on with the next one in this call
  }
}

sdk::Result<sdk::DropshipOrder> DouyinAdapter::get_dropship(const std::string& distr_order_id) {
  return guarded<sdk::DropshipOrder>("get_dropship", [&]() -> sdk::Result<sdk::DropshipOrder> {
    if (distr_order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty distr_order_id");
    DouyinError refusal;
    auto data = client_.call("iop.orderInfo", json{{"distr_order_id", distr_order_id}}, &refusal);
    if (!data) {
      const std::string number = business_number(refusal.sub_code);
      if (number == "41002" || number == "10016") {
        return sdk::fail(ErrorCode::not_found, "Douyin has no dropship order " + distr_order_id + " for this factory");
      }
      return std::move(data).error();
    }
    const auto info = data->find("order_info");
    if (info == data->end() || !info->is_object()) {
      return sdk::fail(ErrorCode::not_found, "iop.orderInfo returned no order_info for " + distr_order_id);
    }
    auto mapped = map_dropship_order(*info);
    if (auto* order = std::get_if<sdk::DropshipOrder>(&mapped)) return std::move(*order);
    return sdk::fail(ErrorCode::invalid_input, "dropship order " + distr_order_id +
                                                   " cannot be mapped: " + std::get<sdk::Rejected>(mapped).reason);
  });
}

sdk::Result<sdk::DropshipShipReceipt> DouyinAdapter::return_waybill(const sdk::DropshipShipment& shipment) {
  return guarded<sdk::DropshipShipReceipt>("return_waybill", [&]() -> sdk::Result<sdk::DropshipShipReceipt> {
    if (shipment.distr_order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty distr_order_id");
    if (shipment.waybill.empty() || shipment.carrier_code.empty()) {
      return sdk::fail(ErrorCode::invalid_input,
                       "dropship order " + shipment.distr_order_id + ": a waybill and a carrier code are required");
    }
    DouyinError refusal;
    auto answer = client_.call("iop.waybillReturn", waybill_return_params(shipment), &refusal);
    if (answer) return sdk::DropshipShipReceipt{sdk::DropshipRefusal::none, "waybill returned"};
    // D7/D8: Douyin's business refusals are answers (a repeat is refused again), not failures.
    if (auto refused = waybill_refusal(refusal)) return std::move(*refused);
    return std::move(answer).error();
  });
}

}  // namespace erp::plugins::douyin
