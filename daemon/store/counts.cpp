// The summary behind /v1/status and the metrics: one read under the store's lock, so the figures
// agree with each other. None of them reads every order: the order count is kept by the store.

#include "store/order_row.hpp"
#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

// "released" means what list_orders(state = "released") means: handed over and not finished.
constexpr const char* kCounts =
    "SELECT "
    "(SELECT COUNT(DISTINCT order_row) FROM holds WHERE released_at IS NULL), "
    "(SELECT COUNT(*) FROM orders o WHERE o.released = 1 AND " ERP_STORE_OPEN_ORDER "), "
    "(SELECT COUNT(*) FROM holds WHERE released_at IS NULL), "
    "(SELECT COUNT(*) FROM outbox WHERE state = 'pending'), "
    "(SELECT COUNT(*) FROM outbox WHERE state = 'in_flight'), "
    "(SELECT COUNT(*) FROM outbox WHERE state = 'dead'), "
    "(SELECT COUNT(*) FROM quarantine)";

}  // namespace

Counts Store::counts() {
  std::lock_guard lock(mutex_);
  Use select(statement(kCounts));
  select->executeStep();
  Counts c;
  c.orders = stored_orders_ + uncommitted_inserts_;  // as COUNT(*) would, inside this thread's own transaction
  c.held_orders = select->getColumn(0).getInt64();
  c.released_orders = select->getColumn(1).getInt64();
  c.active_holds = select->getColumn(2).getInt64();
  c.outbox_pending = select->getColumn(3).getInt64();
  c.outbox_in_flight = select->getColumn(4).getInt64();
  c.outbox_dead = select->getColumn(5).getInt64();
  c.quarantined = select->getColumn(6).getInt64();
  return c;
}

}  // namespace erp::daemon::store
