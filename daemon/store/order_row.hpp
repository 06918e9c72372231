#pragma once
// Internal to the store: turning an `orders` row back into a StoredOrder, shared by the single
// order reads and the listing.

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <utility>

#include "store/records.hpp"

namespace erp::daemon::store {

/// Every order read selects these columns first, in this order.
#define ERP_STORE_ORDER_COLUMNS "o.id, o.released, o.released_at, o.urgent, o.stored_at, o.updated_at, o.payload"

/// Orders that may still go to the warehouse (the SQL of !is_finished, core/order_status.hpp),
/// spelled exactly as the orders_open index's predicate (migration 3) so the planner can use that
/// index; `o` is the orders table's alias.
#define ERP_STORE_OPEN_ORDER "o.status <> 'shipped' AND o.status <> 'completed' AND o.status <> 'closed'"

/// The row id and the order from a row starting with ERP_STORE_ORDER_COLUMNS (holds left empty).
/// The payload is the exact JSON written by upsert_order; a payload that no longer parses means
/// the file was damaged outside the daemon and throws std::runtime_error naming the order row.
std::pair<std::int64_t, StoredOrder> read_order_row(const SQLite::Statement& row);

}  // namespace erp::daemon::store
