#pragma once
// The single gate every workflow shares: an order goes to the warehouse only when no hold remains
// (DESIGN "Workflows"). Every hold, release and the release itself is an event in the order log.

#include <functional>
#include <string>

#include "store/store.hpp"

namespace erp::daemon::holds {

using store::Instant;

/// What the gate does when it opens: enqueue the warehouse side effect inside the same
/// transaction (the builtin connector with a webhook, or a connector plugin). May be empty when
/// the warehouse pulls released orders through the API instead.
using OnRelease = std::function<void(store::Tx&, const store::StoredOrder&, Instant now)>;

/// The gate's rule as a pure function: paid or partially shipped, not yet released, and no
/// active hold (gift reservation G1, tag window G2, intercept I4, dropship D4, manual ...).
bool ready_for_release(const store::StoredOrder& order) noexcept;

class ReleaseGate {
 public:
  ReleaseGate(store::Store& store, OnRelease on_release);

  /// Re-evaluates one order inside `tx`: if it is ready to ship (paid or partially shipped, not
  /// yet released) and has no active hold, marks it released, records "order.released" and calls
  /// OnRelease. Returns true when it released the order now.
  bool evaluate(store::Tx& tx, const OrderKey& key, Instant now);
  /// The same for an order just upserted in `tx` as `current` (see Store::get_order).
  bool evaluate(store::Tx& tx, const sdk::Order& current, Instant now);

 private:
  bool release_if_ready(store::Tx& tx, const OrderKey& key, std::optional<store::StoredOrder> stored, Instant now);

  store::Store& store_;
  OnRelease on_release_;
};

/// Hold operations as whole decisions: each is one transaction that also re-evaluates the gate.
class HoldService {
 public:
  HoldService(store::Store& store, ReleaseGate& gate);

  /// Places a hold. Fails with not_found for an unknown order, conflict when already released
  /// (a released order is the warehouse's now; intercepts go through the warehouse instead) or
  /// already shipped, completed or closed (nothing left to hold), invalid_input without a
  /// reason code or owner.
  sdk::Result<store::Hold> place(const OrderKey& key, const store::NewHold& hold, Instant now);

  /// Releases one active hold of this order. Holds placed by a workflow (owner not "operator:*")
  /// need `force`, so an operator does not undo a rule by accident. not_found / conflict otherwise.
  sdk::Result<store::Hold> release(const OrderKey& key, std::int64_t hold_id, const std::string& by,
                                   const std::string& reason, bool force, Instant now);

  /// Releases every active hold whose auto-release time has come, each in its own transaction
  /// (released_by "daemon", reason "auto-release time reached"). Returns how many.
  int release_due(Instant now);

 private:
  store::Store& store_;
  ReleaseGate& gate_;
};

}  // namespace erp::daemon::holds
