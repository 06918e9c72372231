#pragma once
// Rows the store hands out: stored orders, holds, order events, outbox items, quarantine entries.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/order_key.hpp"
#include "erp/model.hpp"

namespace erp::daemon::store {

using sdk::Instant;

/// Why an order may not go to the warehouse yet. Reason codes are stable strings:
/// MANUAL, RESERVATION (G1), TAG_WINDOW (G2), INTERCEPT (I4), DROPSHIP (D4), ...
struct Hold {
  std::int64_t id = 0;
  OrderKey key;
  std::string reason_code;
  std::string owner;    ///< Who placed it: "operator:<name>", "workflow:gift", ...
  std::string rule_id;  ///< DOMAIN.md rule id, empty for manual holds.
  std::string note;     ///< Free text for people.
  Instant created_at{};
  std::optional<Instant> auto_release_at;
  std::optional<Instant> released_at;  ///< Set once released; released holds stay as history.
  std::string released_by;
  std::string release_reason;
};

struct NewHold {
  std::string reason_code;
  std::string owner;
  std::string rule_id;
  std::string note;
  std::optional<Instant> auto_release_at;
};

/// One entry of the append-only order event log: every state change with its reason and rule id.
struct Event {
  std::int64_t id = 0;  ///< The event's place in its order's history: 1, 2, 3 ...
  OrderKey key;
  Instant at{};
  std::string kind;     ///< "order.received", "order.updated", "hold.added", "hold.released", "order.released", ...
  std::string reason;   ///< Short explanation in words.
  std::string rule_id;  ///< DOMAIN.md rule id when a rule decided it.
  std::string actor;    ///< "platform", "operator:<name>", "workflow:gift", "daemon" ...
  nlohmann::json detail = nlohmann::json::object();
};

struct NewEvent {
  std::string kind;
  std::string reason;
  std::string rule_id;
  std::string actor;
  nlohmann::json detail = nlohmann::json::object();
};

/// An order as the daemon knows it: the platform's facts plus the daemon's own state.
struct StoredOrder {
  sdk::Order order;
  bool released = false;  ///< Handed to the warehouse (the release gate opened).
  std::optional<Instant> released_at;
  bool urgent = false;      ///< Released late in its deadline (issue 8 sets it).
  Instant stored_at{};      ///< First time the daemon stored it.
  Instant updated_at{};     ///< Last time the daemon changed it.
  std::vector<Hold> holds;  ///< Active holds only.
};

enum class OutboxState { pending, in_flight, done, dead };

/// A side effect on the outside world, written in the same transaction as the decision that
/// wants it, and executed exactly once by the dispatcher (retried with the same idempotency key).
struct OutboxItem {
  std::int64_t id = 0;
  std::string idempotency_key;  ///< Unique; enqueueing an existing key is a no-op.
  std::string kind;             ///< "warehouse.deliver", "platform.memo", "platform.ship", ...
  std::string target;           ///< Shop id or "warehouse".
  std::optional<OrderKey> key;  ///< The order it concerns, if any.
  nlohmann::json payload = nlohmann::json::object();
  OutboxState state = OutboxState::pending;
  int attempts = 0;
  Instant next_attempt_at{};
  std::string last_error;
  Instant created_at{};
  Instant updated_at{};
};

struct NewOutboxItem {
  std::string idempotency_key;
  std::string kind;
  std::string target;
  std::optional<OrderKey> key;
  nlohmann::json payload = nlohmann::json::object();
};

/// A platform payload that could not be parsed, kept with the reason (never silently dropped).
struct QuarantineEntry {
  std::int64_t id = 0;
  std::string platform;
  std::string shop;
  std::string order_id;  ///< Empty when not even the id could be read.
  std::string reason;
  std::string payload;
  Instant received_at{};
};

/// Where one intercept request stands (rules I4-I8). See InterceptService for the transitions.
enum class InterceptState {
  locked,              ///< Stopped: held by the daemon (INTERCEPT hold) or confirmed by the warehouse.
  awaiting_warehouse,  ///< Already released; the warehouse was asked to lock and has not answered.
  memo_only,           ///< The shop's orders bypass the daemon (I8): memo written, nothing locked.
  too_late,            ///< Something had already shipped (I4).
  cancelled,           ///< The buyer changed their mind (I6).
  unlocked,            ///< No refund request by the unlock time (I7): released for shipping.
  resolved,            ///< The refund completed, or the order closed, for every intercepted line.
};

/// One intercept request and its current state; its history is in the order's event log.
struct Intercept {
  std::int64_t id = 0;
  OrderKey key;
  std::vector<std::string> line_ids;  ///< Empty: the whole order (rule I2).
  InterceptState state = InterceptState::locked;
  std::string source;        ///< "api", "memo" (the memo text appeared on the platform), "refund".
  std::string requested_by;  ///< "operator:<name>", "platform", ...
  std::string reason;        ///< Free text for people.
  std::string memo_text;     ///< The shop's intercept memo text when requested.
  std::optional<std::int64_t> hold_id;  ///< The INTERCEPT hold while the daemon holds the order.
  bool warehouse_asked = false;         ///< The warehouse was asked to lock (so it must hear of an unlock).
  bool was_locked = false;              ///< Reached `locked` at some point: the intercept worked.
  /// The daemon's own time its memo write went through (the text is ours to take off again);
  /// for an intercept the memo started, the platform time of that version.
  std::optional<Instant> memo_written_at;
  /// The platform's modified time of the first stored version showing the text. Only a later
  /// version (or one of the same second: platforms stamp whole seconds) without it is the
  /// buyer's change of mind (I6).
  std::optional<Instant> memo_seen_at;
  Instant requested_at{};
  std::optional<Instant> decided_at;  ///< Locked, too late or memo only.
  std::optional<Instant> ended_at;    ///< No longer open.
  Instant updated_at{};
  std::string detail;  ///< The latest outcome in words.
};

/// Which intercepts list_intercepts() returns, newest first.
struct InterceptFilter {
  std::vector<InterceptState> states;  ///< Empty: any.
  std::string platform;                ///< Empty: any.
  std::string shop;                    ///< Empty: any.
  std::optional<Instant> requested_before;
  int limit = 100;  ///< Clamped to 1..1000.
};

/// Where a 1-yuan reservation order stands (rules G1-G13). See GiftService for the transitions.
enum class ReservationState {
  waiting,  ///< Held (RESERVATION hold, G1), no repurchase linked.
  linked,   ///< Its gift line rides on a repurchase that has not shipped yet (G4).
  shipped,  ///< Marked shipped with the repurchase's waybill (G5).
  closed,   ///< Refunded or closed without a gift owed (G11).
};

/// A reservation order the gift workflow recognised (G1).
struct GiftReservation {
  OrderKey key;
  std::string buyer_ref;  ///< The buyer's opaque id, to find their reservations (G3, G12).
  std::optional<Instant> paid_at;  ///< G3 orders a buyer's reservations by it.
  std::int64_t pieces = 0;         ///< Units bought (one shipment whatever it is, G9).
  ReservationState state = ReservationState::waiting;
  std::optional<std::int64_t> hold_id;  ///< The RESERVATION hold while it stands.
  std::string recognised_by;  ///< "sku", "price" or "tag" (named by a repurchase's tag).
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> ended_at;  ///< Shipped or closed.
};

/// Where one reservation's link to a repurchase (main) order stands.
enum class GiftLinkState {
  linked,        ///< The gift line is on the main order; the main has not shipped in full (G4).
  main_shipped,  ///< The main shipped in full: the platform is to mark the reservation shipped (G5),
                 ///< or the daemon's upload is owed (G12).
  shipped,       ///< The reservation shows shipped on the platform (or the daemon's upload went through).
  dropped,       ///< Removed: a refund or closure (G11), or moved to an earlier repurchase (G7).
};

/// One reservation linked to one repurchase. A reservation has at most one link not dropped.
struct GiftLink {
  std::int64_t id = 0;
  OrderKey reservation;
  OrderKey main;
  GiftLinkState state = GiftLinkState::linked;
  std::string rule_id;  ///< "G2" (the platform's tag) or "G12" (a merchant rule).
  std::string source;   ///< "tag", or "rule:<name>" for a merchant rule.
  std::int64_t pieces = 0;  ///< Gift units on the main order's gift line.
  /// G5-G8: the waybill the reservation ships with: that of the main's line that shipped last.
  std::string waybill;
  std::string carrier_code;
  std::optional<Instant> main_shipped_at;  ///< When the main's last line shipped.
  bool waybill_tie = false;  ///< G6: several lines shipped last at once; the smallest waybill won.
  std::optional<Instant> verify_by;  ///< Platform mode: alert if not shipped by then (G5).
  std::optional<std::int64_t> outbox_id;  ///< Merchant mode: the upload of the reservation's waybill.
  Instant created_at{};
  Instant updated_at{};
  std::optional<Instant> ended_at;  ///< Shipped or dropped.
  std::string detail;  ///< The latest outcome in words.
};

/// Which reservations list_reservations() returns, newest first.
struct ReservationFilter {
  std::vector<ReservationState> states;  ///< Empty: any.
  std::string platform;                  ///< Empty: any.
  std::string shop;                      ///< Empty: any.
  int limit = 100;                       ///< Clamped to 1..1000.
};

/// Something a person must look at, raised by a workflow and cleared when it no longer holds.
/// At most one alert per (kind, subject) is open.
struct Alert {
  std::int64_t id = 0;
  std::string kind;     ///< "gift.not_shipped", "gift.stock_exhausted", "gift.tag_late" ...
  std::string subject;  ///< What it is about: an order key ("tmall/tm-1/123"), a rule name ...
  std::optional<OrderKey> key;  ///< The order it concerns, if any.
  std::string rule_id;
  std::string message;  ///< For people; never receiver data.
  nlohmann::json detail = nlohmann::json::object();
  Instant raised_at{};
  std::optional<Instant> cleared_at;
};

struct NewAlert {
  std::string kind;
  std::string subject;
  /// Must be a stored order (raise_alert throws std::out_of_range otherwise); name an order the
  /// store does not have in `subject` and leave this empty.
  std::optional<OrderKey> key;
  std::string rule_id;
  std::string message;
  /// A null detail (what `{}` makes in a NewAlert's braces) is stored as the empty object.
  nlohmann::json detail = nlohmann::json::object();
};

// --- dropship (rules D1-D11) ---------------------------------------------------------------

/// A binding between a merchant's shop and a factory (rule D2): requested by the merchant,
/// confirmed by the factory (or seen bound on the platform), ended by either side.
enum class BindingState { requested, bound, unbound };

struct DropshipBinding {
  std::int64_t id = 0;
  std::string platform;  ///< The merchant's shop.
  std::string shop;
  std::string factory;  ///< The factory's id in the daemon's config.
  BindingState state = BindingState::requested;
  Instant requested_at{};
  std::optional<Instant> bound_at;  ///< D3: only orders created after it enter dropship.
  std::optional<Instant> ended_at;
  std::string ended_by;  ///< "merchant", "factory" or "platform" once unbound.
  std::string detail;    ///< The latest outcome in words.
};

struct BindingFilter {
  std::string platform;  ///< Empty: any.
  std::string shop;      ///< Empty: any.
  std::string factory;   ///< Empty: any.
  std::vector<BindingState> states;  ///< Empty: any.
  int limit = 200;                   ///< Clamped to 1..1000.
};

/// Which party's view a dropship line is: the merchant's assignment of its own order line, or a
/// factory shop's item assigned to it by a merchant on the platform (the daemon runs that shop).
enum class DropshipSide { merchant, factory };

/// Where one assigned line stands.
enum class DropshipLineState {
  assigning,   ///< Decided; the platform's assignment (outbox) has not gone through yet.
  assigned,    ///< The factory is to ship it (D4, D5).
  shipped,     ///< Shipped, by the factory or the merchant (D7): exactly once.
  unassigned,  ///< Taken back by the merchant, or the binding ended before it shipped.
  refused,     ///< The platform refused the assignment (detail says why).
};

/// One line assigned to one factory. At most one line per (side, shop, order, line) is live
/// (assigning, assigned or shipped); ended ones stay as history.
struct DropshipLine {
  std::int64_t id = 0;
  DropshipSide side = DropshipSide::merchant;
  std::string platform;
  std::string shop;      ///< Merchant side: the merchant's shop; factory side: the factory's shop.
  std::string order_id;  ///< The merchant's order (factory side: once the platform names it).
  std::string line_id;   ///< The merchant's line; may be empty on the factory side.
  std::string factory;   ///< The factory's id in the daemon's config.
  std::int64_t binding_id = 0;  ///< Merchant side: the binding it was assigned under; 0 otherwise.
  DropshipLineState state = DropshipLineState::assigning;
  std::string rule_id;  ///< "D4" for an assignment; the rule that last moved it otherwise.
  std::string source;   ///< "manual", "rule:<name>" or "platform".
  std::string distr_order_id;    ///< The platform's id of the assignment, when it has a channel.
  std::string merchant_shop_id;  ///< Factory side: the platform shop that assigned it.
  // What to ship: as the platform described it (factory side), or copied from the order line at
  // assignment (merchant side), so a factory's listing reads no orders.
  std::string sku;
  std::string outer_sku;
  std::string title;
  std::int64_t quantity = 0;
  std::string receiver_cipher;  ///< Factory side: the platform's ciphertext (D10), never plaintext.
  std::string province;
  std::string city;
  std::string district;
  bool buyer_cancelled = false;  ///< D8: stays assigned, but may not ship.
  std::string cancel_reason;
  std::string waybill;
  std::string carrier;
  std::string shipped_by;  ///< "factory", "merchant" or "platform".
  std::optional<Instant> shipped_at;
  std::optional<std::int64_t> outbox_id;  ///< The latest platform side effect for it.
  Instant assigned_at{};
  Instant updated_at{};
  std::optional<Instant> ended_at;
  std::string detail;
};

struct DropshipLineFilter {
  std::optional<DropshipSide> side;
  std::string factory;   ///< Empty: any. The factory API always sets it (a token sees its own lines).
  std::string platform;  ///< Empty: any.
  std::string shop;      ///< Empty: any.
  std::string order_id;  ///< Empty: any.
  std::vector<DropshipLineState> states;  ///< Empty: any.
  std::int64_t after_id = 0;  ///< Paging: lines with a larger id, oldest first.
  int limit = 200;            ///< Clamped to 1..1000.
};

/// One time a factory was handed a receiver in plaintext (D10): the audit trail. The plaintext
/// itself is never stored.
struct ReceiverAccess {
  std::int64_t id = 0;
  std::string factory;
  std::int64_t dropship_line = 0;
  std::string platform;
  std::string shop;
  std::string order_id;
  std::string outcome;  ///< "decrypted", or why not.
  Instant at{};
};

std::string_view to_string(BindingState state) noexcept;
std::optional<BindingState> binding_state_from_string(std::string_view text) noexcept;
std::string_view to_string(DropshipSide side) noexcept;
std::optional<DropshipSide> dropship_side_from_string(std::string_view text) noexcept;
std::string_view to_string(DropshipLineState state) noexcept;
std::optional<DropshipLineState> dropship_line_state_from_string(std::string_view text) noexcept;

// --- deadlines (rules S1-S13) ---------------------------------------------------------------

/// Where an order stands against its ship-by deadline.
enum class DeadlineState {
  open,     ///< Not shipped; the ship-by is ahead and not near.
  at_risk,  ///< Not shipped and the ship-by is within workflows.deadlines.at_risk_before.
  late,     ///< Not shipped by its ship-by.
  shipped,  ///< The waybill went to the platform (the pickup clock, S2, runs from then).
  exempt,   ///< No ship-by applies (virtual goods S1, a reservation order G1, closed).
  waived,   ///< An approved report waived it (S4).
};

/// An order's deadlines as the deadline engine last computed them.
struct OrderDeadline {
  OrderKey key;
  std::optional<Instant> ship_by;
  std::string rule_id;  ///< What decided ship_by: "S1", "S5", "S7", "S4" (a report moved it) ...
  std::string window;   ///< The holiday calendar's id when one decided.
  std::string reason;   ///< In words.
  DeadlineState state = DeadlineState::open;
  std::optional<Instant> shipped_at;  ///< The waybill upload: the pickup clock starts (S2).
  std::optional<Instant> pickup_due;  ///< S2 / S11.
  std::string pickup_rule;
  std::optional<Instant> picked_up_at;      ///< First pickup scan.
  std::optional<Instant> first_hub_at;      ///< First sorting centre reached or left (S3).
  std::optional<Instant> last_tracking_at;  ///< Latest tracking event of any kind (S9 stalls).
  std::optional<Instant> delivered_at;      ///< Delivered: the parcel is no longer watched.
  Instant updated_at{};  ///< When the deadline last changed.
  friend bool operator==(const OrderDeadline&, const OrderDeadline&) = default;
};

/// Where a paged walk over deadlines stopped: the last row's time in the walk's order and its order.
struct DeadlineCursor {
  Instant at{};
  OrderKey key;
};

/// An after-sale step's response timer (rule S10): started when the step began (a refund requested
/// on a shipped line, a return agreed, a returned parcel received ...) inside a holiday notice's
/// after-sale window, due after the days the notice gives that step.
struct AfterSaleTimer {
  std::int64_t id = 0;
  OrderKey key;
  std::string line_id;
  std::string step;     ///< One of deadline::kAfterSaleSteps.
  Instant started_at{};
  Instant due_at{};
  std::string rule_id;  ///< "S10".
  std::string window;   ///< The holiday notice whose days apply.
  bool merchant_owes = false;  ///< The merchant must act by due_at (else the buyer must).
  std::optional<Instant> ended_at;  ///< The step was answered (or the request ended).
};

/// A force-majeure, abnormal-address or buyer-delay report (rule S4): once approved it waives the
/// ship-by or moves it.
struct DeadlineReport {
  std::int64_t id = 0;
  OrderKey key;
  std::string kind;    ///< "force_majeure", "address" or "buyer_delay".
  std::string action;  ///< "waive" or "move".
  std::optional<Instant> new_ship_by;  ///< For "move".
  std::string note;
  std::string by;
  Instant created_at{};
};

/// One tracking event of an order's parcel, from the platform, the warehouse or a carrier feed.
struct TrackingEvent {
  std::int64_t id = 0;
  OrderKey key;
  std::string waybill;
  std::string kind;    ///< "pickup", "hub_arrival", "hub_departure", "transit", "delivered".
  Instant at{};
  std::string source;  ///< "platform", "warehouse", "carrier:<name>".
  Instant received_at{};
};

/// One delivery a warehouse knows by its code (a Qimen deliveryOrderCode).
struct WarehouseDelivery {
  std::string code;
  std::string source;  ///< The outbox item that made it (its idempotency key).
  OrderKey key;
  std::vector<std::string> line_ids;  ///< The platform lines it carried (gift lines not included).
  bool cancelled = false;             ///< The warehouse cancelled it at our request (a lock).
  Instant created_at{};
};

/// One stock movement a warehouse reported.
struct StockChange {
  std::int64_t id = 0;
  std::string warehouse_code;
  std::string item_code;
  std::int64_t quantity = 0;  ///< Signed.
  std::string delivery_code;  ///< The document it belongs to, when the warehouse says.
  std::string status;         ///< The warehouse's own word for the movement, verbatim.
  std::optional<Instant> changed_at;
  Instant received_at{};
};

std::string_view to_string(DeadlineState state) noexcept;
std::optional<DeadlineState> deadline_state_from_string(std::string_view text) noexcept;

std::string_view to_string(OutboxState state) noexcept;
std::optional<OutboxState> outbox_state_from_string(std::string_view text) noexcept;
std::string_view to_string(InterceptState state) noexcept;
std::optional<InterceptState> intercept_state_from_string(std::string_view text) noexcept;
/// Locked, awaiting the warehouse or memo only: the request still stands.
bool is_open(InterceptState state) noexcept;
std::string_view to_string(ReservationState state) noexcept;
std::optional<ReservationState> reservation_state_from_string(std::string_view text) noexcept;
std::string_view to_string(GiftLinkState state) noexcept;
std::optional<GiftLinkState> gift_link_state_from_string(std::string_view text) noexcept;

}  // namespace erp::daemon::store
