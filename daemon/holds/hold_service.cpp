// Hold operations as whole decisions: check, write the hold change and its event, re-evaluate
// the gate, commit. Used by the API (operators), timers (auto-release) and workflows' callers.

#include <exception>

#include "core/order_status.hpp"
#include "core/time_format.hpp"
#include "holds/release_gate.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::daemon::holds {
namespace {

using sdk::ErrorCode;
using sdk::fail;

constexpr const char* kDaemon = "daemon";
constexpr const char* kAutoReleaseReason = "auto-release time reached";

bool placed_by_operator(const std::string& owner) { return owner.rfind("operator:", 0) == 0; }

}  // namespace

HoldService::HoldService(store::Store& store, ReleaseGate& gate) : store_(store), gate_(gate) {}

sdk::Result<store::Hold> HoldService::place(const OrderKey& key, const store::NewHold& hold, Instant now) {
  if (hold.reason_code.empty()) return fail(ErrorCode::invalid_input, "hold: reason_code is required");
  if (hold.owner.empty()) return fail(ErrorCode::invalid_input, "hold: owner is required");

  auto tx = store_.begin();
  auto stored = store_.get_order(*tx, key);
  if (!stored) return fail(ErrorCode::not_found, "order " + key.to_string() + " is not known");
  if (stored->released) {
    // The warehouse may already be picking it: only an intercept through the warehouse (I4) can stop it now.
    return fail(ErrorCode::conflict, "order " + key.to_string() + " was already released to the warehouse at " +
                                         format_cst(stored->released_at.value_or(now)) +
                                         " CST; intercept it through the warehouse instead");
  }
  if (is_finished(stored->order.status)) {
    return fail(ErrorCode::conflict, "order " + key.to_string() + " is " +
                                         std::string(sdk::to_string(stored->order.status)) +
                                         "; there is nothing left to hold");
  }
  const std::int64_t id = store_.add_hold(*tx, key, hold, now);
  gate_.evaluate(*tx, key,
                 now);  // Stays shut while this hold stands; evaluated so every hold change is a full decision.
  tx->commit();
  return *store_.get_hold(id);
}

sdk::Result<store::Hold> HoldService::release(const OrderKey& key, std::int64_t hold_id, const std::string& by,
                                              const std::string& reason, bool force, Instant now) {
  if (by.empty()) return fail(ErrorCode::invalid_input, "hold release: who releases it is required");

  auto tx = store_.begin();
  auto hold = store_.get_hold(hold_id);
  if (!hold || hold->key != key) {
    return fail(ErrorCode::not_found, "order " + key.to_string() + " has no hold " + std::to_string(hold_id));
  }
  if (hold->released_at) {
    return fail(ErrorCode::conflict, "hold " + std::to_string(hold_id) + " was already released by " +
                                         hold->released_by + " at " + format_cst(*hold->released_at) + " CST");
  }
  if (hold->reason_code == workflows::intercept::kInterceptHold) {
    // The intercept's state goes with its hold; releasing one without the other would ship an
    // order the intercept still reports as locked.
    return fail(ErrorCode::conflict, "hold " + std::to_string(hold_id) +
                                         " is an intercept's lock (rule I4); end it with `erpctl intercept cancel` (I6) "
                                         "or `erpctl intercept unlock` (I7)");
  }
  if (!force && !placed_by_operator(hold->owner)) {
    // A workflow's hold stands for a rule (a gift not yet linked, an intercept ...); undoing it
    // by hand must be deliberate.
    std::string rule = hold->rule_id.empty() ? std::string() : " (rule " + hold->rule_id + ")";
    return fail(ErrorCode::conflict, "hold " + std::to_string(hold_id) + " was placed by " + hold->owner + rule +
                                         "; releasing it by hand needs force");
  }
  store_.release_hold(*tx, hold_id, by, reason, now);
  gate_.evaluate(*tx, key, now);
  tx->commit();
  return *store_.get_hold(hold_id);
}

int HoldService::release_due(Instant now) {
  int released = 0;
  std::exception_ptr first_failure;
  for (;;) {
    const auto due = store_.due_auto_releases(now);
    int progress = 0;
    for (const auto& hold : due) {
      // One decision per hold: a failing release (say, the warehouse callback throws) must not
      // keep the other orders waiting. The first failure is reported once the rest are done.
      try {
        auto tx = store_.begin();
        if (store_.release_hold(*tx, hold.id, kDaemon, kAutoReleaseReason, now)) {
          gate_.evaluate(*tx, hold.key, now);
          tx->commit();
          ++released;
          ++progress;
        }
      } catch (...) {
        if (!first_failure) first_failure = std::current_exception();
      }
    }
    if (progress == 0) break;  // Nothing due, or only holds that keep failing.
  }
  if (first_failure) std::rethrow_exception(first_failure);
  return released;
}

}  // namespace erp::daemon::holds
