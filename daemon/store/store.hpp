#pragma once
// The daemon's durable state in one SQLite file (WAL mode). Every decision is one transaction:
// callers open a Tx, make all their writes (order, lines, events, holds, outbox rows), commit.
// Thread-safe: one connection behind a mutex (handed out first come, first served); a Tx holds the
// mutex for its whole life.
// Database failures (disk full, corruption, busy past the timeout) throw SQLite::Exception; a Tx
// that is unwinding then rolls back, so a failed decision leaves nothing behind.

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "erp/model.hpp"
#include "erp/result.hpp"
#include "store/fair_mutex.hpp"
#include "store/records.hpp"

namespace erp::daemon::store {

/// Outcome of storing an order the platform sent.
enum class UpsertOutcome {
  inserted,       ///< New order.
  updated,        ///< Newer platform version replaced the stored one.
  unchanged,      ///< Same modified time and same content: nothing written.
  stale_ignored,  ///< Older than what is stored: never overwrites a newer version.
};

struct OrderFilter {
  std::string platform;  ///< Empty: any.
  std::string shop;      ///< Empty: any.
  /// Empty: any. A normalized status name, or "held" (has active holds), or "released"
  /// (released and not yet shipped/completed/closed), or "unreleased" (not released and not
  /// shipped/completed/closed: unpaid, held or about to be released).
  std::string state;
  std::string cursor;  ///< Opaque, from the previous page; empty for the first page.
  int limit = 100;     ///< 1..1000; values outside are clamped.
};

/// The `state` names list_orders() accepts besides the normalized statuses.
inline constexpr const char* kStateHeld = "held";
inline constexpr const char* kStateReleased = "released";
inline constexpr const char* kStateUnreleased = "unreleased";

/// True when list_orders() accepts this state filter (empty, a normalized status, held,
/// released, unreleased), so the API can answer 400 before asking the store.
bool is_valid_state_filter(std::string_view state) noexcept;

/// True when `cursor` is empty or a cursor list_orders() handed out.
bool is_valid_cursor(std::string_view cursor) noexcept;

struct OrderPage {
  std::vector<StoredOrder> orders;
  std::string next_cursor;  ///< Empty when there is no further page.
};

struct Counts {
  std::int64_t orders = 0;
  std::int64_t held_orders = 0;      ///< Orders with at least one active hold.
  std::int64_t released_orders = 0;  ///< Same set as list_orders(state = "released").
  std::int64_t active_holds = 0;
  std::int64_t outbox_pending = 0;
  std::int64_t outbox_in_flight = 0;
  std::int64_t outbox_dead = 0;
  std::int64_t quarantined = 0;
};

class Store;

/// A write transaction (BEGIN IMMEDIATE). Rolled back unless commit() is called.
/// Only one Tx may be open at a time on a thread (SQLite has no nested BEGIN).
class Tx {
 public:
  Tx(Tx&&) = delete;
  ~Tx();
  void commit();
  SQLite::Database& db() noexcept;

 private:
  friend class Store;
  /// `join`: when this thread already has a transaction open, take part in it instead of
  /// beginning one (used by the store's own single-call writes such as mark_done).
  Tx(Store& store, bool join);
  Store& store_;
  std::unique_lock<FairRecursiveMutex> lock_;
  bool joined_ = false;
  bool done_ = false;
};

struct OpenOptions {
  /// Stop migrating at this schema version (tests use 1 to make a database of the first schema).
  std::optional<int> max_schema_version;
};

class Store {
 public:
  /// Opens (creating if needed) and migrates the database. A file that is not a database, or a
  /// schema newer than this binary knows, is an error naming the file; nothing is modified then.
  static sdk::Result<std::unique_ptr<Store>> open(const std::filesystem::path& path, OpenOptions options = {});
  ~Store();

  /// The schema version the binary migrates to.
  static int latest_schema_version() noexcept;
  int schema_version();

  /// Begins a write transaction; every write below takes the Tx it belongs to.
  std::unique_ptr<Tx> begin();

  // --- orders -----------------------------------------------------------------------------
  /// Stores the platform's version of an order with its lines and an event row describing the
  /// change (received / status change / updated). An older modified_at never overwrites a newer.
  /// Throws std::invalid_argument when platform, shop or order id is empty.
  UpsertOutcome upsert_order(Tx& tx, const sdk::Order& order, Instant now);
  std::optional<StoredOrder> get_order(const OrderKey& key);
  std::optional<StoredOrder> get_order(Tx& tx, const OrderKey& key);
  /// The same, around `current`: the order exactly as upsert_order stored it earlier in this `tx`
  /// (so the payload holds `current`). Reads the daemon's columns and active holds only, sparing
  /// the payload's JSON parse on the path every fetched order walks.
  std::optional<StoredOrder> get_order(Tx& tx, const OrderKey& key, const sdk::Order& current);
  /// Orders in the order the daemon first stored them (oldest first), so a client walking the
  /// cursor sees every order once even while new ones arrive. Throws std::invalid_argument for
  /// an unknown state or a cursor this store did not hand out (see is_valid_*).
  OrderPage list_orders(const OrderFilter& filter);
  /// All stored orders with this platform order id (erpctl accepts a bare id when it is unique).
  std::vector<OrderKey> find_orders(const std::string& order_id);
  /// Marks the order urgent: released late in its deadline (rule S1, holds never cause lateness);
  /// false when it was already. The warehouse sees `urgent` in the order JSON.
  bool mark_urgent(Tx& tx, const OrderKey& key);
  /// Marks the order released to the warehouse (used by the release gate only).
  void mark_released(Tx& tx, const OrderKey& key, Instant now);

  // --- event log (append-only) ------------------------------------------------------------
  /// Returns the event's place in the order's history (Event::id). Throws std::out_of_range when
  /// the order is not stored (events belong to stored orders).
  std::int64_t append_event(Tx& tx, const OrderKey& key, const NewEvent& event, Instant now);
  std::vector<Event> events(const OrderKey& key);  ///< Oldest first; empty for an unknown order.

  // --- holds ------------------------------------------------------------------------------
  /// Adds a hold and its "hold.added" event. Returns the hold id. Throws std::out_of_range when
  /// the order is not stored. Policy (released orders, ownership) is HoldService's job.
  std::int64_t add_hold(Tx& tx, const OrderKey& key, const NewHold& hold, Instant now);
  /// Releases an active hold and records "hold.released". False if unknown or already released.
  bool release_hold(Tx& tx, std::int64_t hold_id, const std::string& by, const std::string& reason, Instant now);
  std::optional<Hold> get_hold(std::int64_t hold_id);
  std::vector<Hold> active_holds(Tx& tx, const OrderKey& key);
  std::vector<Hold> holds(const OrderKey& key);  ///< Active and released, oldest first.
  /// Moves an active hold's auto-release earlier, to `at`, with a "hold.auto_release_moved" event
  /// naming the rule and why. False (nothing written) when the hold is released, has no
  /// auto-release, or lifts itself at `at` or earlier already.
  bool bring_auto_release_forward(Tx& tx, std::int64_t hold_id, Instant at, const std::string& rule_id,
                                  const std::string& why, Instant now);
  /// Active holds whose auto-release time has come.
  std::vector<Hold> due_auto_releases(Instant now, int limit = 500);
  /// Active holds with this reason code, oldest first (a workflow's timers walk their own holds).
  std::vector<Hold> active_holds_with_reason(const std::string& reason_code, int limit = 1000);

  // --- outbox -----------------------------------------------------------------------------
  // The calls below without a Tx are each their own transaction, or part of the calling
  // thread's open Tx if it has one.

  /// Enqueues a side effect; an existing idempotency key makes this a no-op returning the old id.
  /// The item is due at once. Throws std::invalid_argument for an empty idempotency key.
  std::int64_t enqueue(Tx& tx, const NewOutboxItem& item, Instant now);
  /// Moves up to `limit` due pending items to in_flight and returns them, earliest due first.
  std::vector<OutboxItem> claim_due(Instant now, int limit);
  /// The effect happened: done, attempts + 1.
  void mark_done(std::int64_t id, Instant now);
  /// Records a failed attempt (attempts + 1, last_error): back to pending at `retry_at` (now
  /// when not given), or dead when `dead` is set.
  void mark_failed(std::int64_t id, const std::string& error, std::optional<Instant> retry_at, bool dead, Instant now);
  /// At start-up: items left in_flight by a crash go back to pending (their outcome is unknown,
  /// so they are retried with the same idempotency key).
  int recover_in_flight(Instant now);
  std::optional<OutboxItem> get_outbox_item(std::int64_t id);
  /// Newest first.
  std::vector<OutboxItem> list_outbox(std::optional<OutboxState> state, int limit = 200);
  /// Dead (or pending) item back to pending with attempts reset, due now. False if unknown, done
  /// or in flight (the dispatcher holds it; retrying it now could run the effect twice).
  bool retry_outbox_item(std::int64_t id, Instant now);
  /// The earliest next_attempt_at among pending items, to sleep until then.
  std::optional<Instant> next_outbox_due();

  // --- sync cursors and quarantine ----------------------------------------------------------
  std::optional<std::string> cursor(const std::string& platform, const std::string& shop, const std::string& name);
  void set_cursor(Tx& tx, const std::string& platform, const std::string& shop, const std::string& name,
                  const std::string& value, Instant now);
  /// Keeps a payload that could not be parsed (entry.id is ignored). Returns the new id.
  std::int64_t quarantine(Tx& tx, const QuarantineEntry& entry);
  std::vector<QuarantineEntry> list_quarantine(int limit = 200);  ///< Newest first.
  /// Newest first, only `shop`'s payloads (any shop when empty).
  std::vector<QuarantineEntry> list_quarantine(const std::string& shop, int limit);

  // --- plugin state and push ids (plugin_state.cpp) -----------------------------------------
  /// A plugin instance's own durable value (HostContext::state()); nullopt when never put.
  std::optional<std::string> plugin_state(const std::string& platform, const std::string& shop,
                                          const std::string& key);
  /// Stores it in its own transaction (or the calling thread's open one).
  void set_plugin_state(const std::string& platform, const std::string& shop, const std::string& key,
                        const std::string& value, Instant now);
  /// True when this push message id was taken over before for the shop (rule D11).
  bool push_seen(const std::string& platform, const std::string& shop, const std::string& msg_id);
  /// Records that a push message was taken over; false when it already was.
  bool record_push(const std::string& platform, const std::string& shop, const std::string& msg_id, Instant now);
  /// Forgets push ids received before `before`; returns how many.
  int prune_pushes(Instant before);

  // --- intercepts (intercept_rows.cpp) -------------------------------------------------------
  /// Stores a new intercept (its id is ignored) and returns its id. Throws std::out_of_range when
  /// the order is not stored, SQLite::Exception when the order already has an open intercept.
  std::int64_t add_intercept(Tx& tx, const Intercept& intercept);
  /// Writes the intercept's changing fields (state, hold, warehouse, memo, times, detail).
  void update_intercept(Tx& tx, const Intercept& intercept);
  std::optional<Intercept> get_intercept(std::int64_t id);
  /// The order's open intercept (locked, awaiting the warehouse or memo only), if any.
  std::optional<Intercept> open_intercept(const OrderKey& key);
  /// Every intercept of the order, newest first.
  std::vector<Intercept> intercepts_of(const OrderKey& key);
  std::vector<Intercept> list_intercepts(const InterceptFilter& filter);

  // --- gifts (gift_rows.cpp) -----------------------------------------------------------------
  /// Stores the reservation, or replaces the stored one of the same order. Throws
  /// std::out_of_range when the order is not stored.
  void put_reservation(Tx& tx, const GiftReservation& reservation);
  std::optional<GiftReservation> get_reservation(const OrderKey& key);
  /// The buyer's reservations in `state` in this shop, earliest paid first (G3), then by order id.
  std::vector<GiftReservation> reservations_of_buyer(const std::string& platform, const std::string& shop,
                                                     const std::string& buyer_ref, ReservationState state);
  std::vector<GiftReservation> list_reservations(const ReservationFilter& filter);
  /// Stores a new link (its id is ignored) and returns its id. Throws std::out_of_range when an
  /// order is not stored, SQLite::Exception when the reservation already has a link not dropped.
  std::int64_t add_gift_link(Tx& tx, const GiftLink& link);
  /// Writes the link's changing fields (state, waybill, carrier, times, outbox id, detail).
  void update_gift_link(Tx& tx, const GiftLink& link);
  std::optional<GiftLink> get_gift_link(std::int64_t id);
  /// The reservation's link that is not dropped, if any.
  std::optional<GiftLink> active_gift_link(const OrderKey& reservation);
  /// Every link of this main order (dropped ones too when `with_dropped`), oldest first.
  std::vector<GiftLink> gift_links_of_main(const OrderKey& main, bool with_dropped);
  /// Every link of this reservation, oldest first.
  std::vector<GiftLink> gift_links_of_reservation(const OrderKey& reservation);
  /// Links in main_shipped whose verify_by has come, oldest first.
  std::vector<GiftLink> gift_links_due(Instant now, int limit = 500);
  /// Gift pieces a merchant rule gave so far (G12 stock); 0 for a rule never used.
  std::int64_t gift_rule_used(const std::string& rule);
  /// Adds `pieces` (may be negative: a dropped link gives its pieces back) to the rule's count.
  void add_gift_rule_use(Tx& tx, const std::string& rule, std::int64_t pieces, Instant now);

  // --- alerts (alert_rows.cpp) ----------------------------------------------------------------
  /// Raises an alert; false (and nothing written) when one of the same kind and subject is open.
  bool raise_alert(Tx& tx, const NewAlert& alert, Instant now);
  /// Clears the open alert of this kind and subject; false when none is open.
  bool clear_alert(Tx& tx, const std::string& kind, const std::string& subject, Instant now);
  /// How many alerts of each kind starting with `kind_prefix` are open (kinds with none left out).
  std::vector<std::pair<std::string, std::int64_t>> count_open_alerts(const std::string& kind_prefix = "");
  /// Open alerts, newest first; only those of kinds starting with `kind_prefix` when it is set.
  std::vector<Alert> open_alerts(const std::string& kind_prefix = "", int limit = 200);

  // --- dropship (dropship_rows.cpp) ----------------------------------------------------------
  /// The shop's dropship identity, "merchant" or "factory" (D1); nullopt when never set.
  std::optional<std::string> dropship_role(const std::string& platform, const std::string& shop);
  /// Sets it. Policy (D1: fixed once any binding exists) is DropshipService's job.
  void set_dropship_role(Tx& tx, const std::string& platform, const std::string& shop, const std::string& role,
                         Instant now);
  /// Stores a new binding (its id is ignored) and returns its id. Throws SQLite::Exception when the
  /// shop and factory already have one that is not unbound.
  std::int64_t add_binding(Tx& tx, const DropshipBinding& binding);
  /// Writes the binding's changing fields (state, bound_at, ended_at, ended_by, detail).
  void update_binding(Tx& tx, const DropshipBinding& binding);
  std::optional<DropshipBinding> get_binding(std::int64_t id);
  /// The shop and factory's binding that is not unbound, if any.
  std::optional<DropshipBinding> open_binding(const std::string& platform, const std::string& shop,
                                              const std::string& factory);
  /// Newest first.
  std::vector<DropshipBinding> list_bindings(const BindingFilter& filter);
  /// True when the shop ever requested or received a binding, whatever became of it (D1).
  bool has_any_binding(const std::string& platform, const std::string& shop);

  /// Stores a new dropship line (its id is ignored) and returns its id. Throws SQLite::Exception
  /// when the line already has a live one (merchant side) or the distr_order_id is taken (per side
  /// and shop).
  std::int64_t add_dropship_line(Tx& tx, const DropshipLine& line);
  /// Writes every field but id, side, platform, shop and assigned_at.
  void update_dropship_line(Tx& tx, const DropshipLine& line);
  std::optional<DropshipLine> get_dropship_line(std::int64_t id);
  /// The merchant side's live (assigning, assigned or shipped) line for this order line, if any.
  std::optional<DropshipLine> live_dropship_line(const OrderKey& order, const std::string& line_id);
  /// The line holding this platform assignment id on that side and shop, if any.
  std::optional<DropshipLine> dropship_line_by_distr(DropshipSide side, const std::string& platform,
                                                     const std::string& shop, const std::string& distr_order_id);
  /// Every line of the order on the merchant side, live and ended, oldest first.
  std::vector<DropshipLine> dropship_lines_of(const OrderKey& order);
  /// Oldest first, from after_id on.
  std::vector<DropshipLine> list_dropship_lines(const DropshipLineFilter& filter);
  /// Records a receiver hand-out (entry.id is ignored); returns its id.
  std::int64_t log_receiver_access(Tx& tx, const ReceiverAccess& entry);
  /// Newest first; only `factory`'s when it is set.
  std::vector<ReceiverAccess> receiver_accesses(const std::string& factory = "", int limit = 200);

  // --- deadlines (deadline_rows.cpp) ---------------------------------------------------------
  /// Stores the order's deadlines (insert or replace). Throws std::out_of_range when the order
  /// is not stored.
  void put_deadline(Tx& tx, const OrderDeadline& deadline);
  std::optional<OrderDeadline> get_deadline(const OrderKey& key);
  /// Orders in one of `states` whose ship-by is at or before `by`, earliest first (the sweep's
  /// indexed range: what turns at risk or late).
  std::vector<OrderDeadline> ship_by_due(const std::vector<DeadlineState>& states, Instant by, int limit = 1000);
  /// Shipped orders with no pickup scan whose pickup is due at or before `by`, earliest first,
  /// from after `after` (the last row of the previous page; none: from the start).
  std::vector<OrderDeadline> pickups_due(Instant by, const std::optional<DeadlineCursor>& after = std::nullopt,
                                         int limit = 1000);
  /// Parcels picked up, not delivered, with no tracking event since `since` (their last one at or
  /// before it), quietest first, paged as pickups_due (S3, S9).
  std::vector<OrderDeadline> in_transit_quiet(Instant since, const std::optional<DeadlineCursor>& after = std::nullopt,
                                              int limit = 1000);
  /// How many orders stand in each state (for /metrics).
  std::vector<std::pair<DeadlineState, std::int64_t>> deadline_counts();

  /// Stores a report (its id is ignored) and returns its id. Throws std::out_of_range for an
  /// order that is not stored.
  std::int64_t add_deadline_report(Tx& tx, const DeadlineReport& report);
  /// The order's reports, oldest first.
  std::vector<DeadlineReport> deadline_reports(const OrderKey& key);

  /// Stores a tracking event and returns its id; the same (order, waybill, kind, at) again is not
  /// stored twice and returns the first one's id. Throws std::out_of_range for an unknown order.
  std::int64_t add_tracking_event(Tx& tx, const TrackingEvent& event);
  /// The order's tracking events, oldest `at` first.
  std::vector<TrackingEvent> tracking_events(const OrderKey& key);

  // --- after-sale timers (after_sale_rows.cpp) -----------------------------------------------
  /// Starts a timer (its id and ended_at are ignored) and returns its id; nothing when the line
  /// already has one running for the step (returns that one's id). Throws std::out_of_range for an
  /// unknown order.
  std::int64_t start_after_sale_timer(Tx& tx, const AfterSaleTimer& timer);
  /// Ends the line's running timer of `step`; false when none runs.
  bool end_after_sale_timer(Tx& tx, const OrderKey& key, const std::string& line_id, const std::string& step,
                            Instant now);
  /// The order's timers, running and ended, oldest first.
  std::vector<AfterSaleTimer> after_sale_timers(const OrderKey& key);
  /// The order's running timers only, oldest first (one index probe: the pipeline asks for every
  /// order version).
  std::vector<AfterSaleTimer> running_after_sale_timers(const OrderKey& key);
  /// Running timers the merchant owes that are due at or before `by`, earliest first, from after
  /// the timer `after_id` (0: from the start) in (due_at, id) order.
  std::vector<AfterSaleTimer> after_sale_due(Instant by, Instant after_due, std::int64_t after_id, int limit = 1000);

  // --- warehouse connector (warehouse_rows.cpp) -----------------------------------------------
  /// The code of the delivery `source` made, choosing the first free one of `candidates` for a new
  /// one and recording it with its lines. Throws std::runtime_error when every candidate is taken.
  std::string claim_delivery_code(const std::string& source, const OrderKey& key,
                                  const std::vector<std::string>& candidates, const std::vector<std::string>& line_ids,
                                  Instant now);
  std::optional<WarehouseDelivery> find_delivery(const std::string& code);
  /// The order's deliveries, oldest first.
  std::vector<WarehouseDelivery> deliveries_of(const OrderKey& key);
  /// Marks every delivery of the order cancelled (the warehouse stopped the whole order).
  void cancel_deliveries(Tx& tx, const OrderKey& key, Instant now);
  /// Records an inbound warehouse message as applied; false when it was applied before.
  bool record_warehouse_message(Tx& tx, const std::string& message_key, Instant now);
  /// Stores a reported stock change once per message key; false when it was stored before.
  bool add_stock_change(Tx& tx, const std::string& message_key, const StockChange& change);
  /// Stock changes of `item_code` (empty: every item) after id `after`, oldest first.
  std::vector<StockChange> stock_changes(const std::string& item_code, std::int64_t after, int limit);

  Counts counts();

 private:
  friend class Tx;
  explicit Store(std::unique_ptr<SQLite::Database> db);

  /// The cached prepared statement for `sql` (a string with static storage). Caller holds mutex_.
  SQLite::Statement& statement(const char* sql);
  std::optional<std::int64_t> find_order_row(const OrderKey& key);
  void remember_row(const OrderKey& key, std::int64_t row);
  std::int64_t require_order_row(const OrderKey& key);  ///< Throws std::out_of_range.
  std::optional<StoredOrder> load_order(const OrderKey& key);
  std::vector<Hold> load_holds(std::int64_t order_row, bool active_only);
  std::int64_t insert_event(std::int64_t order_row, const NewEvent& event, Instant now);
  /// Throws std::logic_error when `tx` belongs to another store or is already finished.
  void require_open(const Tx& tx) const;
  /// One page of a deadline walk (pickups_due, in_transit_quiet): `sql` binds ?1 the range's end,
  /// ?2 the limit, ?3 and ?4 the cursor's time and order row.
  std::vector<OrderDeadline> deadline_page(const char* sql, Instant by, const std::optional<DeadlineCursor>& after,
                                           int limit);

  std::unique_ptr<SQLite::Database> db_;
  FairRecursiveMutex mutex_;
  /// How many orders are stored, kept here because COUNT(*) reads every row: at a million orders
  /// each status call held mutex_, and so stopped every sync, for 50-125 ms (bench/README.md
  /// "TOP full sync"). Counted once at open; orders are never deleted (their events, which
  /// nothing may delete, reference them), so only inserts move it, once their transaction commits.
  std::int64_t stored_orders_ = 0;
  std::int64_t uncommitted_inserts_ = 0;  ///< Orders inserted by the open transaction.
  /// The row of the order looked up or stored last: ingest, the workflows and the release gate
  /// ask for the same order several times in one transaction, and a key lookup walks a text
  /// index. A row keeps its id for good (orders are never deleted); only a rolled-back insert
  /// takes one back, so a rollback forgets it (row 0: nothing remembered).
  OrderKey last_row_key_;
  std::int64_t last_row_ = 0;
  struct Statements;
  std::unique_ptr<Statements> statements_;  ///< Prepared statements, reused on the hot path.
};

}  // namespace erp::daemon::store
