#pragma once
// The dropship hub's side effects on the outside world, each an outbox item performed exactly
// once (retried with the same key after an unknown outcome):
//   dropship.distribute      iop.sellerDistribute: assign lines on the platform (D4)
//   dropship.cancel          iop.sellerCancleDistribute: take an assignment back
//   dropship.waybill_return  iop.waybillReturn: a factory shop's shipment (D5)
//   factory.notify           POST to a factory's notify_url: assigned, cancelled by the buyer (D8) ...

#include <functional>
#include <memory>
#include <string>

#include "erp/adapter.hpp"
#include "erp/host.hpp"
#include "outbox/handler.hpp"
#include "workflows/dropship/dropship_service.hpp"

namespace erp::daemon::dropship {

/// The running adapter of a shop, or null when the shop is unknown, disabled or failed.
using AdapterLookup = std::function<std::shared_ptr<sdk::PlatformAdapter>(const std::string& shop)>;

class DistributeHandler final : public outbox::Handler {
 public:
  DistributeHandler(workflows::dropship::DropshipService& service, AdapterLookup adapters);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  workflows::dropship::DropshipService& service_;
  AdapterLookup adapters_;
};

class CancelDistributionHandler final : public outbox::Handler {
 public:
  explicit CancelDistributionHandler(AdapterLookup adapters);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  AdapterLookup adapters_;
};

class WaybillReturnHandler final : public outbox::Handler {
 public:
  WaybillReturnHandler(workflows::dropship::DropshipService& service, AdapterLookup adapters);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  workflows::dropship::DropshipService& service_;
  AdapterLookup adapters_;
};

/// Posts the event to the factory's notify_url with an Idempotency-Key header (the outbox key),
/// so a factory can ignore a repeat. A factory without a notify_url polls and gets nothing posted.
class FactoryNotifyHandler final : public outbox::Handler {
 public:
  FactoryNotifyHandler(workflows::dropship::DropshipService& service, std::shared_ptr<sdk::HttpClient> http);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  workflows::dropship::DropshipService& service_;
  std::shared_ptr<sdk::HttpClient> http_;
};

}  // namespace erp::daemon::dropship
