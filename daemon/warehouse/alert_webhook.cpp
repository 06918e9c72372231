#include "warehouse/alert_webhook.hpp"

#include "core/time_format.hpp"

namespace erp::daemon::warehouse {

void enqueue_alert(store::Store& store, store::Tx& tx, const store::NewAlert& alert, store::Instant now) {
  store::NewOutboxItem item;
  item.idempotency_key = std::string(kAlertKind) + ":" + alert.kind + ":" + alert.subject + ":" +
                         std::to_string(now.time_since_epoch().count());
  item.kind = kAlertKind;
  item.target = "warehouse";
  item.key = alert.key;
  // Alerts never carry receiver data (store::Alert::message), so the payload is safe to keep.
  item.payload = {{"kind", alert.kind},
                  {"subject", alert.subject},
                  {"rule", alert.rule_id},
                  {"message", alert.message},
                  {"detail", alert.detail},
                  {"raised_at", format_rfc3339(now)}};
  store.enqueue(tx, item, now);
}

sdk::Result<void> AlertWebhookHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    nlohmann::json alert = item.payload;
    alert["order"] = item.key ? nlohmann::json{{"platform", item.key->platform},
                                               {"shop", item.key->shop},
                                               {"order_id", item.key->order_id}}
                              : nlohmann::json(nullptr);
    return webhook_->alert(item.idempotency_key, alert);
  } catch (const std::exception& e) {
    return sdk::fail(sdk::ErrorCode::internal, std::string("reading the queued alert failed: ") + e.what());
  }
}

}  // namespace erp::daemon::warehouse
