#include "warehouse/lock_handler.hpp"

#include "core/time_format.hpp"
#include "warehouse/delivery.hpp"

namespace erp::daemon::warehouse {

using sdk::ErrorCode;
using sdk::fail;

LockHandler::LockHandler(store::Store& store, workflows::intercept::InterceptService& intercepts,
                         std::shared_ptr<sdk::WarehouseConnector> connector, bool unlock)
    : store_(store), intercepts_(intercepts), connector_(std::move(connector)), unlock_(unlock) {}

sdk::Result<void> LockHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    return perform(item);
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("warehouse lock request failed: ") + e.what());
  }
}

sdk::Result<void> LockHandler::perform(const store::OutboxItem& item) {
  if (!item.key) return fail(ErrorCode::invalid_input, "lock item has no order");
  const auto intercept = store_.get_intercept(item.payload.value("intercept_id", std::int64_t{0}));
  if (!intercept) return fail(ErrorCode::invalid_input, "lock item names no stored intercept");
  sdk::LockRequest request;
  request.platform = item.key->platform;
  request.shop = item.key->shop;
  request.order_id = item.key->order_id;
  request.line_ids = intercept->line_ids;
  request.intercept_id = intercept->id;
  request.idempotency_key = item.idempotency_key;
  for (const auto& delivery : store_.deliveries_of(*item.key)) {
    if (!delivery.cancelled) request.delivery_codes.push_back(delivery.code);
  }
  if (unlock_) {
    if (!connector_->lock_cancels_delivery()) return connector_->unlock(request);
    // The warehouse cancelled what it locked (Qimen order.cancel): shipping now takes a new delivery
    // of the intercepted lines, under a code of its own. Only if it did lock: a lock request the
    // intercept's end overtook cancelled nothing.
    if (!intercept->was_locked) return {};
    auto delivery = assemble_delivery(store_, *item.key, item.idempotency_key, intercept->line_ids,
                                      redelivery_code(item.key->order_id, intercept->id), now_utc());
    if (!delivery) return std::move(delivery).error();
    delivery->idempotency_key = item.idempotency_key;
    return connector_->deliver(*delivery);
  }
  if (intercept->state != store::InterceptState::awaiting_warehouse) return {};  // settled meanwhile (a shipment won)
  auto answer = connector_->lock(request);
  if (!answer) return std::move(answer).error();
  if (*answer != sdk::LockOutcome::pending) {
    const bool locked = *answer == sdk::LockOutcome::locked;
    if (locked && intercept->line_ids.empty() && connector_->lock_cancels_delivery()) {
      auto tx = store_.begin();
      store_.cancel_deliveries(*tx, *item.key, now_utc());
      tx->commit();
    }
    // A refusal here means the intercept was settled meanwhile; the warehouse's answer is then moot.
    (void)intercepts_.confirm(intercept->id, locked, "warehouse", "answered the lock request at once", now_utc());
  }
  return {};
}

std::string redelivery_code(const std::string& order_id, std::int64_t intercept_id) {
  return order_id + "-R" + std::to_string(intercept_id);
}

}  // namespace erp::daemon::warehouse
