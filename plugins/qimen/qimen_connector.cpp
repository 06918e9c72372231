#include "plugins/qimen/qimen_connector.hpp"

#include <algorithm>

#include "plugins/common/guarded.hpp"
#include "plugins/qimen/qimen_cancel.hpp"
#include "plugins/qimen/qimen_client.hpp"
#include "plugins/qimen/qimen_delivery.hpp"
#include "plugins/qimen/qimen_inbound.hpp"
#include "plugins/qimen/qimen_reply.hpp"
#include "plugins/qimen/qimen_text.hpp"

namespace erp::plugins::qimen {
namespace {

using sdk::ErrorCode;

std::string refusal(const QimenAnswer& answer) {
  std::string out = "code " + (answer.code.empty() ? std::string("(none)") : excerpt(answer.code, 60));
  if (!answer.message.empty()) out += ": " + excerpt(answer.message);
  return out;
}

/// The state key under which a cancel the WMS accepted is remembered: the delivery and the lines.
std::string cancel_key(const std::string& code, std::vector<std::string> line_ids) {
  std::sort(line_ids.begin(), line_ids.end());
  std::string key = "order.cancel/" + code;
  for (const auto& line : line_ids) key += "/" + line;
  return key;
}

std::string list(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& code : codes) out += (out.empty() ? "" : ", ") + code;
  return out;
}

}  // namespace

QimenConnector::QimenConnector(sdk::HostContext& host, QimenConfig config) : host_(host), config_(std::move(config)) {}

sdk::Result<void> QimenConnector::deliver(const sdk::DeliveryOrder& delivery) {
  return guarded<void>("qimen deliver", [&] { return deliver_unguarded(delivery); });
}

sdk::Result<void> QimenConnector::deliver_unguarded(const sdk::DeliveryOrder& released) {
  // The standard has no refund status: lines refunded or closed on the platform are not sent, as
  // the WMS would otherwise ship them.
  sdk::DeliveryOrder delivery = released;
  std::erase_if(delivery.order.lines, [](const sdk::OrderLine& line) {
    return line.refund_status == sdk::RefundStatus::refunded || line.status == sdk::OrderStatus::closed;
  });
  const sdk::Order& order = delivery.order;
  if (order.lines.empty() && delivery.added_lines.empty()) {
    // Every line ships from elsewhere (dropship factories): the WMS has nothing to do.
    host_.logger().info("order " + order.order_id + " has no line for the warehouse; nothing sent");
    return {};
  }
  const sdk::Instant now = host_.clock().now();
  auto payload = delivery_create_payload(delivery, config_, now);
  if (!payload) return std::move(payload).error();
  auto answer = call(host_.http(), config_, "deliveryorder.create", *payload, now);
  if (!answer) return std::move(answer).error();
  const std::string code = delivery.delivery_code.empty() ? order.order_id : delivery.delivery_code;
  // The WMS dedups on deliveryOrderCode and answers success for a repeat, so a failure is about
  // this order (an unknown item, a bad address ...): sending it again cannot help.
  if (!answer->success) {
    return sdk::fail(ErrorCode::invalid_input, "deliveryorder.create of " + code + " refused: " + refusal(*answer));
  }
  return {};
}

sdk::Result<sdk::LockOutcome> QimenConnector::lock(const sdk::LockRequest& request) {
  return guarded<sdk::LockOutcome>("qimen lock", [&] { return lock_unguarded(request); });
}

sdk::Result<sdk::LockOutcome> QimenConnector::lock_unguarded(const sdk::LockRequest& request) {
  if (request.delivery_codes.empty()) {
    return sdk::fail(ErrorCode::transient, "order " + request.order_id + " is not delivered to the warehouse yet");
  }
  std::vector<std::string> cancelled;
  std::vector<std::string> refused;
  for (const auto& code : request.delivery_codes) {
    // A cancel the WMS accepted earlier (before a retry of this lock, or the whole delivery for
    // an earlier lock) is not asked again: a WMS may answer a second cancel of a cancelled
    // order with a failure.
    const std::string key = cancel_key(code, request.line_ids);
    if (accepted_before(cancel_key(code, {})) || accepted_before(key)) {
      cancelled.push_back(code);
      continue;
    }
    const Node payload = order_cancel_payload(request, code, config_);
    auto answer = call(host_.http(), config_, "order.cancel", payload, host_.clock().now());
    if (!answer) return std::move(answer).error();
    if (answer->success) {
      cancelled.push_back(code);
      (void)host_.state().put(key, "1", false);
    } else {
      refused.push_back(code + " (" + refusal(*answer) + ")");
    }
  }
  if (refused.empty()) {
    return config_.cancel_outcome == CancelOutcome::report ? sdk::LockOutcome::pending : sdk::LockOutcome::locked;
  }
  // The standard has no "already shipped" code: any refusal means the WMS did not stop it.
  host_.logger().warn("order.cancel for intercept " + std::to_string(request.intercept_id) + " of order " +
                      request.order_id + " refused: " + list(refused) +
                      (cancelled.empty() ? std::string() : "; cancelled all the same: " + list(cancelled)));
  return sdk::LockOutcome::too_late;
}

bool QimenConnector::accepted_before(const std::string& key) const {
  const auto done = host_.state().get(key);
  return done && done->has_value();
}

sdk::Result<void> QimenConnector::unlock(const sdk::LockRequest& request) {
  // Nothing to call: a Qimen cancel is final (lock_cancels_delivery), so the host delivers the
  // lines again under a new delivery code instead of asking for a release. (Qimen's order.pending
  // restore would fit a hold, which order.cancel is not.)
  (void)request;
  return {};
}

sdk::Result<sdk::WarehouseMessages> QimenConnector::parse_inbound(const sdk::WarehouseCall& call) {
  return guarded<sdk::WarehouseMessages>("qimen parse_inbound", [&] { return parse_qimen_call(call, config_); });
}

sdk::PushReply QimenConnector::inbound_reply(const sdk::WarehouseCall& call, const sdk::InboundOutcome& outcome) {
  try {
    return qimen_reply(call, outcome);
  } catch (...) {
    return sdk::PushReply{200, "text/xml;charset=utf-8",
                          R"(<?xml version="1.0" encoding="utf-8"?><response><flag>failure</flag>)"
                          R"(<code>internal</code><message>internal error</message></response>)"};
  }
}

}  // namespace erp::plugins::qimen
