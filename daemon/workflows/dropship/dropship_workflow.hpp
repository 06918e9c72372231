#pragma once
// The dropship workflow's place in the order pipeline: every new platform version of an order is
// shown to the dropship service (automatic assignment D4, shipments D7, buyer cancellations D8).

#include "workflows/dropship/dropship_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::dropship {

class DropshipWorkflow final : public Workflow {
 public:
  explicit DropshipWorkflow(DropshipService& service) : service_(service) {}
  const char* name() const noexcept override { return "dropship"; }
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome,
                        Instant now) override {
    service_.on_order_changed(tx, order, now);
  }

 private:
  DropshipService& service_;
};

}  // namespace erp::daemon::workflows::dropship
