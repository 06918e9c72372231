#pragma once
// The Qimen warehouse connector: deliveries as deliveryorder.create, intercept locks as
// order.cancel, and the WMS's confirmations and reports taken on the daemon's inbound path.

#include <string>

#include "erp/host.hpp"
#include "erp/warehouse.hpp"
#include "plugins/qimen/qimen_config.hpp"

namespace erp::plugins::qimen {

class QimenConnector final : public sdk::WarehouseConnector {
 public:
  /// `host` outlives the connector (PluginFactory::create_warehouse_connector).
  QimenConnector(sdk::HostContext& host, QimenConfig config);

  sdk::Result<void> deliver(const sdk::DeliveryOrder& delivery) override;
  sdk::Result<sdk::LockOutcome> lock(const sdk::LockRequest& request) override;
  sdk::Result<void> unlock(const sdk::LockRequest& request) override;
  bool lock_cancels_delivery() const override { return true; }
  sdk::Result<sdk::WarehouseMessages> parse_inbound(const sdk::WarehouseCall& call) override;
  sdk::PushReply inbound_reply(const sdk::WarehouseCall& call, const sdk::InboundOutcome& outcome) override;

 private:
  sdk::Result<void> deliver_unguarded(const sdk::DeliveryOrder& released);
  sdk::Result<sdk::LockOutcome> lock_unguarded(const sdk::LockRequest& request);
  /// Whether the WMS accepted the cancel stored under `key` (the host's state, this process).
  bool accepted_before(const std::string& key) const;

  sdk::HostContext& host_;
  QimenConfig config_;
};

}  // namespace erp::plugins::qimen
