#pragma once
// Deadline alerts for the warehouse (the deadline engine's Deliver 4): an order about to be late
// is the warehouse's to hurry. With the builtin connector's webhook set, each alert raised is
// queued as an outbox item "warehouse.alert" in the transaction that raised it, and posted to the
// webhook once, as event "<alert kind>" ("deadline.at_risk" ...).

#include <memory>

#include "outbox/handler.hpp"
#include "store/store.hpp"
#include "warehouse/webhook_connector.hpp"

namespace erp::daemon::warehouse {

inline constexpr const char* kAlertKind = "warehouse.alert";

/// Queues the alert for the webhook; the key is the alert's kind, subject and raising time, so
/// the alert raised again after it cleared is a new event and a retry is the same one.
void enqueue_alert(store::Store& store, store::Tx& tx, const store::NewAlert& alert, store::Instant now);

/// Performs "warehouse.alert" items: the alert as queued, with its order, to the webhook.
class AlertWebhookHandler final : public outbox::Handler {
 public:
  explicit AlertWebhookHandler(std::shared_ptr<WebhookConnector> webhook) : webhook_(std::move(webhook)) {}
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  std::shared_ptr<WebhookConnector> webhook_;
};

}  // namespace erp::daemon::warehouse
