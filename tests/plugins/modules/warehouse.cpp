// A minimal warehouse connector plugin.

#include <memory>

#include "erp/plugin.hpp"

namespace {

using namespace erp::sdk;

class Connector final : public WarehouseConnector {
 public:
  Result<void> deliver(const DeliveryOrder& delivery) noexcept override {
    if (delivery.idempotency_key.empty()) return fail(ErrorCode::invalid_input, "no idempotency key");
    // Reads the ABI 4 shapes across the boundary: a gift line with its rule and the orders it fulfils.
    for (const auto& added : delivery.added_lines) {
      if (added.rule_id.empty() || added.fulfils.empty())
        return fail(ErrorCode::invalid_input, "added line " + added.line.line_id + " has no rule or fulfils nothing");
    }
    for (const auto& line : delivery.order.lines) {
      if (line.shipped_at && line.waybill.empty()) return fail(ErrorCode::invalid_input, "shipped without a waybill");
    }
    return {};
  }
  Result<LockOutcome> lock(const LockRequest&) noexcept override { return LockOutcome::locked; }
  Result<void> unlock(const LockRequest& request) noexcept override {
    if (request.idempotency_key.empty()) return fail(ErrorCode::invalid_input, "no idempotency key");
    return {};
  }
};

class Factory final : public PluginFactory {
 public:
  Result<std::unique_ptr<WarehouseConnector>> create_warehouse_connector(HostContext&) override {
    return std::unique_ptr<WarehouseConnector>(std::make_unique<Connector>());
  }
};

std::unique_ptr<PluginFactory> make_factory() { return std::make_unique<Factory>(); }

}  // namespace

ERP_PLUGIN(warehouse, "test_warehouse", "1.0.0", &make_factory);
