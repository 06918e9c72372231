#pragma once
// The warehouse connector contract: how released orders reach a warehouse system and how intercept
// locks are asked for. The daemon's built-in JSON API is the default connector; Qimen is a plugin.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "erp/adapter.hpp"
#include "erp/host.hpp"
#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::sdk {

/// A line the daemon added to the order it hands to the warehouse, with why: the 1-yuan
/// reservation gift that ships in the main order's parcel (rule G4).
struct AddedLine {
  OrderLine line;  ///< line_id "gift:<reservation order id>:<its line id>"; price and paid 0.
  std::string rule_id;  ///< The DOMAIN.md rule that added it ("G4").
  std::vector<std::string> fulfils;  ///< The order ids this line fulfils (the reservation orders).
};

/// An order as handed to the warehouse: the normalized order plus lines the daemon added
/// (a gift line, rule G4) and the key that makes a repeated delivery harmless.
struct DeliveryOrder {
  Order order;
  std::vector<AddedLine> added_lines;
  std::string idempotency_key;
  /// The code the warehouse knows this delivery by, chosen by the host and unique among its
  /// deliveries: the order id, or a variant of it for an order delivered again after an
  /// intercept was cancelled (when the connector's lock cancels deliveries). A warehouse that
  /// dedups on it (Qimen's deliveryOrderCode) makes a repeated delivery harmless.
  std::string delivery_code;
};

/// What the warehouse said about a lock request (rule I4).
enum class LockOutcome {
  locked,    ///< The warehouse stopped the parcel.
  too_late,  ///< It already left.
  pending,   ///< The warehouse will answer later (asynchronously).
};

/// One intercept's lock (lock()) or release (unlock()). The same request, key included, may be
/// sent again after an unknown outcome.
struct LockRequest {
  std::string order_id;
  std::vector<std::string> line_ids;  ///< Empty: the whole order (rule I2).
  std::string idempotency_key;
  std::string platform;           ///< The order's platform, e.g. "taobao".
  std::string shop;               ///< The configured shop id.
  std::int64_t intercept_id = 0;  ///< The daemon's intercept id (GET /v1/intercepts/{id}).
  /// The codes of the deliveries the warehouse has of this order (DeliveryOrder::delivery_code),
  /// oldest first; the lines to stop are among them.
  std::vector<std::string> delivery_codes;
};

// --- inbound: what the warehouse system tells the daemon ----------------------------------------

/// One call the warehouse system made on the connector's inbound path (warehouse.inbound_path).
struct WarehouseCall {
  std::string query;                                         ///< The raw query string after '?', still percent-encoded.
  std::vector<std::pair<std::string, std::string>> headers;  ///< Names in lower case.
  std::string body;                                          ///< The raw bytes, exactly as received.
};

/// One item of a parcel: a line of the delivery (DeliveryOrder line ids, gift lines included).
struct ParcelItem {
  std::string line_id;
  std::int64_t quantity = 0;
};

/// A parcel the warehouse handed to a carrier.
struct ShippedParcel {
  std::string carrier_code;  ///< The carrier's code as the warehouse gives it ("SF", "YTO" ...).
  std::string waybill;
  /// What the parcel holds. Empty: the warehouse did not say, so it holds every line of the
  /// delivery that no earlier parcel of the same message carries.
  std::vector<ParcelItem> items;
};

enum class WarehouseEventKind {
  shipped,       ///< Parcels left the warehouse (deliveryorder.confirm with packages).
  lock_outcome,  ///< The warehouse settled an earlier lock request later (rule I4).
  progress,      ///< A step of the warehouse's work on a delivery, for the order's history.
  stock_change,  ///< Stock of an item moved in the warehouse.
};

/// One thing the warehouse reported, in the normalized terms the host acts on.
struct WarehouseEvent {
  WarehouseEventKind kind = WarehouseEventKind::progress;
  /// The warehouse's message id: the host applies a message once, however often it is sent
  /// (Qimen outBizCode). Empty when the warehouse gave none; the host then keys on the content.
  std::string message_id;
  std::string delivery_code;  ///< The delivery it concerns (empty for a stock change of no delivery).
  std::string status;         ///< The warehouse's own status word, verbatim ("DELIVERED", "PICK" ...).
  std::string note;           ///< Free text for the order's history (no receiver data).
  std::optional<Instant> at;  ///< When it happened, when the warehouse says.

  // shipped
  std::vector<ShippedParcel> parcels;
  bool final = true;  ///< false: more confirmations of this delivery will follow (a partial one).

  // lock_outcome
  bool locked = false;  ///< true: the warehouse stopped it; false: too late.

  // stock_change
  std::string warehouse_code;
  std::string item_code;      ///< The merchant's item code (OrderLine::outer_sku).
  std::int64_t quantity = 0;  ///< Signed change.
};

struct WarehouseMessages {
  std::vector<WarehouseEvent> events;
};

/// How a call was taken: the answer the connector turns into the warehouse's own reply shape.
struct InboundOutcome {
  bool accepted = true;
  /// When refused, the host's error code name ("invalid_input", "not_found", "conflict" ...);
  /// the connector words it in its standard's terms.
  std::string code;
  std::string message;  ///< Why, for the warehouse's operators.
};

/// Like PlatformAdapter: errors as values, not `noexcept`, so the host can contain a throw.
class WarehouseConnector {
 public:
  virtual ~WarehouseConnector() = default;

  /// Hands a released order to the warehouse. Repeating it with the same key must be harmless.
  virtual Result<void> deliver(const DeliveryOrder& delivery) = 0;

  /// Asks the warehouse to stop the order or some of its lines (rule I4). Repeating it with the
  /// same key must be harmless.
  virtual Result<LockOutcome> lock(const LockRequest& request) = 0;

  /// The intercept was cancelled (I6) or unlocked (I7): the warehouse may ship the order or lines
  /// again. Repeating it with the same key must be harmless. Not called when
  /// lock_cancels_delivery(): the host delivers the lines again instead.
  virtual Result<void> unlock(const LockRequest& request) = 0;

  /// Whether a successful lock cancels the warehouse's delivery for good (Qimen order.cancel),
  /// so that shipping after an unlock takes a new delivery under a new code.
  virtual bool lock_cancels_delivery() const { return false; }

  /// Verifies a call on the inbound path and says what it reports. A bad signature or an
  /// unreadable body is ErrorCode::invalid_input (config_error for a caller this connector does
  /// not know); the host answers it with inbound_reply() and applies nothing.
  virtual Result<WarehouseMessages> parse_inbound(const WarehouseCall& call) {
    (void)call;
    return fail(ErrorCode::unsupported, "this connector takes no calls from the warehouse");
  }

  /// The answer to a call, in the warehouse's own shape (HTTP status, content type, body), once
  /// the host has applied it (accepted) or refused it.
  virtual PushReply inbound_reply(const WarehouseCall& call, const InboundOutcome& outcome) {
    (void)call;
    return PushReply{outcome.accepted ? 200u : 400u, "application/json",
                     outcome.accepted ? "{}" : "{\"error\":\"refused\"}"};
  }
};

}  // namespace erp::sdk
