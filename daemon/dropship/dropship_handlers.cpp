#include "dropship/dropship_handlers.hpp"

#include <spdlog/spdlog.h>

#include "core/time_format.hpp"
#include "outbox/event_post.hpp"

namespace erp::daemon::dropship {
namespace {

using sdk::ErrorCode;
using sdk::fail;

/// The adapter of the item's shop; a stopped shop keeps the effect owed until it runs again.
sdk::Result<std::shared_ptr<sdk::PlatformAdapter>> adapter_for(const AdapterLookup& adapters,
                                                                const store::OutboxItem& item) {
  auto adapter = adapters(item.target);
  if (!adapter) return fail(ErrorCode::transient, "shop " + item.target + " is not running; the effect waits for it");
  return adapter;
}

/// A renewed session or fixed config lets the same call succeed: keep it owed, not dead.
sdk::Error owed(sdk::Error error) {
  if (error.code == ErrorCode::needs_reauth || error.code == ErrorCode::config_error) error.retryable = true;
  return error;
}

}  // namespace

DistributeHandler::DistributeHandler(workflows::dropship::DropshipService& service, AdapterLookup adapters)
    : service_(service), adapters_(std::move(adapters)) {}

sdk::Result<void> DistributeHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    auto adapter = adapter_for(adapters_, item);
    if (!adapter) return adapter.error();
    sdk::DistributeRequest request;
    request.factory_shop_id = item.payload.at("factory_shop_id").get<std::string>();
    for (const auto& i : item.payload.at("items"))
      request.items.push_back({i.at("order_id").get<std::string>(), i.at("line_id").get<std::string>()});
    auto results = (*adapter)->distribute(request);
    if (!results) return owed(results.error());
    const auto now = now_utc();
    for (const auto& i : item.payload.at("items")) {
      const auto order_id = i.at("order_id").get<std::string>();
      const auto line_id = i.at("line_id").get<std::string>();
      sdk::DistributeResult answer{order_id, line_id, "", sdk::DropshipRefusal::other,
                                   "the platform did not answer for this item"};
      for (const auto& r : *results)
        if (r.order_id == order_id && r.line_id == line_id) answer = r;
      service_.distribution_answered(i.at("dropship_line").get<std::int64_t>(), answer, now);
    }
    return {};
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("dropship assignment failed: ") + e.what());
  }
}

CancelDistributionHandler::CancelDistributionHandler(AdapterLookup adapters) : adapters_(std::move(adapters)) {}

sdk::Result<void> CancelDistributionHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    auto adapter = adapter_for(adapters_, item);
    if (!adapter) return adapter.error();
    const auto distr = item.payload.at("distr_order_id").get<std::string>();
    auto cancelled = (*adapter)->cancel_distribution(distr);
    if (cancelled) return {};
    if (cancelled.error().code == ErrorCode::already_shipped) {
      // The factory shipped before the cancel arrived (D7); the order's next sync shows it.
      spdlog::warn("dropship order {} of shop {} shipped before it could be taken back", distr, item.target);
      return {};
    }
    return owed(cancelled.error());
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("taking a dropship assignment back failed: ") + e.what());
  }
}

WaybillReturnHandler::WaybillReturnHandler(workflows::dropship::DropshipService& service, AdapterLookup adapters)
    : service_(service), adapters_(std::move(adapters)) {}

sdk::Result<void> WaybillReturnHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    auto adapter = adapter_for(adapters_, item);
    if (!adapter) return adapter.error();
    sdk::DropshipShipment shipment;
    shipment.distr_order_id = item.payload.at("distr_order_id").get<std::string>();
    shipment.merchant_shop_id = item.payload.value("merchant_shop_id", "");
    shipment.carrier_code = item.payload.at("carrier").get<std::string>();
    shipment.waybill = item.payload.at("waybill").get<std::string>();
    auto receipt = (*adapter)->return_waybill(shipment);
    if (!receipt) return owed(receipt.error());
    // A refusal is an answer, not a failure: recorded on the line and never retried.
    service_.waybill_returned(item.payload.at("dropship_line").get<std::int64_t>(), *receipt, now_utc());
    return {};
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("reporting the factory's waybill failed: ") + e.what());
  }
}

FactoryNotifyHandler::FactoryNotifyHandler(workflows::dropship::DropshipService& service,
                                           std::shared_ptr<sdk::HttpClient> http)
    : service_(service), http_(std::move(http)) {}

sdk::Result<void> FactoryNotifyHandler::execute(const store::OutboxItem& item) noexcept {
  try {
    const auto factory = service_.factory(item.payload.value("factory", ""));
    if (!factory || factory->notify_url.empty()) return {};  // removed from the config since: it polls
    outbox::EventPost post;
    post.url = factory->notify_url;
    post.event = "dropship." + item.payload.value("event", "");
    post.idempotency_key = item.idempotency_key;
    post.body = item.payload.dump();
    post.receiver = "factory " + factory->id + " notify_url";
    return outbox::post_event(*http_, post);
  } catch (const std::exception& e) {
    return fail(ErrorCode::transient, std::string("notifying the factory failed: ") + e.what());
  }
}

}  // namespace erp::daemon::dropship
