#pragma once
// The deadline engine's place in the order pipeline: every new platform version of an order gets
// its ship-by recomputed and its state and alerts settled (rules S1-S4).

#include "workflows/deadline/deadline_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::deadline {

class DeadlineWorkflow final : public Workflow {
 public:
  explicit DeadlineWorkflow(DeadlineService& service) : service_(service) {}
  const char* name() const noexcept override { return "deadline"; }
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome,
                        Instant now) override {
    service_.on_order_changed(tx, order, now);
  }

 private:
  DeadlineService& service_;
};

}  // namespace erp::daemon::workflows::deadline
