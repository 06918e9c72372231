#pragma once
// The warehouse connector contract: how released orders reach a warehouse system and how intercept
// locks are asked for. The daemon's built-in JSON API is the default connector; Qimen is a plugin.

#include <cstdint>
#include <string>
#include <vector>

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
  /// again. Repeating it with the same key must be harmless.
  virtual Result<void> unlock(const LockRequest& request) = 0;
};

}  // namespace erp::sdk
