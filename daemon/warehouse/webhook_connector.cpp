#include "warehouse/webhook_connector.hpp"

#include <nlohmann/json.hpp>

#include "core/order_json.hpp"
#include "outbox/event_post.hpp"

namespace erp::daemon::warehouse {

using sdk::ErrorCode;
using sdk::fail;

WebhookConnector::WebhookConnector(config::WarehouseConfig config, std::shared_ptr<sdk::HttpClient> http)
    : config_(std::move(config)), http_(std::move(http)) {}

sdk::Result<void> WebhookConnector::deliver(const sdk::DeliveryOrder& delivery) noexcept {
  try {
    nlohmann::json order = order_to_json(delivery.order, false);
    nlohmann::json added = nlohmann::json::array();
    for (const auto& added_line : delivery.added_lines) added.push_back(added_line_to_json(added_line));
    order["added_lines"] = std::move(added);
    nlohmann::json body{{"event", "order.released"},
                        {"idempotency_key", delivery.idempotency_key},
                        {"order", std::move(order)}};
    return post("order.released", delivery.idempotency_key, body.dump());
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("building the webhook body failed: ") + e.what());
  }
}

sdk::Result<sdk::LockOutcome> WebhookConnector::lock(const sdk::LockRequest& request) noexcept {
  auto sent = post_lock_event("order.lock_requested", request);
  if (!sent) return std::move(sent).error();
  return sdk::LockOutcome::pending;
}

sdk::Result<void> WebhookConnector::unlock(const sdk::LockRequest& request) noexcept {
  return post_lock_event("order.unlocked", request);
}

sdk::Result<void> WebhookConnector::alert(const std::string& idempotency_key, const nlohmann::json& alert) noexcept {
  try {
    const std::string event = alert.value("kind", std::string("alert"));
    nlohmann::json body{{"event", event}, {"idempotency_key", idempotency_key}, {"alert", alert}};
    return post(event, idempotency_key, body.dump());
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("building the webhook body failed: ") + e.what());
  }
}

sdk::Result<void> WebhookConnector::post_lock_event(const std::string& event,
                                                    const sdk::LockRequest& request) noexcept {
  try {
    nlohmann::json body{{"event", event},
                        {"idempotency_key", request.idempotency_key},
                        {"intercept_id", request.intercept_id},
                        {"platform", request.platform},
                        {"shop", request.shop},
                        {"order_id", request.order_id},
                        {"line_ids", request.line_ids}};
    return post(event, request.idempotency_key, body.dump());
  } catch (const std::exception& e) {
    return fail(ErrorCode::internal, std::string("building the webhook body failed: ") + e.what());
  }
}

sdk::Result<void> WebhookConnector::post(const std::string& event, const std::string& idempotency_key,
                                         std::string body) noexcept {
  if (config_.webhook_url.empty()) return fail(ErrorCode::config_error, "warehouse.webhook_url is not set");
  outbox::EventPost post;
  post.url = config_.webhook_url;
  post.event = event;
  post.idempotency_key = idempotency_key;
  post.body = std::move(body);
  post.timeout = config_.webhook_timeout;
  if (config_.webhook_token) post.bearer = config_.webhook_token->reveal();
  post.receiver = "webhook " + config_.webhook_url;
  return outbox::post_event(*http_, post);
}

}  // namespace erp::daemon::warehouse
