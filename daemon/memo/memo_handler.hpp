#pragma once
// Performs "platform.memo" outbox items: the intercept text written on, or taken off, the seller
// memo through the shop's adapter (rules I3, I6). The memo is composed when the item runs, from
// the order as last synced, so the merchant's own words written meanwhile are kept.

#include <memory>

#include "outbox/handler.hpp"
#include "shipping/platform_ship_handler.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::memo {

class MemoHandler final : public outbox::Handler {
 public:
  MemoHandler(store::Store& store, workflows::intercept::InterceptService& intercepts, shipping::AdapterLookup adapters);
  sdk::Result<void> execute(const store::OutboxItem& item) noexcept override;

 private:
  sdk::Result<void> write(const store::OutboxItem& item);
  void record_skipped(const store::Intercept& intercept);

  store::Store& store_;
  workflows::intercept::InterceptService& intercepts_;
  shipping::AdapterLookup adapters_;
};

}  // namespace erp::daemon::memo
