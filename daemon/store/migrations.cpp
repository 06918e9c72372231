#include "store/migrations.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <string>

namespace erp::daemon::store {
namespace {

// Instants are INTEGER milliseconds since the Unix epoch (UTC); money is INTEGER fen. Orders are
// referenced by their row id inside the database and by (platform, shop, order_id) outside it.
// Never edit a migration that has shipped: add a new one.

constexpr const char* kV1 = R"sql(
CREATE TABLE orders (
  id              INTEGER PRIMARY KEY,
  platform        TEXT    NOT NULL,
  shop            TEXT    NOT NULL,
  order_id        TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('pending_payment', 'paid', 'partially_shipped',
                                                     'shipped', 'completed', 'closed')),
  platform_status TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  paid_at         INTEGER,
  modified_at     INTEGER NOT NULL,
  total_fen       INTEGER NOT NULL,
  memo            TEXT    NOT NULL,
  ship_by         INTEGER,
  released        INTEGER NOT NULL DEFAULT 0 CHECK (released IN (0, 1)),
  released_at     INTEGER,
  urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
  stored_at       INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  -- The whole normalized order as order_to_json(order, true): the exact form handed back.
  payload         TEXT    NOT NULL,
  UNIQUE (platform, shop, order_id)
);

-- Lines as columns so SQL can find orders by sku; the payload stays the source of truth.
CREATE TABLE order_lines (
  order_row     INTEGER NOT NULL REFERENCES orders (id),
  position      INTEGER NOT NULL,
  line_id       TEXT    NOT NULL,
  item_id       TEXT    NOT NULL,
  sku           TEXT    NOT NULL,
  outer_sku     TEXT    NOT NULL,
  title         TEXT    NOT NULL,
  quantity      INTEGER NOT NULL,
  price_fen     INTEGER NOT NULL,
  paid_fen      INTEGER NOT NULL,
  status        TEXT    NOT NULL,
  refund_status TEXT    NOT NULL,
  PRIMARY KEY (order_row, position)
) WITHOUT ROWID;

CREATE TABLE order_events (
  id        INTEGER PRIMARY KEY,
  order_row INTEGER NOT NULL REFERENCES orders (id),
  at        INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  reason    TEXT    NOT NULL,
  rule_id   TEXT    NOT NULL,
  actor     TEXT    NOT NULL,
  detail    TEXT    NOT NULL
);

-- The event log is the merchant's answer to "why": history is never rewritten.
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;

-- Released holds stay as history: released_at IS NULL means active.
CREATE TABLE holds (
  id              INTEGER PRIMARY KEY,
  order_row       INTEGER NOT NULL REFERENCES orders (id),
  reason_code     TEXT    NOT NULL,
  owner           TEXT    NOT NULL,
  rule_id         TEXT    NOT NULL,
  note            TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  auto_release_at INTEGER,
  released_at     INTEGER,
  released_by     TEXT    NOT NULL DEFAULT '',
  release_reason  TEXT    NOT NULL DEFAULT ''
);

PRAGMA application_id = 1163022404;
)sql";

constexpr const char* kV2 = R"sql(
-- Side effects written in the same transaction as the decision that wants them (DESIGN "Data flow").
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  idempotency_key TEXT    NOT NULL UNIQUE,
  kind            TEXT    NOT NULL,
  target          TEXT    NOT NULL,
  -- The order concerned, if any; kept as the outside key so an effect never depends on a row id.
  platform        TEXT,
  shop            TEXT,
  order_id        TEXT,
  payload         TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'in_flight', 'done', 'dead')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_by_state ON outbox (state, id);

-- Where each shop's incremental sync stands (last modified time seen, page tokens ...).
CREATE TABLE sync_cursors (
  platform   TEXT    NOT NULL,
  shop       TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, shop, name)
) WITHOUT ROWID;

-- Platform payloads that could not be parsed: kept with the reason, never silently dropped.
CREATE TABLE quarantine (
  id          INTEGER PRIMARY KEY,
  platform    TEXT    NOT NULL,
  shop        TEXT    NOT NULL,
  order_id    TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  payload     TEXT    NOT NULL,
  received_at INTEGER NOT NULL
);

-- The indexes the store's queries need; v1 had only the order key.
CREATE INDEX orders_by_order_id ON orders (order_id);
CREATE INDEX orders_by_status ON orders (status, id);
CREATE INDEX orders_by_shop ON orders (platform, shop, id);
-- "released" / "unreleased" listings only look at orders that may still ship.
CREATE INDEX orders_open ON orders (released, id) WHERE status NOT IN ('shipped', 'completed', 'closed');
CREATE INDEX order_events_by_order ON order_events (order_row, id);
CREATE INDEX holds_by_order ON holds (order_row, id);
CREATE INDEX holds_active ON holds (order_row) WHERE released_at IS NULL;
CREATE INDEX holds_auto_release ON holds (auto_release_at)
  WHERE released_at IS NULL AND auto_release_at IS NOT NULL;
)sql";

// The orders table rebuilt so that storing an order writes less (bench/README.md "TOP ingest"):
// - One key index, (order_id, platform, shop): it finds an order by its full key and by its bare
//   platform id alike, so the separate orders_by_order_id index (one more b-tree written per
//   order) is gone.
// - The status check and the open-orders predicate without IN: SQLite codes an IN list of more
//   than two constants as a temporary b-tree built afresh each time the expression runs, and
//   both run on every insert. Queries spell the predicate as the index does
//   (ERP_STORE_OPEN_ORDER in store/order_row.hpp), or the planner cannot use the index.
// - orders_open keyed by id first: a new order's entry goes to the index's last page and the
//   release gate flipping `released` rewrites it in place; keyed (released, id), the entry moved
//   from the end of one run to the end of the other, dirtying two pages per order instead of one.
//   It carries status too, so it serves every listing of orders that may still ship.
// - No orders_by_status and orders_by_shop: each was one more page in every order's commit, for
//   listings that do without them. An open status (the few orders a merchant acts on) is listed
//   through orders_open; a finished status is most of the history, so walking the table in id
//   order finds a page of them quickly; a merchant has a handful of shops, so a shop's orders are
//   found the same way. The listing's plans are tested (tests/unit/store/list_test.cpp).
// - order_events clustered by order: keyed (order_row, seq) without a rowid, an order's history
//   is one range of the table itself, so the separate order_events_by_order index (one more
//   b-tree written per event) is gone. seq numbers an order's events from 1 in the order they
//   were written; the log stays append-only.
// Order rows keep their ids, so order_lines, order_events and holds still point at the same
// orders; apply_migrations checks every reference after the step.
constexpr const char* kV3 = R"sql(
CREATE TABLE orders_v3 (
  id              INTEGER PRIMARY KEY,
  platform        TEXT    NOT NULL,
  shop            TEXT    NOT NULL,
  order_id        TEXT    NOT NULL,
  status          TEXT    NOT NULL CHECK (status = 'pending_payment' OR status = 'paid' OR
                                          status = 'partially_shipped' OR status = 'shipped' OR
                                          status = 'completed' OR status = 'closed'),
  platform_status TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  paid_at         INTEGER,
  modified_at     INTEGER NOT NULL,
  total_fen       INTEGER NOT NULL,
  memo            TEXT    NOT NULL,
  ship_by         INTEGER,
  released        INTEGER NOT NULL DEFAULT 0 CHECK (released IN (0, 1)),
  released_at     INTEGER,
  urgent          INTEGER NOT NULL DEFAULT 0 CHECK (urgent IN (0, 1)),
  stored_at       INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  -- The whole normalized order as order_to_json(order, true): the exact form handed back.
  payload         TEXT    NOT NULL,
  UNIQUE (order_id, platform, shop)
);
INSERT INTO orders_v3 (id, platform, shop, order_id, status, platform_status, kind, created_at, paid_at,
                       modified_at, total_fen, memo, ship_by, released, released_at, urgent, stored_at,
                       updated_at, payload)
  SELECT id, platform, shop, order_id, status, platform_status, kind, created_at, paid_at, modified_at,
         total_fen, memo, ship_by, released, released_at, urgent, stored_at, updated_at, payload
  FROM orders;
DROP TABLE orders;
ALTER TABLE orders_v3 RENAME TO orders;
CREATE INDEX orders_open ON orders (id, released, status)
  WHERE status <> 'shipped' AND status <> 'completed' AND status <> 'closed';

CREATE TABLE order_events_v3 (
  order_row INTEGER NOT NULL REFERENCES orders (id),
  seq       INTEGER NOT NULL,
  at        INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  reason    TEXT    NOT NULL,
  rule_id   TEXT    NOT NULL,
  actor     TEXT    NOT NULL,
  detail    TEXT    NOT NULL,
  PRIMARY KEY (order_row, seq)
) WITHOUT ROWID;
INSERT INTO order_events_v3 (order_row, seq, at, kind, reason, rule_id, actor, detail)
  SELECT order_row, ROW_NUMBER() OVER (PARTITION BY order_row ORDER BY id), at, kind, reason, rule_id, actor, detail
  FROM order_events;
DROP TABLE order_events;
ALTER TABLE order_events_v3 RENAME TO order_events;
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
)sql";

// Version 4 ([4/10] Douyin):
// - plugin_state: a plugin instance's own durable values (HostContext::state()), such as the
//   access and refresh tokens a Douyin adapter got from token.refresh: the old pair stops working
//   at once, so losing the new one in a restart would lock the shop out until re-authorization.
// - push_messages: ids of platform pushes already taken over, so a push delivered twice is
//   acknowledged without fetching its order again (rule D11). Old rows are pruned.
constexpr const char* kV4 = R"sql(
CREATE TABLE plugin_state (
  platform   TEXT    NOT NULL,
  shop       TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, shop, key)
) WITHOUT ROWID;

CREATE TABLE push_messages (
  platform    TEXT    NOT NULL,
  shop        TEXT    NOT NULL,
  msg_id      TEXT    NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (platform, shop, msg_id)
) WITHOUT ROWID;
CREATE INDEX push_messages_by_time ON push_messages (received_at);
)sql";

// Version 5 ([5/10] intercept, rules I1-I9): one row per intercept request. The order's history
// (order_events) says what happened and why; this row is the intercept's current state, which
// the shipment check, the scheduled unlock and the warehouse's pull read without replaying events.
// line_ids is a JSON array of the intercepted lines, [] for the whole order (rule I2).
constexpr const char* kV5 = R"sql(
CREATE TABLE intercepts (
  id              INTEGER PRIMARY KEY,
  order_row       INTEGER NOT NULL REFERENCES orders (id),
  line_ids        TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state = 'locked' OR state = 'awaiting_warehouse' OR
                                          state = 'memo_only' OR state = 'too_late' OR
                                          state = 'cancelled' OR state = 'unlocked' OR state = 'resolved'),
  source          TEXT    NOT NULL,
  requested_by    TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  memo_text       TEXT    NOT NULL,
  hold_id         INTEGER REFERENCES holds (id),
  warehouse_asked INTEGER NOT NULL DEFAULT 0 CHECK (warehouse_asked IN (0, 1)),
  was_locked      INTEGER NOT NULL DEFAULT 0 CHECK (was_locked IN (0, 1)),
  memo_written_at INTEGER,
  memo_seen_at    INTEGER,
  requested_at    INTEGER NOT NULL,
  decided_at      INTEGER,
  ended_at        INTEGER,
  updated_at      INTEGER NOT NULL,
  detail          TEXT    NOT NULL
);
CREATE INDEX intercepts_by_order ON intercepts (order_row, id);
-- At most one open intercept per order; the partial index also serves the listings of open ones.
CREATE UNIQUE INDEX intercepts_open ON intercepts (order_row)
  WHERE state = 'locked' OR state = 'awaiting_warehouse' OR state = 'memo_only';
CREATE INDEX intercepts_by_state ON intercepts (state, id);
)sql";

// Version 6 ([6/10] 1-yuan reservation gift, rules G1-G13, and alerts):
// - gift_reservations: the reservation orders the gift workflow recognised (G1), one row per order,
//   with where each stands. A buyer's reservations in a state are found by buyer (G3 links the 12
//   earliest paid); the shop is the order's, read through the join.
// - gift_links: one row per reservation linked to a repurchase (main) order (G2, G4, G12), with
//   the waybill it ships with (G5-G8). A reservation has at most one link not dropped (G7 moves a
//   link by dropping it and adding another); dropped ones stay as history. Platform mode checks
//   main_shipped links whose verify_by has come (G5).
// - gift_rule_usage: gift pieces each merchant rule gave so far (G12 stock).
// - alerts: something a person must look at, at most one open per (kind, subject); cleared ones
//   stay as history. detail is a JSON object.
constexpr const char* kV6 = R"sql(
CREATE TABLE gift_reservations (
  order_row     INTEGER PRIMARY KEY REFERENCES orders (id),
  buyer_ref     TEXT    NOT NULL,
  paid_at       INTEGER,
  pieces        INTEGER NOT NULL,
  state         TEXT    NOT NULL CHECK (state = 'waiting' OR state = 'linked' OR state = 'shipped' OR
                                        state = 'closed'),
  hold_id       INTEGER REFERENCES holds (id),
  recognised_by TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  ended_at      INTEGER
);
CREATE INDEX gift_reservations_of_buyer ON gift_reservations (buyer_ref, state, paid_at);
CREATE INDEX gift_reservations_by_created ON gift_reservations (created_at, order_row);

CREATE TABLE gift_links (
  id              INTEGER PRIMARY KEY,
  reservation_row INTEGER NOT NULL REFERENCES orders (id),
  main_row        INTEGER NOT NULL REFERENCES orders (id),
  state           TEXT    NOT NULL CHECK (state = 'linked' OR state = 'main_shipped' OR state = 'shipped' OR
                                          state = 'dropped'),
  rule_id         TEXT    NOT NULL,
  source          TEXT    NOT NULL,
  pieces          INTEGER NOT NULL,
  waybill         TEXT    NOT NULL,
  carrier_code    TEXT    NOT NULL,
  main_shipped_at INTEGER,
  waybill_tie     INTEGER NOT NULL DEFAULT 0 CHECK (waybill_tie IN (0, 1)),
  verify_by       INTEGER,
  outbox_id       INTEGER REFERENCES outbox (id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  ended_at        INTEGER,
  detail          TEXT    NOT NULL
);
-- At most one link not dropped per reservation; the partial index also finds that link.
CREATE UNIQUE INDEX gift_links_active ON gift_links (reservation_row) WHERE state <> 'dropped';
CREATE INDEX gift_links_by_reservation ON gift_links (reservation_row, id);
CREATE INDEX gift_links_by_main ON gift_links (main_row, id);
CREATE INDEX gift_links_due ON gift_links (verify_by, id) WHERE state = 'main_shipped';

CREATE TABLE gift_rule_usage (
  rule       TEXT    PRIMARY KEY,
  used       INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE alerts (
  id         INTEGER PRIMARY KEY,
  kind       TEXT    NOT NULL,
  subject    TEXT    NOT NULL,
  order_row  INTEGER REFERENCES orders (id),
  rule_id    TEXT    NOT NULL,
  message    TEXT    NOT NULL,
  detail     TEXT    NOT NULL,
  raised_at  INTEGER NOT NULL,
  cleared_at INTEGER
);
-- At most one open alert per (kind, subject); the partial index also serves the open listing.
CREATE UNIQUE INDEX alerts_open ON alerts (kind, subject) WHERE cleared_at IS NULL;
)sql";

// Version 7 (dropship, rules D1-D11):
// - dropship_roles: a shop's dropship identity, merchant or factory (D1), once the dropship service
//   has recorded it; the service refuses to change it once the shop has a binding.
// - dropship_bindings: one row per binding a merchant shop requested with a factory (D2), with
//   where it stands; ended ones stay as history, so "ever had a binding" (D1) stays answerable.
//   At most one binding of a shop and factory is not unbound (dropship_bindings_open); bound_at is
//   when it took effect (D3). A shop has a handful of bindings: the other reads walk the table.
// - dropship_lines: one row per line assigned to a factory (D4), from either side: the merchant's
//   assignment of its own order line, or an item a merchant assigned to a factory shop the daemon
//   runs (D5). The merchant's order is named by its text key, not by a reference to orders: the
//   factory side's orders belong to other merchants and are never stored here. At most one live
//   (assigning, assigned or shipped) merchant line per order line (dropship_lines_live; ended ones
//   stay as history, so an unassigned line can be assigned again); a platform assignment id
//   belongs to one line per side and shop (dropship_lines_by_distr). receiver_cipher is the
//   platform's ciphertext, never plaintext (D10). binding_id is 0 on the factory side (no binding
//   of ours), so it is no reference. The factory API pages a factory's own lines in id order
//   (dropship_lines_of_factory); an order's lines are found by its key (dropship_lines_of_order).
// - receiver_access_log: each time a factory was handed a receiver decrypted, or refused it (D10):
//   who, which line and order, the outcome and when; never the receiver itself. Append-only, like
//   the order event log. dropship_line is what the factory asked for, which may be a line that
//   does not exist (a refusal), so it is no reference either.
// The live states are spelled with OR, not IN (see version 3), and queries spell them the same way
// so the planner can use the partial index.
constexpr const char* kV7 = R"sql(
CREATE TABLE dropship_roles (
  platform TEXT    NOT NULL,
  shop     TEXT    NOT NULL,
  role     TEXT    NOT NULL CHECK (role = 'merchant' OR role = 'factory'),
  set_at   INTEGER NOT NULL,
  PRIMARY KEY (platform, shop)
) WITHOUT ROWID;

CREATE TABLE dropship_bindings (
  id           INTEGER PRIMARY KEY,
  platform     TEXT    NOT NULL,
  shop         TEXT    NOT NULL,
  factory      TEXT    NOT NULL,
  state        TEXT    NOT NULL CHECK (state = 'requested' OR state = 'bound' OR state = 'unbound'),
  requested_at INTEGER NOT NULL,
  bound_at     INTEGER,
  ended_at     INTEGER,
  ended_by     TEXT    NOT NULL,
  detail       TEXT    NOT NULL
);
CREATE UNIQUE INDEX dropship_bindings_open ON dropship_bindings (platform, shop, factory) WHERE state <> 'unbound';

CREATE TABLE dropship_lines (
  id               INTEGER PRIMARY KEY,
  side             TEXT    NOT NULL CHECK (side = 'merchant' OR side = 'factory'),
  platform         TEXT    NOT NULL,
  shop             TEXT    NOT NULL,
  order_id         TEXT    NOT NULL,
  line_id          TEXT    NOT NULL,
  factory          TEXT    NOT NULL,
  binding_id       INTEGER NOT NULL,
  state            TEXT    NOT NULL CHECK (state = 'assigning' OR state = 'assigned' OR state = 'shipped' OR
                                           state = 'unassigned' OR state = 'refused'),
  rule_id          TEXT    NOT NULL,
  source           TEXT    NOT NULL,
  distr_order_id   TEXT    NOT NULL,
  merchant_shop_id TEXT    NOT NULL,
  sku              TEXT    NOT NULL,
  outer_sku        TEXT    NOT NULL,
  title            TEXT    NOT NULL,
  quantity         INTEGER NOT NULL,
  receiver_cipher  TEXT    NOT NULL,
  province         TEXT    NOT NULL,
  city             TEXT    NOT NULL,
  district         TEXT    NOT NULL,
  buyer_cancelled  INTEGER NOT NULL DEFAULT 0 CHECK (buyer_cancelled IN (0, 1)),
  cancel_reason    TEXT    NOT NULL,
  waybill          TEXT    NOT NULL,
  carrier          TEXT    NOT NULL,
  shipped_by       TEXT    NOT NULL,
  shipped_at       INTEGER,
  outbox_id        INTEGER REFERENCES outbox (id),
  assigned_at      INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  ended_at         INTEGER,
  detail           TEXT    NOT NULL
);
CREATE UNIQUE INDEX dropship_lines_live ON dropship_lines (platform, shop, order_id, line_id)
  WHERE side = 'merchant' AND (state = 'assigning' OR state = 'assigned' OR state = 'shipped');
CREATE UNIQUE INDEX dropship_lines_by_distr ON dropship_lines (side, platform, shop, distr_order_id)
  WHERE distr_order_id <> '';
CREATE INDEX dropship_lines_of_factory ON dropship_lines (factory, id);
CREATE INDEX dropship_lines_of_order ON dropship_lines (platform, shop, order_id);

CREATE TABLE receiver_access_log (
  id            INTEGER PRIMARY KEY,
  factory       TEXT    NOT NULL,
  dropship_line INTEGER NOT NULL,
  platform      TEXT    NOT NULL,
  shop          TEXT    NOT NULL,
  order_id      TEXT    NOT NULL,
  outcome       TEXT    NOT NULL,
  at            INTEGER NOT NULL
);
CREATE INDEX receiver_access_log_of_factory ON receiver_access_log (factory, id);
-- An audit trail: what was handed out stays on record.
CREATE TRIGGER receiver_access_log_no_update BEFORE UPDATE ON receiver_access_log
BEGIN SELECT RAISE(ABORT, 'receiver_access_log is append-only'); END;
CREATE TRIGGER receiver_access_log_no_delete BEFORE DELETE ON receiver_access_log
BEGIN SELECT RAISE(ABORT, 'receiver_access_log is append-only'); END;
)sql";

// Version 8 (order deadlines, rules S1-S13):
// - order_deadlines: one row per order, the deadlines as the deadline engine last computed them:
//   the ship-by and what decided it (S1, a holiday window S5-S8, a report S4), where the order
//   stands against it, and the pickup clock (S2, S11) with the tracking facts S3 and S9 look at.
//   The column holiday_window is OrderDeadline::window (WINDOW is an SQL keyword). The sweep walks
//   only what the clock moves: open or at-risk orders by ship-by (order_deadlines_ship_by; the
//   other states are few to ask for and not indexed) and shipped orders still waiting for their
//   first pickup scan by pickup due time (order_deadlines_pickup_due), and parcels picked up and
//   not delivered by their last tracking event, for stalls (order_deadlines_in_transit; S3, S9).
// - deadline_reports: force-majeure, abnormal-address and buyer-delay reports (S4), each waiving an
//   order's ship-by or moving it to new_ship_by (required to move). reported_by is
//   DeadlineReport::by (BY is an SQL keyword). Append-only, like the order event log: a report
//   stays on record as it was made.
// - tracking_events: the parcel's scans (pickup, sorting centre arrival and departure, transit,
//   delivery) from the platform, the warehouse or a carrier feed. A feed repeats itself: the same
//   (order, waybill, kind, at) is one event, and its unique index also finds an order's events.
// - after_sale_timers: each after-sale step's response deadline (S10), one running per order line
//   and step; an ended timer stays on record. The sweep walks the running ones the merchant owes
//   by due time.
// The indexed states are spelled with OR, not IN (see version 3), and queries spell them the same
// way so the planner can use the partial indexes.
constexpr const char* kV8 = R"sql(
CREATE TABLE order_deadlines (
  order_row        INTEGER PRIMARY KEY REFERENCES orders (id),
  ship_by          INTEGER,
  rule_id          TEXT    NOT NULL,
  holiday_window   TEXT    NOT NULL,
  reason           TEXT    NOT NULL,
  state            TEXT    NOT NULL CHECK (state = 'open' OR state = 'at_risk' OR state = 'late' OR
                                           state = 'shipped' OR state = 'exempt' OR state = 'waived'),
  shipped_at       INTEGER,
  pickup_due       INTEGER,
  pickup_rule      TEXT    NOT NULL,
  picked_up_at     INTEGER,
  first_hub_at     INTEGER,
  last_tracking_at INTEGER,
  delivered_at     INTEGER,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX order_deadlines_ship_by ON order_deadlines (state, ship_by)
  WHERE state = 'open' OR state = 'at_risk';
CREATE INDEX order_deadlines_pickup_due ON order_deadlines (pickup_due)
  WHERE state = 'shipped' AND picked_up_at IS NULL;
CREATE INDEX order_deadlines_in_transit ON order_deadlines (last_tracking_at)
  WHERE state = 'shipped' AND picked_up_at IS NOT NULL AND delivered_at IS NULL;

CREATE TABLE deadline_reports (
  id          INTEGER PRIMARY KEY,
  order_row   INTEGER NOT NULL REFERENCES orders (id),
  kind        TEXT    NOT NULL CHECK (kind = 'force_majeure' OR kind = 'address' OR kind = 'buyer_delay'),
  action      TEXT    NOT NULL CHECK (action = 'waive' OR action = 'move'),
  new_ship_by INTEGER,
  note        TEXT    NOT NULL,
  reported_by TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  CHECK (action <> 'move' OR new_ship_by IS NOT NULL)
);
CREATE INDEX deadline_reports_of_order ON deadline_reports (order_row, id);
-- What was reported stays on record; a later report supersedes an earlier one.
CREATE TRIGGER deadline_reports_no_update BEFORE UPDATE ON deadline_reports
BEGIN SELECT RAISE(ABORT, 'deadline_reports is append-only'); END;
CREATE TRIGGER deadline_reports_no_delete BEFORE DELETE ON deadline_reports
BEGIN SELECT RAISE(ABORT, 'deadline_reports is append-only'); END;

CREATE TABLE tracking_events (
  id          INTEGER PRIMARY KEY,
  order_row   INTEGER NOT NULL REFERENCES orders (id),
  waybill     TEXT    NOT NULL,
  kind        TEXT    NOT NULL CHECK (kind = 'pickup' OR kind = 'hub_arrival' OR kind = 'hub_departure' OR
                                      kind = 'transit' OR kind = 'delivered'),
  at          INTEGER NOT NULL,
  source      TEXT    NOT NULL,
  received_at INTEGER NOT NULL,
  UNIQUE (order_row, waybill, kind, at)
);

CREATE TABLE after_sale_timers (
  id             INTEGER PRIMARY KEY,
  order_row      INTEGER NOT NULL REFERENCES orders (id),
  line_id        TEXT    NOT NULL,
  step           TEXT    NOT NULL,
  started_at     INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  rule_id        TEXT    NOT NULL,
  holiday_window TEXT    NOT NULL,
  merchant_owes  INTEGER NOT NULL CHECK (merchant_owes = 0 OR merchant_owes = 1),
  ended_at       INTEGER
);
-- One running timer per line and step; ended ones stay on record.
CREATE UNIQUE INDEX after_sale_timers_running ON after_sale_timers (order_row, line_id, step)
  WHERE ended_at IS NULL;
CREATE INDEX after_sale_timers_due ON after_sale_timers (due_at)
  WHERE ended_at IS NULL AND merchant_owes = 1;
)sql";

// Version 9: the warehouse connector's side (Qimen). Each delivery handed to a warehouse that
// knows it by a code, with the lines it carried; the inbound messages already applied (a WMS
// sends a confirmation again until it hears success); the stock changes it reported.
constexpr const char* kV9 = R"sql(
CREATE TABLE warehouse_deliveries (
  code       TEXT    PRIMARY KEY,
  source     TEXT    NOT NULL UNIQUE,
  platform   TEXT    NOT NULL,
  shop       TEXT    NOT NULL,
  order_id   TEXT    NOT NULL,
  line_ids   TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state = 'delivered' OR state = 'cancelled'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX warehouse_deliveries_by_order ON warehouse_deliveries (platform, shop, order_id);

CREATE TABLE warehouse_messages (
  message_key TEXT    PRIMARY KEY,
  received_at INTEGER NOT NULL
);

CREATE TABLE warehouse_stock_changes (
  id             INTEGER PRIMARY KEY,
  message_key    TEXT    NOT NULL UNIQUE,
  warehouse_code TEXT    NOT NULL,
  item_code      TEXT    NOT NULL,
  quantity       INTEGER NOT NULL,
  delivery_code  TEXT    NOT NULL,
  status         TEXT    NOT NULL,
  changed_at     INTEGER,
  received_at    INTEGER NOT NULL
);
CREATE INDEX warehouse_stock_changes_by_item ON warehouse_stock_changes (item_code, id);
)sql";

constexpr Migration kMigrations[] = {
    {1, "orders, order lines, the order event log and holds", kV1},
    {2, "outbox, sync cursors, quarantine and the query indexes", kV2},
    {3, "orders and order_events rebuilt to write fewer b-trees per order", kV3},
    {4, "plugin state and the ids of pushes taken over", kV4},
    {5, "intercept requests and their state", kV5},
    {6, "1-yuan reservation gifts, their links and rule usage; alerts", kV6},
    {7, "dropship roles, bindings, assigned lines and the receiver access audit", kV7},
    {8, "order deadlines, deadline reports and tracking events", kV8},
    {9, "warehouse deliveries by code, inbound warehouse messages and stock changes", kV9},
};

}  // namespace

std::span<const Migration> migrations() noexcept { return kMigrations; }

void apply_migrations(SQLite::Database& db, int from, int to) {
  // A step that rebuilds a table drops the old one, which SQLite refuses (or empties the children)
  // while foreign keys are enforced; so enforcement is off during the steps, each step proves
  // before committing that every reference still holds (https://sqlite.org/lang_altertable.html,
  // "Making Other Kinds Of Table Schema Changes"), and the previous setting comes back after.
  const bool enforced = db.execAndGet("PRAGMA foreign_keys").getInt() != 0;
  db.exec("PRAGMA foreign_keys = OFF");
  struct Restore {
    SQLite::Database& db;
    bool enforced;
    ~Restore() {
      try {
        if (enforced) db.exec("PRAGMA foreign_keys = ON");
      } catch (const SQLite::Exception&) {
        // Only a transaction left open could refuse it; the step's own rollback ends that first.
      }
    }
  } restore{db, enforced};

  for (const Migration& m : kMigrations) {
    if (m.version <= from || m.version > to) continue;
    // One transaction per step: user_version lives in the database header and commits with it.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(m.sql);
    SQLite::Statement broken(db, "PRAGMA foreign_key_check");
    if (broken.executeStep()) {
      throw SQLite::Exception("schema step " + std::to_string(m.version) + " would leave a row of " +
                                  broken.getColumn(0).getString() + " pointing at a missing " +
                                  broken.getColumn(2).getString() + " row; nothing was changed",
                              SQLITE_CONSTRAINT_FOREIGNKEY);
    }
    db.exec("PRAGMA user_version = " + std::to_string(m.version));
    tx.commit();
  }
}

}  // namespace erp::daemon::store
