#pragma once
// Wiring between the release gate and the warehouse connector through the outbox: the gate
// enqueues "warehouse.deliver" in the releasing transaction; the handler performs it later.

#include <memory>
#include <string>
#include <vector>

#include "erp/warehouse.hpp"
#include "holds/release_gate.hpp"
#include "outbox/handler.hpp"
#include "store/store.hpp"

namespace erp::daemon::warehouse {

inline constexpr const char* kDeliverKind = "warehouse.deliver";

/// The gate's OnRelease: enqueue one delivery per released order (keyed by the order).
holds::OnRelease enqueue_delivery_on_release(store::Store& store);

/// The delivery of `key` as stored now: the lines the warehouse ships (factory lines go to their
/// factories, D6), limited to `only_lines` when not empty, with the reservation gifts riding in
/// its parcel (G4) when the whole order goes. Its code is claimed for `source` (an outbox key):
/// `preferred_code` when given, else the order id, else the order id with its shop, the first
/// that no other delivery has. An empty `source` records nothing: the code is the order id, for a
/// warehouse that never reports back by code. not_found when the order is not stored.
sdk::Result<sdk::DeliveryOrder> assemble_delivery(store::Store& store, const OrderKey& key, const std::string& source,
                                                  const std::vector<std::string>& only_lines,
                                                  const std::string& preferred_code, store::Instant now);

/// Performs "warehouse.deliver" items: reads the order as stored now and hands it to the connector.
class DeliverHandler final : public outbox::Handler {
 public:
  /// `record_codes`: the warehouse reports back by delivery code (a connector plugin), so each
  /// delivery's code is recorded; the builtin webhook's warehouse uses the API and needs none.
  DeliverHandler(store::Store& store, std::shared_ptr<sdk::WarehouseConnector> connector, bool record_codes);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  store::Store& store_;
  std::shared_ptr<sdk::WarehouseConnector> connector_;
  bool record_codes_;
};

}  // namespace erp::daemon::warehouse
