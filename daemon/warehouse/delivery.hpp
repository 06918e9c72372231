#pragma once
// Wiring between the release gate and the warehouse connector through the outbox: the gate
// enqueues "warehouse.deliver" in the releasing transaction; the handler performs it later.

#include <memory>

#include "erp/warehouse.hpp"
#include "holds/release_gate.hpp"
#include "outbox/handler.hpp"
#include "store/store.hpp"

namespace erp::daemon::warehouse {

inline constexpr const char* kDeliverKind = "warehouse.deliver";

/// The gate's OnRelease: enqueue one delivery per released order (keyed by the order).
holds::OnRelease enqueue_delivery_on_release(store::Store& store);

/// Performs "warehouse.deliver" items: reads the order as stored now and hands it to the connector.
class DeliverHandler final : public outbox::Handler {
 public:
  DeliverHandler(store::Store& store, std::shared_ptr<sdk::WarehouseConnector> connector);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  store::Store& store_;
  std::shared_ptr<sdk::WarehouseConnector> connector_;
};

}  // namespace erp::daemon::warehouse
