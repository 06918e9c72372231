#include "shipping/platform_ship_handler.hpp"

#include <spdlog/spdlog.h>

#include "core/time_format.hpp"
#include "core/posted_shipment.hpp"

namespace erp::daemon::shipping {
namespace {

using sdk::ErrorCode;
using sdk::fail;

/// The payload was written by record_shipment(); reading it back cannot meet a new shape.
sdk::Result<sdk::Shipment> shipment_from(const store::OutboxItem& item) {
  auto posted = parse_posted_shipment(item.payload);
  if (!posted) return fail(ErrorCode::invalid_input, "stored shipment is unreadable: " + posted.error().message);
  sdk::Shipment shipment;
  shipment.order_id = item.key->order_id;
  shipment.packages = std::move(posted->packages);
  shipment.idempotency_key = item.idempotency_key;
  return shipment;
}

}  // namespace

PlatformShipHandler::PlatformShipHandler(store::Store& store, AdapterLookup adapters)
    : store_(store), adapters_(std::move(adapters)) {}

sdk::Result<void> PlatformShipHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    if (!item.key) return fail(ErrorCode::invalid_input, "shipment item has no order");
    auto shipment = shipment_from(item);
    if (!shipment) return shipment.error();
    auto adapter = adapters_(item.target);
    if (!adapter) {
      // Owed all the same: once the shop runs again (config fixed, reloaded) the upload goes out.
      return fail(ErrorCode::transient, "shop " + item.target + " is not running; the upload waits for it");
    }
    auto receipt = adapter->ship(*shipment);
    if (!receipt) {
      sdk::Error error = receipt.error();
      // A renewed session or fixed config lets the same upload succeed; keep it owed rather than
      // dead, within the outbox's max_attempts.
      if (error.code == ErrorCode::needs_reauth || error.code == ErrorCode::config_error) error.retryable = true;
      return error;
    }
    record_upload(item, *receipt);
    return {};
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("shipment upload failed: ") + e.what());
  }
}

void PlatformShipHandler::record_upload(const store::OutboxItem& item, const sdk::ShipmentReceipt& receipt) {
  store::NewEvent event;
  event.kind = "shipment.uploaded";
  event.actor = "daemon";
  event.reason = receipt.already_shipped ? "the platform already had this shipment; nothing was uploaded again"
                                         : "waybills uploaded to the platform";
  event.detail = {{"shipment_id", item.payload.value("shipment_id", "")}, {"detail", receipt.detail}};
  try {
    auto tx = store_.begin();
    store_.append_event(*tx, *item.key, event, now_utc());
    tx->commit();
  } catch (const std::exception& e) {
    // The upload happened; only its note in the history is missing. Retrying would be safe (the
    // adapter reads back) but pointless, so the item still counts as done.
    spdlog::warn("shipment {}: uploaded, but recording it failed: {}", item.idempotency_key, e.what());
  }
}

}  // namespace erp::daemon::shipping
