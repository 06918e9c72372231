#include "plugins/top/top_adapter.hpp"

#include <chrono>
#include <exception>
#include <variant>

#include "plugins/top/top_config.hpp"
#include "plugins/common/guarded.hpp"
#include "plugins/common/json_fields.hpp"
#include "plugins/common/page_size_option.hpp"
#include "plugins/common/paging.hpp"
#include "plugins/top/top_time.hpp"
#include "plugins/top/top_trade_page.hpp"

namespace erp::plugins::top {
namespace {

using nlohmann::json;
using sdk::ErrorCode;

constexpr std::size_t kMaxMemoBytes = 1000;  // taobao.trade.memo.add/update limit
// The limit in characters, as Capabilities::memo_max_chars says it: a CJK character is 3 bytes in
// UTF-8, so 300 of them (900 bytes) always fit, with room for ASCII around them. Only text of 4-byte
// characters (emoji) could still pass 1000 bytes, and write_memo refuses that by the byte count.
constexpr int kMaxMemoChars = 300;
static_assert(kMaxMemoChars * 3 <= static_cast<int>(kMaxMemoBytes));

sdk::Instant floor_seconds(sdk::Instant t) { return std::chrono::floor<std::chrono::seconds>(t); }

}  // namespace

std::string trade_fields(bool tmall) {
  // oaid comes back only when receiver_name, receiver_address, created, receiver_mobile and
  // receiver_phone are all asked for (§2.3), so all five are listed even where only masks are kept.
  std::string fields =
      "tid,status,type,created,modified,pay_time,payment,seller_memo,seller_flag,buyer_open_uid,"
      "receiver_name,receiver_state,receiver_city,receiver_district,receiver_address,receiver_mobile,"
      "receiver_phone,step_trade_status,is_sh_ship,"
      "orders.oid,orders.num_iid,orders.sku_id,orders.outer_iid,orders.outer_sku_id,orders.title,orders.num,"
      "orders.price,orders.payment,orders.status,orders.refund_status,orders.consign_time,orders.invoice_no,"
      "orders.logistics_company";
  if (tmall) fields += ",ofp_hold,trade_attr,cross_bonded_declare,orders.one_yuan_reservation_orders";
  return fields;
}

std::string all_trade_types() {
  return "fixed,auction,guarantee_trade,step,independent_simple_trade,independent_shop_trade,auto_delivery,ec,cod,"
         "game_equipment,shopex_trade,netcn_trade,external_trade,instant_trade,b2c_cod,hotel_trade,"
         "super_market_trade,super_market_cod_trade,taohua,waimai,o2o_offlinetrade,nopaid,eticket,tmall_i18n,"
         "insurance_plus,finance,pre_auth_type";
}

bool package_on_platform(const LineStates& lines, const sdk::Package& package, std::vector<std::string>* pending) {
  if (pending != nullptr) pending->clear();
  if (!package.line_ids.empty()) {
    bool all = true;
    for (const auto& id : package.line_ids) {
      const auto it = lines.find(id);
      if (it == lines.end() || it->second.invoice_no != package.waybill) {
        all = false;
        if (pending != nullptr) pending->push_back(id);
      }
    }
    return all;
  }
  // Whole trade: TOP ships every unshipped, unrefunded line, so it is done when the waybill is on
  // the trade and nothing waits to ship any more.
  bool carries = false;
  for (const auto& [id, state] : lines) {
    if (state.invoice_no == package.waybill) carries = true;
    if (state.status == "WAIT_SELLER_SEND_GOODS" && state.invoice_no.empty()) return false;
  }
  return carries;
}

TopAdapter::TopAdapter(sdk::HostContext& host, AdapterOptions options)
    : host_(host), options_(options), client_(host) {}

sdk::Capabilities TopAdapter::capabilities() const {
  sdk::Capabilities caps;
  caps.incremental_sync = true;
  caps.memo_write = true;
  caps.split_shipment = true;
  caps.max_window_seconds = 86400;      // increment.get: end_modified - start_modified <= 1 day (§2.2)
  caps.memo_max_chars = kMaxMemoChars;  // taobao.trade.memo.* takes 1000 bytes
  return caps;
}

// ---------------------------------------------------------------------------------------------
// list_modified

sdk::Result<json> TopAdapter::fetch_page(const sdk::ModifiedWindow& window, std::int64_t page_no, std::int64_t size) {
  // TOP's bounds are inclusive whole seconds and the SDK window is half-open [from, to): the last
  // second that belongs to the window is floor(to - 1 ms). A from with milliseconds rounds down,
  // which may list a trade of the previous window again (harmless: modified_at guards updates).
  const auto start = floor_seconds(window.from);
  const auto end = floor_seconds(window.to - std::chrono::milliseconds{1});
  std::map<std::string, std::string> params{
      {"fields", trade_fields(options_.tmall)},
      {"start_modified", format_china_time(start)},
      {"end_modified", format_china_time(end)},
      {"page_no", std::to_string(page_no)},
      {"page_size", std::to_string(size)},
      // Without `type` TOP returns only a few trade types; tmall_i18n and others would vanish (§2.1).
      {"type", all_trade_types()},
  };
  return client_.call("taobao.trades.sold.increment.get", std::move(params));
}

sdk::Result<sdk::OrderPage> TopAdapter::list_modified(const sdk::ModifiedWindow& window, const std::string& page) {
  return guarded<sdk::OrderPage>("list_modified", [&] { return list_modified_impl(window, page); });
}

// Why backwards: increment.get sorts by modified DESCENDING. A trade in the window that changes
// while we page gets a new `modified` (now, past the window's end) and drops out; every trade
// after it moves one place towards page 1. Paging forwards, a trade would slide from an unread
// page onto one already read and be skipped. Paging from the last page to the first, trades only
// slide onto pages still to be read: at worst one is listed twice, never skipped (§2.2).
// New trades can enter the window only if it ends in the future; they push trades towards later,
// already-read pages, so when total_results grows the walk restarts at the new last page. (One
// trade entering while another leaves between two calls keeps the total unchanged and is not
// detected; the host's windows end in the past, where nothing can enter, so this stays theoretical.)
sdk::Result<sdk::OrderPage> TopAdapter::list_modified_impl(const sdk::ModifiedWindow& window, const std::string& page) {
  if (window.to <= window.from) return sdk::OrderPage{};
  if (window.to - window.from > std::chrono::seconds{86400}) {
    return sdk::fail(ErrorCode::invalid_input, "TOP windows are at most 1 day (max_window_seconds 86400)");
  }
  const MapOptions map_options{options_.tmall, options_.tmall ? "tmall" : "taobao", host_.config().get_or("id", "")};
  return list_backwards(page, page_size_option(host_.config(), kDefaultPageSize),
                        [&](std::int64_t page_no, std::int64_t size) -> sdk::Result<ListedPage> {
                          auto body = fetch_page(window, page_no, size);
                          if (!body) return std::move(body).error();
                          auto mapped = map_trade_list(*body, map_options);
                          return ListedPage{std::move(mapped.orders), std::move(mapped.rejected), mapped.total_results};
                        });
}

// ---------------------------------------------------------------------------------------------
// get_order

sdk::Result<sdk::Order> TopAdapter::get_order(const std::string& order_id) {
  return guarded<sdk::Order>("get_order", [&] { return get_order_impl(order_id); });
}

sdk::Result<sdk::Order> TopAdapter::get_order_impl(const std::string& order_id) {
  if (order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty order id");
  auto body = client_.call("taobao.trade.fullinfo.get", {{"tid", order_id}, {"fields", trade_fields(options_.tmall)}});
  if (!body) return std::move(body).error();
  const auto trade = body->find("trade");
  if (trade == body->end()) return sdk::fail(ErrorCode::not_found, "TOP returned no trade " + order_id);
  auto mapped = map_trade(
      *trade, MapOptions{options_.tmall, options_.tmall ? "tmall" : "taobao", host_.config().get_or("id", "")});
  if (auto* order = std::get_if<sdk::Order>(&mapped)) return std::move(*order);
  return sdk::fail(ErrorCode::invalid_input,
                   "trade " + order_id + " cannot be mapped: " + std::get<sdk::Rejected>(mapped).reason);
}

// ---------------------------------------------------------------------------------------------
// write_memo (rule I3)

sdk::Result<void> TopAdapter::write_memo(const sdk::MemoUpdate& update) {
  return guarded<void>("write_memo", [&] { return write_memo_impl(update); });
}

sdk::Result<void> TopAdapter::write_memo_impl(const sdk::MemoUpdate& update) {
  if (update.order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty order id");
  if (update.flag < 0 || update.flag > 5) return sdk::fail(ErrorCode::invalid_input, "TOP memo flag must be 0 to 5");
  if (update.memo.size() > kMaxMemoBytes) {
    return sdk::fail(ErrorCode::invalid_input, "TOP memos are at most 1000 bytes");
  }
  std::map<std::string, std::string> params{{"tid", update.order_id}, {"flag", std::to_string(update.flag)}};
  // An empty memo is not sent (empty values are unsigned), so clearing takes reset=true (rule I6).
  if (update.memo.empty()) {
    params["reset"] = "true";
  } else {
    params["memo"] = update.memo;
  }
  // memo.update also creates a memo; memo.add is only the fallback when TOP says none exists.
  TopError top_error;
  auto updated = client_.call("taobao.trade.memo.update", params, &top_error);
  if (updated) return {};
  const bool no_memo = top_error.sub_code.find("memo-not-exist") != std::string::npos;
  if (!no_memo) return std::move(updated).error();
  if (update.memo.empty()) return {};  // nothing to clear
  params.erase("reset");
  auto added = client_.call("taobao.trade.memo.add", params);
  if (!added) return std::move(added).error();
  return {};
}

// ---------------------------------------------------------------------------------------------
// ship: exactly one upload per package (DOMAIN "what the daemon owes every order")

sdk::Result<sdk::ShipmentReceipt> TopAdapter::ship(const sdk::Shipment& shipment) {
  return guarded<sdk::ShipmentReceipt>("ship", [&] { return ship_impl(shipment); });
}

sdk::Result<LineStates> TopAdapter::read_lines(const std::string& tid) {
  auto body = client_.call(
      "taobao.trade.fullinfo.get",
      {{"tid", tid}, {"fields", "tid,status,orders.oid,orders.status,orders.invoice_no,orders.logistics_company"}});
  if (!body) return std::move(body).error();
  LineStates lines;
  const auto trade = body->find("trade");
  if (trade == body->end() || !trade->is_object()) return lines;
  const auto orders = trade->find("orders");
  if (orders == trade->end() || !orders->is_object()) return lines;
  const auto list = orders->find("order");
  if (list == orders->end() || !list->is_array()) return lines;
  for (const auto& line : *list) {
    if (!line.is_object() || !line.contains("oid")) continue;
    const std::string oid = id_text(line["oid"]);
    if (oid.empty()) continue;
    // Only the waybill is compared: logistics_company holds the carrier's display name on the
    // real platform, not the company_code we uploaded.
    lines[oid] = LineShipState{text_field(line, "status"), text_field(line, "invoice_no")};
  }
  return lines;
}

sdk::Result<TopAdapter::PackageOutcome> TopAdapter::ship_package(const std::string& tid, const sdk::Package& package) {
  // Read before writing: a previous attempt (crash, lost answer) may already have shipped it.
  auto before = read_lines(tid);
  if (!before) return std::move(before).error();
  std::vector<std::string> pending;
  if (package_on_platform(*before, package, &pending)) return PackageOutcome::already_there;

  std::map<std::string, std::string> params{
      {"tid", tid}, {"out_sid", package.waybill}, {"company_code", package.carrier_code}};
  if (!package.line_ids.empty()) {
    // Only the lines that do not carry the waybill yet, so a half-done package is finished, not doubled.
    std::string sub_tid;
    for (const auto& id : pending) sub_tid += (sub_tid.empty() ? "" : ",") + id;
    params["is_split"] = "1";
    params["sub_tid"] = sub_tid;
  }
  auto uploaded = client_.call("taobao.logistics.offline.send", params);
  if (uploaded) {
    const auto shipping = uploaded->find("shipping");
    const bool success = shipping != uploaded->end() && shipping->is_object() && shipping->value("is_success", false);
    if (success) return PackageOutcome::uploaded;
  }
  const bool unknown_outcome = uploaded ? true : uploaded.error().code == ErrorCode::transient;
  const bool already = !uploaded && uploaded.error().code == ErrorCode::already_shipped;
  if (!unknown_outcome && !already) return std::move(uploaded).error();

  // The upload may have happened (timeout, truncated body, 5xx, is_success missing) or TOP says
  // B04 (already shipped): the trade itself tells which.
  auto after = read_lines(tid);
  if (!after) {
    if (uploaded) return std::move(after).error();
    return std::move(uploaded).error();
  }
  if (package_on_platform(*after, package)) return already ? PackageOutcome::already_there : PackageOutcome::uploaded;
  if (already) {
    return sdk::fail(ErrorCode::already_shipped, "trade " + tid +
                                                     ": the lines already shipped with another waybill "
                                                     "or the trade can no longer ship (TOP B04)");
  }
  if (uploaded) {
    return sdk::fail(ErrorCode::transient, "trade " + tid +
                                               ": TOP did not confirm the upload and the read-back "
                                               "does not show the waybill yet");
  }
  return std::move(uploaded).error();
}

sdk::Result<sdk::ShipmentReceipt> TopAdapter::ship_impl(const sdk::Shipment& shipment) {
  if (shipment.order_id.empty()) return sdk::fail(ErrorCode::invalid_input, "empty order id");
  if (shipment.packages.empty()) return sdk::fail(ErrorCode::invalid_input, "a shipment needs at least one package");
  for (const auto& package : shipment.packages) {
    if (package.waybill.empty() || package.carrier_code.empty()) {
      return sdk::fail(ErrorCode::invalid_input, "every package needs a waybill and a carrier_code");
    }
  }
  std::size_t uploaded = 0;
  std::size_t already = 0;
  for (const auto& package : shipment.packages) {
    auto outcome = ship_package(shipment.order_id, package);
    if (!outcome) return std::move(outcome).error();
    if (*outcome == PackageOutcome::uploaded) {
      ++uploaded;
    } else {
      ++already;
    }
  }
  sdk::ShipmentReceipt receipt;
  receipt.already_shipped = uploaded == 0;
  receipt.detail =
      "uploaded " + std::to_string(uploaded) + " package(s), " + std::to_string(already) + " already on the platform";
  return receipt;
}

}  // namespace erp::plugins::top
