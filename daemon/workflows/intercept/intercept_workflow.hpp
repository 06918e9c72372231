#pragma once
// The intercept workflow's place in the order pipeline: every new platform version of an order
// is shown to the intercept service (memo text appearing or going, refunds, platform shipments).

#include "workflows/intercept/intercept_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::intercept {

class InterceptWorkflow final : public Workflow {
 public:
  explicit InterceptWorkflow(InterceptService& service) : service_(service) {}
  const char* name() const noexcept override { return "intercept"; }
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome,
                        Instant now) override {
    service_.on_order_changed(tx, order, now);
  }

 private:
  InterceptService& service_;
};

}  // namespace erp::daemon::workflows::intercept
