#pragma once
// The one path every platform order walks once fetched: store it, let each workflow decide
// (holds, gift links, assignments ...), then open the release gate if nothing holds it. All of it
// in one transaction, so a crash leaves either the whole decision or none of it.

#include <memory>
#include <vector>

#include "holds/release_gate.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows {

using store::Instant;

/// A workflow reacting to a changed order inside the pipeline's transaction. Implementations
/// record their decisions as events with the DOMAIN.md rule id.
class Workflow {
 public:
  virtual ~Workflow() = default;
  virtual const char* name() const noexcept = 0;
  /// `order` is read inside `tx` just before the call, so it shows what earlier workflows did.
  virtual void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome outcome,
                                Instant now) = 0;
};

/// The workflow of a service whose decisions on a changed order are
/// `service.on_order_changed(tx, order, now)`: the intercept, gift and dropship workflows are
/// this, named by the service's kWorkflowName.
template <class Service>
class ServiceWorkflow final : public Workflow {
 public:
  explicit ServiceWorkflow(Service& service) : service_(service) {}
  const char* name() const noexcept override { return Service::kWorkflowName; }
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome, Instant now) override {
    service_.on_order_changed(tx, order, now);
  }

 private:
  Service& service_;
};

class OrderPipeline {
 public:
  OrderPipeline(store::Store& store, holds::ReleaseGate& gate);
  void add(std::shared_ptr<Workflow> workflow);

  /// Stores the order and runs the workflows and the gate, in one transaction. Workflows and
  /// the gate run only when the order was inserted or updated. Whatever throws (a workflow, the
  /// gate's OnRelease, the database) propagates and rolls the whole decision back: nothing of
  /// it is stored, and the next fetch of the order tries again.
  store::UpsertOutcome ingest(const sdk::Order& order, Instant now);

 private:
  store::Store& store_;
  holds::ReleaseGate& gate_;
  std::vector<std::shared_ptr<Workflow>> workflows_;
};

}  // namespace erp::daemon::workflows
