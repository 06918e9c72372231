#pragma once
// Performs "platform.ship" outbox items: uploads the warehouse's waybills through the shop's
// adapter. The adapter reads the order back before an upload whose outcome is unknown, so the
// dispatcher's retries (after a timeout, a crash, a restart) never ship a line twice.

#include <functional>
#include <memory>
#include <string>

#include "erp/adapter.hpp"
#include "outbox/handler.hpp"
#include "store/store.hpp"

namespace erp::daemon::shipping {

/// The running adapter of a shop, or null when the shop is unknown, disabled or failed.
using AdapterLookup = std::function<std::shared_ptr<sdk::PlatformAdapter>(const std::string& shop)>;

class PlatformShipHandler final : public outbox::Handler {
 public:
  PlatformShipHandler(store::Store& store, AdapterLookup adapters);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  void record_upload(const store::OutboxItem& item, const sdk::ShipmentReceipt& receipt);

  store::Store& store_;
  AdapterLookup adapters_;
};

}  // namespace erp::daemon::shipping
