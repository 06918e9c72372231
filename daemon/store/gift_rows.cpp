// 1-yuan reservation gifts (rules G1-G13): the reservations the gift workflow recognised, their
// links to repurchase (main) orders, and the pieces each merchant rule gave (G12 stock). Each row
// is the current state; what happened to an order and why is written to its event log by the gift
// service, not here.

#include <algorithm>
#include <array>
#include <stdexcept>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr std::array<std::pair<ReservationState, std::string_view>, 4> kReservationStates{{
    {ReservationState::waiting, "waiting"},
    {ReservationState::linked, "linked"},
    {ReservationState::shipped, "shipped"},
    {ReservationState::closed, "closed"},
}};

constexpr std::array<std::pair<GiftLinkState, std::string_view>, 4> kLinkStates{{
    {GiftLinkState::linked, "linked"},
    {GiftLinkState::main_shipped, "main_shipped"},
    {GiftLinkState::shipped, "shipped"},
    {GiftLinkState::dropped, "dropped"},
}};

// --- reservations ---

#define ERP_STORE_RESERVATION_SELECT                                                                   \
  "SELECT o.platform, o.shop, o.order_id, r.buyer_ref, r.paid_at, r.pieces, r.state, r.hold_id, "      \
  "r.recognised_by, r.created_at, r.updated_at, r.ended_at FROM gift_reservations r JOIN orders o ON " \
  "o.id = r.order_row "

// One statement stores a new reservation or rewrites the stored one in place (INSERT OR REPLACE
// would delete the row and insert another).
constexpr const char* kPutReservation =
    "INSERT INTO gift_reservations (order_row, buyer_ref, paid_at, pieces, state, hold_id, recognised_by, "
    "created_at, updated_at, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT (order_row) DO UPDATE SET buyer_ref = excluded.buyer_ref, paid_at = excluded.paid_at, "
    "pieces = excluded.pieces, state = excluded.state, hold_id = excluded.hold_id, "
    "recognised_by = excluded.recognised_by, created_at = excluded.created_at, updated_at = excluded.updated_at, "
    "ended_at = excluded.ended_at";

constexpr const char* kReservationOfOrder = ERP_STORE_RESERVATION_SELECT "WHERE r.order_row = ?1";

// G3: earliest paid first; a reservation without a payment time after every paid one; then by the
// platform's order id (as text) so equal payment times come out the same way every time. A buyer
// has a handful of reservations: gift_reservations_of_buyer finds them, sorting them is cheap.
constexpr const char* kReservationsOfBuyer = ERP_STORE_RESERVATION_SELECT
    "WHERE r.buyer_ref = ?3 AND r.state = ?4 AND o.platform = ?1 AND o.shop = ?2 "
    "ORDER BY r.paid_at IS NULL, r.paid_at, o.order_id";

// Optional filters as "empty means any"; ?3 is the wanted states as ",a,b,".
constexpr const char* kListReservations = ERP_STORE_RESERVATION_SELECT
    "WHERE (?1 = '' OR o.platform = ?1) AND (?2 = '' OR o.shop = ?2) "
    "AND (?3 = '' OR instr(?3, ',' || r.state || ',') > 0) ORDER BY r.created_at DESC, r.order_row DESC LIMIT ?4";

#undef ERP_STORE_RESERVATION_SELECT

GiftReservation read_reservation(const SQLite::Statement& s) {
  GiftReservation r;
  r.key = OrderKey{column_text(s, 0), column_text(s, 1), column_text(s, 2)};
  r.buyer_ref = column_text(s, 3);
  r.paid_at = column_optional_instant(s, 4);
  r.pieces = s.getColumn(5).getInt64();
  // The CHECK constraint admits only known names.
  r.state = reservation_state_from_string(column_text(s, 6)).value_or(ReservationState::waiting);
  if (!s.getColumn(7).isNull()) r.hold_id = s.getColumn(7).getInt64();
  r.recognised_by = column_text(s, 8);
  r.created_at = column_instant(s, 9);
  r.updated_at = column_instant(s, 10);
  r.ended_at = column_optional_instant(s, 11);
  return r;
}

std::vector<GiftReservation> read_reservations(SQLite::Statement& s) {
  std::vector<GiftReservation> out;
  while (s.executeStep()) out.push_back(read_reservation(s));
  return out;
}

// --- links ---

#define ERP_STORE_LINK_SELECT                                                                                     \
  "SELECT l.id, r.platform, r.shop, r.order_id, m.platform, m.shop, m.order_id, l.state, l.rule_id, l.source, "   \
  "l.pieces, l.waybill, l.carrier_code, l.main_shipped_at, l.waybill_tie, l.verify_by, l.outbox_id, "             \
  "l.created_at, l.updated_at, l.ended_at, l.detail FROM gift_links l JOIN orders r ON r.id = l.reservation_row " \
  "JOIN orders m ON m.id = l.main_row "

// The fields that change over a link's life are ?7 to ?16 in both statements, so one function
// binds them (bind_changing).
constexpr const char* kInsertLink =
    "INSERT INTO gift_links (reservation_row, main_row, rule_id, source, pieces, created_at, state, waybill, "
    "carrier_code, main_shipped_at, waybill_tie, verify_by, outbox_id, updated_at, ended_at, detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

constexpr const char* kUpdateLink =
    "UPDATE gift_links SET state = ?7, waybill = ?8, carrier_code = ?9, main_shipped_at = ?10, waybill_tie = ?11, "
    "verify_by = ?12, outbox_id = ?13, updated_at = ?14, ended_at = ?15, detail = ?16 WHERE id = ?1";

constexpr const char* kLinkById = ERP_STORE_LINK_SELECT "WHERE l.id = ?1";
// Spelled as the partial index gift_links_active is, so the planner can use it.
constexpr const char* kActiveLink = ERP_STORE_LINK_SELECT "WHERE l.reservation_row = ?1 AND l.state <> 'dropped'";
constexpr const char* kLinksOfMain =
    ERP_STORE_LINK_SELECT "WHERE l.main_row = ?1 AND (?2 OR l.state <> 'dropped') ORDER BY l.id";
constexpr const char* kLinksOfReservation = ERP_STORE_LINK_SELECT "WHERE l.reservation_row = ?1 ORDER BY l.id";
constexpr const char* kLinksDue =
    ERP_STORE_LINK_SELECT "WHERE l.state = 'main_shipped' AND l.verify_by <= ?1 ORDER BY l.verify_by, l.id LIMIT ?2";

#undef ERP_STORE_LINK_SELECT

GiftLink read_link(const SQLite::Statement& s) {
  GiftLink l;
  l.id = s.getColumn(0).getInt64();
  l.reservation = OrderKey{column_text(s, 1), column_text(s, 2), column_text(s, 3)};
  l.main = OrderKey{column_text(s, 4), column_text(s, 5), column_text(s, 6)};
  // The CHECK constraint admits only known names.
  l.state = gift_link_state_from_string(column_text(s, 7)).value_or(GiftLinkState::linked);
  l.rule_id = column_text(s, 8);
  l.source = column_text(s, 9);
  l.pieces = s.getColumn(10).getInt64();
  l.waybill = column_text(s, 11);
  l.carrier_code = column_text(s, 12);
  l.main_shipped_at = column_optional_instant(s, 13);
  l.waybill_tie = s.getColumn(14).getInt() != 0;
  l.verify_by = column_optional_instant(s, 15);
  if (!s.getColumn(16).isNull()) l.outbox_id = s.getColumn(16).getInt64();
  l.created_at = column_instant(s, 17);
  l.updated_at = column_instant(s, 18);
  l.ended_at = column_optional_instant(s, 19);
  l.detail = column_text(s, 20);
  return l;
}

std::vector<GiftLink> read_links(SQLite::Statement& s) {
  std::vector<GiftLink> out;
  while (s.executeStep()) out.push_back(read_link(s));
  return out;
}

void bind_changing(SQLite::Statement& s, const GiftLink& link) {
  s.bind(7, std::string(to_string(link.state)));
  s.bind(8, link.waybill);
  s.bind(9, link.carrier_code);
  bind_instant(s, 10, link.main_shipped_at);
  bind_bool(s, 11, link.waybill_tie);
  bind_instant(s, 12, link.verify_by);
  bind_optional_id(s, 13, link.outbox_id);
  bind_instant(s, 14, link.updated_at);
  bind_instant(s, 15, link.ended_at);
  s.bind(16, link.detail);
}

// --- rule usage ---

constexpr const char* kRuleUsed = "SELECT used FROM gift_rule_usage WHERE rule = ?1";

// Never below 0: giving back more than a rule gave would hand out stock it does not have.
constexpr const char* kAddRuleUse =
    "INSERT INTO gift_rule_usage (rule, used, updated_at) VALUES (?1, MAX(?2, 0), ?3) "
    "ON CONFLICT (rule) DO UPDATE SET used = MAX(used + ?2, 0), updated_at = excluded.updated_at";

}  // namespace

std::string_view to_string(ReservationState state) noexcept {
  for (const auto& [value, name] : kReservationStates) {
    if (value == state) return name;
  }
  return "waiting";
}

std::optional<ReservationState> reservation_state_from_string(std::string_view text) noexcept {
  for (const auto& [value, name] : kReservationStates) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view to_string(GiftLinkState state) noexcept {
  for (const auto& [value, name] : kLinkStates) {
    if (value == state) return name;
  }
  return "linked";
}

std::optional<GiftLinkState> gift_link_state_from_string(std::string_view text) noexcept {
  for (const auto& [value, name] : kLinkStates) {
    if (name == text) return value;
  }
  return std::nullopt;
}

// --- reservations ---

void Store::put_reservation(Tx& tx, const GiftReservation& reservation) {
  require_open(tx);
  const std::int64_t row = require_order_row(reservation.key);
  Use put(statement(kPutReservation));
  put->bind(1, row);
  put->bind(2, reservation.buyer_ref);
  bind_instant(*put, 3, reservation.paid_at);
  put->bind(4, reservation.pieces);
  put->bind(5, std::string(to_string(reservation.state)));
  bind_optional_id(*put, 6, reservation.hold_id);
  put->bind(7, reservation.recognised_by);
  bind_instant(*put, 8, reservation.created_at);
  bind_instant(*put, 9, reservation.updated_at);
  bind_instant(*put, 10, reservation.ended_at);
  put->exec();
}

std::optional<GiftReservation> Store::get_reservation(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return std::nullopt;
  Use select(statement(kReservationOfOrder));
  select->bind(1, *row);
  if (!select->executeStep()) return std::nullopt;
  return read_reservation(*select);
}

std::vector<GiftReservation> Store::reservations_of_buyer(const std::string& platform, const std::string& shop,
                                                          const std::string& buyer_ref, ReservationState state) {
  std::lock_guard lock(mutex_);
  Use select(statement(kReservationsOfBuyer));
  select->bind(1, platform);
  select->bind(2, shop);
  select->bind(3, buyer_ref);
  select->bind(4, std::string(to_string(state)));
  return read_reservations(*select);
}

std::vector<GiftReservation> Store::list_reservations(const ReservationFilter& filter) {
  std::string states;
  for (const auto state : filter.states) states += "," + std::string(to_string(state));
  if (!states.empty()) states += ",";
  std::lock_guard lock(mutex_);
  Use select(statement(kListReservations));
  select->bind(1, filter.platform);
  select->bind(2, filter.shop);
  select->bind(3, states);
  select->bind(4, std::clamp(filter.limit, 1, 1000));
  return read_reservations(*select);
}

// --- links ---

std::int64_t Store::add_gift_link(Tx& tx, const GiftLink& link) {
  require_open(tx);
  const std::int64_t reservation_row = require_order_row(link.reservation);
  const std::int64_t main_row = require_order_row(link.main);
  Use insert(statement(kInsertLink));
  insert->bind(1, reservation_row);
  insert->bind(2, main_row);
  insert->bind(3, link.rule_id);
  insert->bind(4, link.source);
  insert->bind(5, link.pieces);
  bind_instant(*insert, 6, link.created_at);
  bind_changing(*insert, link);
  insert->exec();
  return db_->getLastInsertRowid();
}

void Store::update_gift_link(Tx& tx, const GiftLink& link) {
  require_open(tx);
  Use update(statement(kUpdateLink));
  update->bind(1, link.id);
  bind_changing(*update, link);
  if (update->exec() == 0) throw std::out_of_range("gift link " + std::to_string(link.id) + " is not stored");
}

std::optional<GiftLink> Store::get_gift_link(std::int64_t id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kLinkById));
  select->bind(1, id);
  if (!select->executeStep()) return std::nullopt;
  return read_link(*select);
}

std::optional<GiftLink> Store::active_gift_link(const OrderKey& reservation) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(reservation);
  if (!row) return std::nullopt;
  Use select(statement(kActiveLink));
  select->bind(1, *row);
  if (!select->executeStep()) return std::nullopt;
  return read_link(*select);
}

std::vector<GiftLink> Store::gift_links_of_main(const OrderKey& main, bool with_dropped) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(main);
  if (!row) return {};
  Use select(statement(kLinksOfMain));
  select->bind(1, *row);
  bind_bool(*select, 2, with_dropped);
  return read_links(*select);
}

std::vector<GiftLink> Store::gift_links_of_reservation(const OrderKey& reservation) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(reservation);
  if (!row) return {};
  Use select(statement(kLinksOfReservation));
  select->bind(1, *row);
  return read_links(*select);
}

std::vector<GiftLink> Store::gift_links_due(Instant now, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kLinksDue));
  bind_instant(*select, 1, now);
  select->bind(2, std::max(limit, 1));
  return read_links(*select);
}

// --- rule usage ---

std::int64_t Store::gift_rule_used(const std::string& rule) {
  std::lock_guard lock(mutex_);
  Use select(statement(kRuleUsed));
  select->bind(1, rule);
  if (!select->executeStep()) return 0;
  return select->getColumn(0).getInt64();
}

void Store::add_gift_rule_use(Tx& tx, const std::string& rule, std::int64_t pieces, Instant now) {
  require_open(tx);
  Use add(statement(kAddRuleUse));
  add->bind(1, rule);
  add->bind(2, pieces);
  bind_instant(*add, 3, now);
  add->exec();
}

}  // namespace erp::daemon::store
