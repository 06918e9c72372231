// Order deadlines (rules S1-S13): each order's ship-by and pickup clock as the deadline engine last
// computed them, the force-majeure / address / buyer-delay reports (S4) and the parcel's tracking
// events (S2, S3, S9). Each deadline row is the current state; what happened to an order and why is
// written to its event log by the deadline service, not here. The rules themselves (which ship-by,
// when an order is at risk) live in daemon/deadline and the service: the store keeps the rows and
// the indexed ranges the sweep walks.
//
// File-local names carry a deadline / report / tracking prefix: the unity build compiles every
// store source as one, so they must not meet another file's anonymous-namespace names.

#include <algorithm>
#include <array>
#include <limits>
#include <stdexcept>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr std::array<std::pair<DeadlineState, std::string_view>, 6> kDeadlineStateNames{{
    {DeadlineState::open, "open"},
    {DeadlineState::at_risk, "at_risk"},
    {DeadlineState::late, "late"},
    {DeadlineState::shipped, "shipped"},
    {DeadlineState::exempt, "exempt"},
    {DeadlineState::waived, "waived"},
}};

int deadline_limit(int limit) { return std::clamp(limit, 1, 1000); }

// --- deadlines ---

// order_row comes last so the ship-by walk's UNION ALL can order by it (a compound select orders
// by its result columns); read_deadline_row does not read it.
#define ERP_STORE_DEADLINE_SELECT                                                                                 \
  "SELECT o.platform, o.shop, o.order_id, d.ship_by, d.rule_id, d.holiday_window, d.reason, d.state, "            \
  "d.shipped_at, d.pickup_due, d.pickup_rule, d.picked_up_at, d.first_hub_at, d.last_tracking_at, " \
  "d.delivered_at, d.updated_at, d.order_row FROM order_deadlines d JOIN orders o ON o.id = d.order_row "

// One statement stores a new row or rewrites the stored one in place (INSERT OR REPLACE would
// delete the row and insert another).
constexpr const char* kPutDeadline =
    "INSERT INTO order_deadlines (order_row, ship_by, rule_id, holiday_window, reason, state, shipped_at, "
    "pickup_due, pickup_rule, picked_up_at, first_hub_at, last_tracking_at, delivered_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
    "ON CONFLICT (order_row) DO UPDATE SET ship_by = excluded.ship_by, rule_id = excluded.rule_id, "
    "holiday_window = excluded.holiday_window, reason = excluded.reason, state = excluded.state, "
    "shipped_at = excluded.shipped_at, pickup_due = excluded.pickup_due, pickup_rule = excluded.pickup_rule, "
    "picked_up_at = excluded.picked_up_at, first_hub_at = excluded.first_hub_at, "
    "last_tracking_at = excluded.last_tracking_at, delivered_at = excluded.delivered_at, "
    "updated_at = excluded.updated_at";

constexpr const char* kDeadlineOfOrder = ERP_STORE_DEADLINE_SELECT "WHERE d.order_row = ?1";

// The ship-by walk. Each indexed state is spelled as a literal the partial index
// order_deadlines_ship_by names (a bound parameter would not match it), so one state is a range of
// the index in ship-by order; both states are two such ranges merged (UNION ALL with ORDER BY
// merges, without sorting, and stops at the limit). Ties fall to the older row.
constexpr const char* kDueOpen =
    ERP_STORE_DEADLINE_SELECT "WHERE d.state = 'open' AND d.ship_by <= ?1 ORDER BY d.ship_by, d.order_row LIMIT ?2";
constexpr const char* kDueAtRisk =
    ERP_STORE_DEADLINE_SELECT "WHERE d.state = 'at_risk' AND d.ship_by <= ?1 ORDER BY d.ship_by, d.order_row LIMIT ?2";
constexpr const char* kDueOpenOrAtRisk =
    ERP_STORE_DEADLINE_SELECT "WHERE d.state = 'open' AND d.ship_by <= ?1 UNION ALL " ERP_STORE_DEADLINE_SELECT
                              "WHERE d.state = 'at_risk' AND d.ship_by <= ?1 ORDER BY 4, 17 LIMIT ?2";
// Any other mix of states (late, shipped, exempt, waived: nothing the sweep walks) reads the whole
// table; ?3 is the wanted states as ",a,b,".
constexpr const char* kDueAnyState = ERP_STORE_DEADLINE_SELECT
    "WHERE instr(?3, ',' || d.state || ',') > 0 AND d.ship_by <= ?1 ORDER BY d.ship_by, d.order_row LIMIT ?2";

// The two walks below are spelled as their partial indexes (order_deadlines_pickup_due,
// order_deadlines_in_transit) are, so the planner can use them, and page by (time, order_row) from
// a cursor (?3, ?4): an order whose alert is already open stays in the range, so a walk that always
// began at the start would never get past the first page of them.
constexpr const char* kPickupsDue = ERP_STORE_DEADLINE_SELECT
    "WHERE d.state = 'shipped' AND d.picked_up_at IS NULL AND d.pickup_due <= ?1 "
    "AND (d.pickup_due, d.order_row) > (?3, ?4) ORDER BY d.pickup_due, d.order_row LIMIT ?2";
constexpr const char* kInTransitQuiet = ERP_STORE_DEADLINE_SELECT
    "WHERE d.state = 'shipped' AND d.picked_up_at IS NOT NULL AND d.delivered_at IS NULL "
    "AND d.last_tracking_at <= ?1 AND (d.last_tracking_at, d.order_row) > (?3, ?4) "
    "ORDER BY d.last_tracking_at, d.order_row LIMIT ?2";

#undef ERP_STORE_DEADLINE_SELECT

constexpr const char* kDeadlineCounts = "SELECT state, COUNT(*) FROM order_deadlines GROUP BY state";

OrderDeadline read_deadline_row(const SQLite::Statement& s) {
  OrderDeadline d;
  d.key = OrderKey{column_text(s, 0), column_text(s, 1), column_text(s, 2)};
  d.ship_by = column_optional_instant(s, 3);
  d.rule_id = column_text(s, 4);
  d.window = column_text(s, 5);
  d.reason = column_text(s, 6);
  // The CHECK constraint admits only known names.
  d.state = deadline_state_from_string(column_text(s, 7)).value_or(DeadlineState::open);
  d.shipped_at = column_optional_instant(s, 8);
  d.pickup_due = column_optional_instant(s, 9);
  d.pickup_rule = column_text(s, 10);
  d.picked_up_at = column_optional_instant(s, 11);
  d.first_hub_at = column_optional_instant(s, 12);
  d.last_tracking_at = column_optional_instant(s, 13);
  d.delivered_at = column_optional_instant(s, 14);
  d.updated_at = column_instant(s, 15);
  return d;
}

std::vector<OrderDeadline> read_deadline_rows(SQLite::Statement& s) {
  std::vector<OrderDeadline> out;
  while (s.executeStep()) out.push_back(read_deadline_row(s));
  return out;
}

// --- reports (S4) ---

constexpr const char* kInsertDeadlineReport =
    "INSERT INTO deadline_reports (order_row, kind, action, new_ship_by, note, reported_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr const char* kDeadlineReportsOfOrder =
    "SELECT r.id, o.platform, o.shop, o.order_id, r.kind, r.action, r.new_ship_by, r.note, r.reported_by, "
    "r.created_at FROM deadline_reports r JOIN orders o ON o.id = r.order_row WHERE r.order_row = ?1 ORDER BY r.id";

DeadlineReport read_report_row(const SQLite::Statement& s) {
  DeadlineReport r;
  r.id = s.getColumn(0).getInt64();
  r.key = OrderKey{column_text(s, 1), column_text(s, 2), column_text(s, 3)};
  r.kind = column_text(s, 4);
  r.action = column_text(s, 5);
  r.new_ship_by = column_optional_instant(s, 6);
  r.note = column_text(s, 7);
  r.by = column_text(s, 8);
  r.created_at = column_instant(s, 9);
  return r;
}

// --- tracking events ---

// A repeated event writes nothing (exec() reports no change) and the first one's id is looked up.
constexpr const char* kInsertTrackingEvent =
    "INSERT INTO tracking_events (order_row, waybill, kind, at, source, received_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (order_row, waybill, kind, at) DO NOTHING";
constexpr const char* kTrackingEventId =
    "SELECT id FROM tracking_events WHERE order_row = ?1 AND waybill = ?2 AND kind = ?3 AND at = ?4";
constexpr const char* kTrackingEventsOfOrder =
    "SELECT t.id, o.platform, o.shop, o.order_id, t.waybill, t.kind, t.at, t.source, t.received_at "
    "FROM tracking_events t JOIN orders o ON o.id = t.order_row WHERE t.order_row = ?1 ORDER BY t.at, t.id";

TrackingEvent read_tracking_row(const SQLite::Statement& s) {
  TrackingEvent e;
  e.id = s.getColumn(0).getInt64();
  e.key = OrderKey{column_text(s, 1), column_text(s, 2), column_text(s, 3)};
  e.waybill = column_text(s, 4);
  e.kind = column_text(s, 5);
  e.at = column_instant(s, 6);
  e.source = column_text(s, 7);
  e.received_at = column_instant(s, 8);
  return e;
}

}  // namespace

std::string_view to_string(DeadlineState state) noexcept {
  for (const auto& [value, name] : kDeadlineStateNames) {
    if (value == state) return name;
  }
  return "open";
}

std::optional<DeadlineState> deadline_state_from_string(std::string_view text) noexcept {
  for (const auto& [value, name] : kDeadlineStateNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// --- deadlines ---

void Store::put_deadline(Tx& tx, const OrderDeadline& deadline) {
  require_open(tx);
  const std::int64_t row = require_order_row(deadline.key);
  Use put(statement(kPutDeadline));
  put->bind(1, row);
  bind_instant(*put, 2, deadline.ship_by);
  put->bind(3, deadline.rule_id);
  put->bind(4, deadline.window);
  put->bind(5, deadline.reason);
  put->bind(6, std::string(to_string(deadline.state)));
  bind_instant(*put, 7, deadline.shipped_at);
  bind_instant(*put, 8, deadline.pickup_due);
  put->bind(9, deadline.pickup_rule);
  bind_instant(*put, 10, deadline.picked_up_at);
  bind_instant(*put, 11, deadline.first_hub_at);
  bind_instant(*put, 12, deadline.last_tracking_at);
  bind_instant(*put, 13, deadline.delivered_at);
  bind_instant(*put, 14, deadline.updated_at);
  put->exec();
}

std::optional<OrderDeadline> Store::get_deadline(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return std::nullopt;
  Use select(statement(kDeadlineOfOrder));
  select->bind(1, *row);
  if (!select->executeStep()) return std::nullopt;
  return read_deadline_row(*select);
}

// No states, no orders: "in one of `states`" with none named matches nothing.
std::vector<OrderDeadline> Store::ship_by_due(const std::vector<DeadlineState>& states, Instant by, int limit) {
  bool open = false;
  bool at_risk = false;
  std::string others;  // ",a,b," when a state outside the index is asked for.
  for (const auto state : states) {
    if (state == DeadlineState::open) {
      open = true;
    } else if (state == DeadlineState::at_risk) {
      at_risk = true;
    } else {
      others += "," + std::string(to_string(state));
    }
  }
  const char* sql = nullptr;
  std::string wanted;
  if (!others.empty()) {
    sql = kDueAnyState;
    wanted = others;
    if (open) wanted += ",open";
    if (at_risk) wanted += ",at_risk";
    wanted += ",";
  } else if (open && at_risk) {
    sql = kDueOpenOrAtRisk;
  } else if (open) {
    sql = kDueOpen;
  } else if (at_risk) {
    sql = kDueAtRisk;
  } else {
    return {};
  }
  std::lock_guard lock(mutex_);
  Use select(statement(sql));
  bind_instant(*select, 1, by);
  select->bind(2, deadline_limit(limit));
  if (sql == kDueAnyState) select->bind(3, wanted);
  return read_deadline_rows(*select);
}

std::vector<OrderDeadline> Store::pickups_due(Instant by, const std::optional<DeadlineCursor>& after, int limit) {
  return deadline_page(kPickupsDue, by, after, limit);
}

std::vector<OrderDeadline> Store::in_transit_quiet(Instant since, const std::optional<DeadlineCursor>& after,
                                                   int limit) {
  return deadline_page(kInTransitQuiet, since, after, limit);
}

// A cursor's order that is gone (never: orders are not deleted) would restart the walk at its time.
std::vector<OrderDeadline> Store::deadline_page(const char* sql, Instant by, const std::optional<DeadlineCursor>& after,
                                                int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(sql));
  bind_instant(*select, 1, by);
  select->bind(2, deadline_limit(limit));
  if (after) {
    bind_instant(*select, 3, after->at);
    select->bind(4, find_order_row(after->key).value_or(0));
  } else {
    select->bind(3, std::numeric_limits<std::int64_t>::min());
    select->bind(4, std::int64_t{0});
  }
  return read_deadline_rows(*select);
}

// Every state, in the enum's order, zero counts too: a gauge for a state that emptied must drop
// to 0, not keep its last value. Reads the whole table (for /metrics, not a hot path).
std::vector<std::pair<DeadlineState, std::int64_t>> Store::deadline_counts() {
  std::vector<std::pair<DeadlineState, std::int64_t>> out;
  out.reserve(kDeadlineStateNames.size());
  for (const auto& [state, name] : kDeadlineStateNames) out.emplace_back(state, 0);
  std::lock_guard lock(mutex_);
  Use select(statement(kDeadlineCounts));
  while (select->executeStep()) {
    const auto state = deadline_state_from_string(column_text(*select, 0));
    if (!state) continue;  // The CHECK constraint admits only known names.
    for (auto& [s, count] : out) {
      if (s == *state) count = select->getColumn(1).getInt64();
    }
  }
  return out;
}

// --- reports (S4) ---

// A kind or action outside the rule's names, or a move without its new ship-by, is refused by the
// table's CHECK constraints (SQLite::Exception).
std::int64_t Store::add_deadline_report(Tx& tx, const DeadlineReport& report) {
  require_open(tx);
  const std::int64_t row = require_order_row(report.key);
  Use insert(statement(kInsertDeadlineReport));
  insert->bind(1, row);
  insert->bind(2, report.kind);
  insert->bind(3, report.action);
  bind_instant(*insert, 4, report.new_ship_by);
  insert->bind(5, report.note);
  insert->bind(6, report.by);
  bind_instant(*insert, 7, report.created_at);
  insert->exec();
  return db_->getLastInsertRowid();
}

std::vector<DeadlineReport> Store::deadline_reports(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return {};
  Use select(statement(kDeadlineReportsOfOrder));
  select->bind(1, *row);
  std::vector<DeadlineReport> out;
  while (select->executeStep()) out.push_back(read_report_row(*select));
  return out;
}

// --- tracking events ---

// A kind outside the five names is refused by the table's CHECK constraint (SQLite::Exception).
std::int64_t Store::add_tracking_event(Tx& tx, const TrackingEvent& event) {
  require_open(tx);
  const std::int64_t row = require_order_row(event.key);
  {
    Use insert(statement(kInsertTrackingEvent));
    insert->bind(1, row);
    insert->bind(2, event.waybill);
    insert->bind(3, event.kind);
    bind_instant(*insert, 4, event.at);
    insert->bind(5, event.source);
    bind_instant(*insert, 6, event.received_at);
    if (insert->exec() != 0) return db_->getLastInsertRowid();
  }
  Use first(statement(kTrackingEventId));
  first->bind(1, row);
  first->bind(2, event.waybill);
  first->bind(3, event.kind);
  bind_instant(*first, 4, event.at);
  if (!first->executeStep()) throw std::logic_error("store: tracking event neither stored nor found");
  return first->getColumn(0).getInt64();
}

std::vector<TrackingEvent> Store::tracking_events(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return {};
  Use select(statement(kTrackingEventsOfOrder));
  select->bind(1, *row);
  std::vector<TrackingEvent> out;
  while (select->executeStep()) out.push_back(read_tracking_row(*select));
  return out;
}

}  // namespace erp::daemon::store
