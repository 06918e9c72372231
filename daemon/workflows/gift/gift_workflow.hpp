#pragma once
// The gift workflow's place in the order pipeline: every new platform version of an order is
// shown to the gift service (a reservation order arriving, a repurchase's tag, shipments, refunds).

#include "workflows/gift/gift_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::gift {

class GiftWorkflow final : public Workflow {
 public:
  explicit GiftWorkflow(GiftService& service) : service_(service) {}
  const char* name() const noexcept override { return "gift"; }
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome,
                        Instant now) override {
    service_.on_order_changed(tx, order, now);
  }

 private:
  GiftService& service_;
};

}  // namespace erp::daemon::workflows::gift
