#pragma once
// The builtin warehouse connector: the warehouse pulls released orders from the local API and may
// also be told about them at once by a webhook. This is the webhook half.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "erp/host.hpp"
#include "erp/warehouse.hpp"

namespace erp::daemon::warehouse {

/// Posts JSON events to the configured webhook URL with an `Idempotency-Key` header, so a
/// warehouse can ignore a delivery it already has (the outbox retries with the same key).
class WebhookConnector final : public sdk::WarehouseConnector {
 public:
  WebhookConnector(config::WarehouseConfig config, std::shared_ptr<sdk::HttpClient> http);

  /// Event "order.released" with the order JSON (receiver masked only).
  sdk::Result<void> deliver(const sdk::DeliveryOrder& delivery) noexcept override;

  /// Event "order.lock_requested"; the warehouse confirms later through the API (rule I4).
  sdk::Result<sdk::LockOutcome> lock(const sdk::LockRequest& request) noexcept override;

  /// Event "order.unlocked": the intercept was cancelled (I6) or unlocked (I7), the warehouse may
  /// ship again. Nothing to confirm.
  sdk::Result<void> unlock(const sdk::LockRequest& request) noexcept override;

  /// Event "<alert kind>" ("deadline.at_risk" ...) with the alert (alert_webhook.hpp).
  sdk::Result<void> alert(const std::string& idempotency_key, const nlohmann::json& alert) noexcept;

 private:
  /// Posts `event` with the request's fields (the body both lock and unlock send).
  sdk::Result<void> post_lock_event(const std::string& event, const sdk::LockRequest& request) noexcept;
  sdk::Result<void> post(const std::string& event, const std::string& idempotency_key, std::string body) noexcept;

  config::WarehouseConfig config_;
  std::shared_ptr<sdk::HttpClient> http_;
};

}  // namespace erp::daemon::warehouse
