#pragma once
// What the simulated WMS knows: its settings, the delivery orders the ERP created, the cancels it
// asked for, the parcels shipped, and a record of every call in each direction, so tests can
// assert on all of it through GET /admin/state.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/module.hpp"
#include "qimen/qimen_payload.hpp"
#include "qimen/qimen_sign.hpp"

namespace erp::sim::qimen {

using std::chrono::milliseconds;

/// Per-WMS behaviour, changed by the `settings` event; back to these defaults on /admin/reset.
struct Settings {
  Format format = Format::xml;              ///< What the WMS sends (it answers in the caller's format).
  JsonStyle json_style = JsonStyle::typed;  ///< How its JSON is written.
  SignMethod sign_method = SignMethod::md5;
  bool async_cancel = false;  ///< cancel_mode async: order.cancel only takes the request.
  /// Async cancels still undecided this long after the request are decided by the clock;
  /// nullopt: only a cancel_outcome or ship event decides.
  std::optional<milliseconds> cancel_after = milliseconds{1000};
  bool auto_ship = false;
  milliseconds auto_ship_after{2000};
  std::string carrier = "YTO";  ///< logisticsCode of parcels an event does not give one for.
  std::string warehouse_code = "WH01";
  std::string owner_code;  ///< Stock reports' ownerCode; empty: the customerId.
  milliseconds timeout{5000};
  milliseconds retry_after{1000};
  int confirm_retries = 3;  ///< Extra attempts of a confirm that got no answer.
};

struct Line {
  std::string line_no;  ///< orderLineNo
  std::string source_order_code;
  std::string sub_source_order_code;
  std::string item_code;
  std::string item_name;
  std::string owner_code;
  std::int64_t plan_qty = 0;
  std::string actual_price;  ///< As sent (yuan, decimal text).
  std::string retail_price;
  Tree extend_props = Tree::object();
  std::string remark;
  std::int64_t shipped = 0;
  bool cancelled = false;

  std::int64_t left() const { return cancelled ? 0 : plan_qty - shipped; }
};

struct ParcelItem {
  std::size_t line = 0;  ///< Index into DeliveryOrder::lines.
  std::int64_t quantity = 0;
};

struct Parcel {
  std::string carrier;
  std::string waybill;
  std::vector<ParcelItem> items;
  std::string out_biz_code;  ///< Of the confirm that reported it.
};

/// An asynchronous cancel the WMS has taken but not decided.
struct PendingCancel {
  std::vector<std::size_t> lines;
  Instant requested{};
  std::optional<Instant> decide_at;
};

struct DeliveryOrder {
  std::string code;    ///< deliveryOrderCode (the ERP's)
  std::string wms_id;  ///< deliveryOrderId (ours)
  std::string order_type;
  std::string warehouse_code;
  std::string source_platform_code;
  std::string logistics_code;
  std::string shop_nick;
  std::string status = "ACCEPT";  ///< ACCEPT, PARTDELIVERED, DELIVERED, CANCELED
  Instant created{};
  int create_calls = 1;  ///< Creates received for this code (repeats included).
  int cancel_calls = 0;  ///< Cancels received for it.
  std::vector<Line> lines;
  std::vector<Parcel> parcels;
  std::optional<PendingCancel> pending_cancel;
  std::string cancel_result;  ///< "", "canceled", "failed": how the last cancel ended.
  std::optional<Instant> auto_ship_at;
  int confirms = 0;
  Tree request = Tree::object();  ///< The deliveryOrder object as the ERP sent it.

  bool all_cancelled() const {
    for (const auto& l : lines)
      if (!l.cancelled) return false;
    return true;
  }
};

/// One try at delivering a call.
struct Attempt {
  int attempt = 1;
  long http_status = 0;
  std::string flag;   ///< The answer's flag; empty without an answer.
  std::string error;  ///< Why there was no answer.
};

/// One call the WMS made to the ERP and what came of it.
struct SentCall {
  std::uint64_t seq = 0;
  std::string method;
  std::string order_code;        ///< deliveryOrderCode / orderCode / item code of a stock change.
  std::string out_biz_code;      ///< Empty for orderprocess.report.
  std::string status;            ///< The status or processStatus the call carried.
  std::string state = "queued";  ///< queued, retrying, answered, no_answer, not_sent
  int attempts = 0;
  long http_status = 0;
  Answer answer;
  std::string error;
  std::vector<Attempt> history;
};

/// One call the ERP made to the WMS and what it was answered.
struct ReceivedCall {
  std::string method;
  std::string order_code;
  std::string flag;
  std::string code;
  std::string message;
  std::string fault;  ///< The injected fault, if any.
};

struct Wms {
  Shop shop;  ///< id = customerId
  Settings settings;
  std::map<std::string, DeliveryOrder> orders;
  std::deque<SentCall> sent;
  std::deque<ReceivedCall> received;
};

}  // namespace erp::sim::qimen
