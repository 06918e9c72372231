#pragma once
// Accepting a warehouse's shipment: checked against the stored order, then recorded as an event
// and a "platform.ship" outbox item in one transaction, so the waybill upload is owed exactly once
// however often the warehouse posts it and whenever the daemon crashes.

#include <cstdint>
#include <string>

#include "core/order_key.hpp"
#include "erp/result.hpp"
#include "core/posted_shipment.hpp"
#include "store/store.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::shipping {

struct RecordedShipment {
  std::int64_t outbox_id = 0;
  bool duplicate = false;  ///< The same shipment was posted before; nothing new is owed.
  store::OutboxItem item;  ///< The upload as it stands now (pending, done, dead ...).
  /// An intercept that was still waiting for the warehouse's lock: this shipment won, so it is
  /// too late now (rule I4), and the warehouse is told so in the answer.
  std::optional<store::Intercept> intercept_too_late;
};

/// not_found for an unknown order; invalid_input for a line the order does not have; conflict for
/// an order that cannot ship (unpaid, closed), a line a locked intercept covers (`intercepts`,
/// rule I4), a line a factory shipped already or a whole-order shipment of an order with factory
/// lines (`dropship`, rules D6, D7), or a shipment id posted before with other parcels.
sdk::Result<RecordedShipment> record_shipment(store::Store& store, const OrderKey& key,
                                              const PostedShipment& shipment, store::Instant now,
                                              workflows::intercept::InterceptService* intercepts = nullptr,
                                              workflows::dropship::DropshipService* dropship = nullptr);

}  // namespace erp::daemon::shipping
