#pragma once
// What the daemon does with each thing a warehouse reported through its connector (Qimen
// deliveryorder.confirm, orderprocess.report, stockchange.report): parcels become a shipment
// uploaded through the outbox, lock outcomes settle the intercept (rule I4), progress goes to the
// order's history and stock changes are kept. Each is applied once however often it is sent.

#include <functional>
#include <memory>
#include <string>

#include "erp/warehouse.hpp"
#include "store/store.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::warehouse {

struct InboundDeps {
  store::Store& store;
  workflows::intercept::InterceptService& intercepts;
  workflows::dropship::DropshipService* dropship = nullptr;
  std::function<void()> wake_outbox;
  /// Whether the connector's successful lock cancels the delivery (lock_cancels_delivery()).
  bool lock_cancels_delivery = false;
};

/// How one event went: applied, a repeat of one applied before, or refused with why (the
/// warehouse hears the reason and may send it again).
struct EventResult {
  enum class Outcome { applied, duplicate, refused } outcome = Outcome::applied;
  sdk::Error error{};
};

/// Applies one event. Throws only on a database failure (the caller answers "try again").
EventResult apply_warehouse_event(const InboundDeps& deps, const sdk::WarehouseEvent& event, store::Instant now);

/// "shipped", "lock_outcome", "progress", "stock_change": the event's kind in logs and metrics.
std::string_view to_string(sdk::WarehouseEventKind kind) noexcept;

}  // namespace erp::daemon::warehouse
