#include "warehouse/lock_handler.hpp"

#include "core/time_format.hpp"

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
  if (unlock_) return connector_->unlock(request);
  if (intercept->state != store::InterceptState::awaiting_warehouse) return {};  // settled meanwhile (a shipment won)
  auto answer = connector_->lock(request);
  if (!answer) return std::move(answer).error();
  if (*answer != sdk::LockOutcome::pending) {
    // A refusal here means the intercept was settled meanwhile; the warehouse's answer is then moot.
    (void)intercepts_.confirm(intercept->id, *answer == sdk::LockOutcome::locked, "warehouse",
                              "answered the lock request at once", now_utc());
  }
  return {};
}

}  // namespace erp::daemon::warehouse
