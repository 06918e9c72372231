#pragma once
// The warehouse connector contract: how released orders reach a warehouse system and how intercept
// locks are asked for. The daemon's built-in JSON API is the default connector; Qimen is a plugin.

#include <string>
#include <vector>

#include "erp/host.hpp"
#include "erp/model.hpp"
#include "erp/result.hpp"

namespace erp::sdk {

/// An order as handed to the warehouse: the normalized order plus lines the daemon added
/// (a gift line, rule G4) and the key that makes a repeated delivery harmless.
struct DeliveryOrder {
  Order order;
  std::vector<OrderLine> added_lines;
  std::string idempotency_key;
};

/// What the warehouse said about a lock request (rule I4).
enum class LockOutcome {
  locked,    ///< The warehouse stopped the parcel.
  too_late,  ///< It already left.
  pending,   ///< The warehouse will answer later (asynchronously).
};

struct LockRequest {
  std::string order_id;
  std::vector<std::string> line_ids;  ///< Empty: the whole order (rule I2).
  std::string idempotency_key;
};

/// Like PlatformAdapter: errors as values, not `noexcept`, so the host can contain a throw.
class WarehouseConnector {
 public:
  virtual ~WarehouseConnector() = default;

  /// Hands a released order to the warehouse. Repeating it with the same key must be harmless.
  virtual Result<void> deliver(const DeliveryOrder& delivery) = 0;

  /// Asks the warehouse to stop the order or some of its lines.
  virtual Result<LockOutcome> lock(const LockRequest& request) = 0;
};

}  // namespace erp::sdk
