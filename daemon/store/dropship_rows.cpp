// Dropship (rules D1-D11): each shop's identity, its bindings with factories, the lines assigned to
// factories (from the merchant's side and from a factory shop's side) and the audit of receiver
// hand-outs. Each row is the current state; what happened to an order and why is written to its
// event log by the dropship service, not here. Policy (D1's fixed identity, D3's binding time, D7's
// ship-once) is the service's job too: the store only keeps the unique rows the rules rely on.

#include <algorithm>
#include <array>
#include <stdexcept>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr std::array<std::pair<BindingState, std::string_view>, 3> kBindingStates{{
    {BindingState::requested, "requested"},
    {BindingState::bound, "bound"},
    {BindingState::unbound, "unbound"},
}};

constexpr std::array<std::pair<DropshipSide, std::string_view>, 2> kSides{{
    {DropshipSide::merchant, "merchant"},
    {DropshipSide::factory, "factory"},
}};

constexpr std::array<std::pair<DropshipLineState, std::string_view>, 5> kLineStates{{
    {DropshipLineState::assigning, "assigning"},
    {DropshipLineState::assigned, "assigned"},
    {DropshipLineState::shipped, "shipped"},
    {DropshipLineState::unassigned, "unassigned"},
    {DropshipLineState::refused, "refused"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) noexcept {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return names[0].second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                             std::string_view text) noexcept {
  for (const auto& [v, name] : names) {
    if (name == text) return v;
  }
  return std::nullopt;
}

/// The wanted states as ",a,b," for an instr() test; empty for any.
template <typename Enum>
std::string state_list(const std::vector<Enum>& states) {
  std::string out;
  for (const auto state : states) out += "," + std::string(to_string(state));
  if (!out.empty()) out += ",";
  return out;
}

int clamp_limit(int limit) { return std::clamp(limit, 1, 1000); }

// --- roles ---

constexpr const char* kRole = "SELECT role FROM dropship_roles WHERE platform = ?1 AND shop = ?2";
constexpr const char* kSetRole =
    "INSERT INTO dropship_roles (platform, shop, role, set_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (platform, shop) DO UPDATE SET role = excluded.role, set_at = excluded.set_at";

// --- bindings ---

#define ERP_STORE_BINDING_SELECT                                                                        \
  "SELECT id, platform, shop, factory, state, requested_at, bound_at, ended_at, ended_by, detail FROM " \
  "dropship_bindings "

// The fields that change over a binding's life are ?5 to ?9 in both statements (bind_changing).
constexpr const char* kInsertBinding =
    "INSERT INTO dropship_bindings (platform, shop, factory, requested_at, state, bound_at, ended_at, ended_by, "
    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr const char* kUpdateBinding =
    "UPDATE dropship_bindings SET state = ?5, bound_at = ?6, ended_at = ?7, ended_by = ?8, detail = ?9 WHERE id = ?1";

constexpr const char* kBindingById = ERP_STORE_BINDING_SELECT "WHERE id = ?1";
// Spelled as the partial index dropship_bindings_open is, so the planner can use it.
constexpr const char* kOpenBinding =
    ERP_STORE_BINDING_SELECT "WHERE platform = ?1 AND shop = ?2 AND factory = ?3 AND state <> 'unbound'";
// Optional filters as "empty means any"; ?4 is the wanted states as ",a,b,". Bindings are few.
constexpr const char* kListBindings = ERP_STORE_BINDING_SELECT
    "WHERE (?1 = '' OR platform = ?1) AND (?2 = '' OR shop = ?2) AND (?3 = '' OR factory = ?3) "
    "AND (?4 = '' OR instr(?4, ',' || state || ',') > 0) ORDER BY id DESC LIMIT ?5";
// D1: a merchant shop requested a binding (any state, ended ones too); a factory shop received
// one when merchants assigned items to it (its factory-side lines), since nothing else of a
// factory shop's bindings reaches the store.
constexpr const char* kAnyBinding =
    "SELECT EXISTS (SELECT 1 FROM dropship_bindings WHERE platform = ?1 AND shop = ?2) OR "
    "EXISTS (SELECT 1 FROM dropship_lines WHERE platform = ?1 AND shop = ?2 AND side = 'factory')";

#undef ERP_STORE_BINDING_SELECT

DropshipBinding read_binding(const SQLite::Statement& s) {
  DropshipBinding b;
  b.id = s.getColumn(0).getInt64();
  b.platform = column_text(s, 1);
  b.shop = column_text(s, 2);
  b.factory = column_text(s, 3);
  // The CHECK constraint admits only known names.
  b.state = binding_state_from_string(column_text(s, 4)).value_or(BindingState::requested);
  b.requested_at = column_instant(s, 5);
  b.bound_at = column_optional_instant(s, 6);
  b.ended_at = column_optional_instant(s, 7);
  b.ended_by = column_text(s, 8);
  b.detail = column_text(s, 9);
  return b;
}

std::vector<DropshipBinding> read_bindings(SQLite::Statement& s) {
  std::vector<DropshipBinding> out;
  while (s.executeStep()) out.push_back(read_binding(s));
  return out;
}

void bind_changing(SQLite::Statement& s, const DropshipBinding& binding) {
  s.bind(5, std::string(to_string(binding.state)));
  bind_instant(s, 6, binding.bound_at);
  bind_instant(s, 7, binding.ended_at);
  s.bind(8, binding.ended_by);
  s.bind(9, binding.detail);
}

// --- lines ---

#define ERP_STORE_LINE_COLUMNS                                                                                  \
  "id, side, platform, shop, assigned_at, order_id, line_id, factory, binding_id, state, rule_id, source, "     \
  "distr_order_id, merchant_shop_id, sku, outer_sku, title, quantity, receiver_cipher, province, city, "        \
  "district, buyer_cancelled, cancel_reason, waybill, carrier, shipped_by, shipped_at, outbox_id, updated_at, " \
  "ended_at, detail"
#define ERP_STORE_LINE_SELECT "SELECT " ERP_STORE_LINE_COLUMNS " FROM dropship_lines "

// The fixed fields are ?1 to ?4 of the insert; the fields update_dropship_line writes are ?5 to
// ?31 in both statements (bind_changing), in the order of ERP_STORE_LINE_COLUMNS.
constexpr const char* kInsertLine =
    "INSERT INTO dropship_lines (side, platform, shop, assigned_at, order_id, line_id, factory, binding_id, state, "
    "rule_id, source, distr_order_id, merchant_shop_id, sku, outer_sku, title, quantity, receiver_cipher, province, "
    "city, district, buyer_cancelled, cancel_reason, waybill, carrier, shipped_by, shipped_at, outbox_id, "
    "updated_at, ended_at, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
    "?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)";
constexpr const char* kUpdateLine =
    "UPDATE dropship_lines SET order_id = ?5, line_id = ?6, factory = ?7, binding_id = ?8, state = ?9, "
    "rule_id = ?10, source = ?11, distr_order_id = ?12, merchant_shop_id = ?13, sku = ?14, outer_sku = ?15, "
    "title = ?16, quantity = ?17, receiver_cipher = ?18, province = ?19, city = ?20, district = ?21, "
    "buyer_cancelled = ?22, cancel_reason = ?23, waybill = ?24, carrier = ?25, shipped_by = ?26, shipped_at = ?27, "
    "outbox_id = ?28, updated_at = ?29, ended_at = ?30, detail = ?31 WHERE id = ?1";

constexpr const char* kLineById = ERP_STORE_LINE_SELECT "WHERE id = ?1";
// Spelled as the partial index dropship_lines_live is, so the planner can use it.
constexpr const char* kLiveLine = ERP_STORE_LINE_SELECT
    "WHERE platform = ?1 AND shop = ?2 AND order_id = ?3 AND line_id = ?4 "
    "AND side = 'merchant' AND (state = 'assigning' OR state = 'assigned' OR state = 'shipped')";
// The empty-id test is the partial index dropship_lines_by_distr's own, so the planner can use it.
constexpr const char* kLineByDistr = ERP_STORE_LINE_SELECT
    "WHERE side = ?1 AND platform = ?2 AND shop = ?3 AND distr_order_id = ?4 AND distr_order_id <> ''";
constexpr const char* kLinesOfOrder =
    ERP_STORE_LINE_SELECT "WHERE platform = ?1 AND shop = ?2 AND order_id = ?3 AND side = 'merchant' ORDER BY id";

/// The listing's SQL with only the filters that are set, so the planner can walk
/// dropship_lines_of_factory (the factory API always names its factory) or dropship_lines_of_order
/// instead of the whole table. Parameters: ?1 after_id, ?2 side, ?3 factory, ?4 platform, ?5 shop,
/// ?6 order id, ?7 the states as ",a,b,", ?8 the limit. Not a hot path: built per call.
std::string line_list_sql(const DropshipLineFilter& filter) {
  std::string sql = ERP_STORE_LINE_SELECT "WHERE id > ?1";
  if (filter.side) sql += " AND side = ?2";
  if (!filter.factory.empty()) sql += " AND factory = ?3";
  if (!filter.platform.empty()) sql += " AND platform = ?4";
  if (!filter.shop.empty()) sql += " AND shop = ?5";
  if (!filter.order_id.empty()) sql += " AND order_id = ?6";
  if (!filter.states.empty()) sql += " AND instr(?7, ',' || state || ',') > 0";
  sql += " ORDER BY id LIMIT ?8";
  return sql;
}

#undef ERP_STORE_LINE_SELECT
#undef ERP_STORE_LINE_COLUMNS

DropshipLine read_line(const SQLite::Statement& s) {
  DropshipLine l;
  l.id = s.getColumn(0).getInt64();
  // The CHECK constraints admit only known names.
  l.side = dropship_side_from_string(column_text(s, 1)).value_or(DropshipSide::merchant);
  l.platform = column_text(s, 2);
  l.shop = column_text(s, 3);
  l.assigned_at = column_instant(s, 4);
  l.order_id = column_text(s, 5);
  l.line_id = column_text(s, 6);
  l.factory = column_text(s, 7);
  l.binding_id = s.getColumn(8).getInt64();
  l.state = dropship_line_state_from_string(column_text(s, 9)).value_or(DropshipLineState::assigning);
  l.rule_id = column_text(s, 10);
  l.source = column_text(s, 11);
  l.distr_order_id = column_text(s, 12);
  l.merchant_shop_id = column_text(s, 13);
  l.sku = column_text(s, 14);
  l.outer_sku = column_text(s, 15);
  l.title = column_text(s, 16);
  l.quantity = s.getColumn(17).getInt64();
  l.receiver_cipher = column_text(s, 18);
  l.province = column_text(s, 19);
  l.city = column_text(s, 20);
  l.district = column_text(s, 21);
  l.buyer_cancelled = s.getColumn(22).getInt() != 0;
  l.cancel_reason = column_text(s, 23);
  l.waybill = column_text(s, 24);
  l.carrier = column_text(s, 25);
  l.shipped_by = column_text(s, 26);
  l.shipped_at = column_optional_instant(s, 27);
  if (!s.getColumn(28).isNull()) l.outbox_id = s.getColumn(28).getInt64();
  l.updated_at = column_instant(s, 29);
  l.ended_at = column_optional_instant(s, 30);
  l.detail = column_text(s, 31);
  return l;
}

std::vector<DropshipLine> read_lines(SQLite::Statement& s) {
  std::vector<DropshipLine> out;
  while (s.executeStep()) out.push_back(read_line(s));
  return out;
}

void bind_changing(SQLite::Statement& s, const DropshipLine& line) {
  s.bind(5, line.order_id);
  s.bind(6, line.line_id);
  s.bind(7, line.factory);
  s.bind(8, line.binding_id);
  s.bind(9, std::string(to_string(line.state)));
  s.bind(10, line.rule_id);
  s.bind(11, line.source);
  s.bind(12, line.distr_order_id);
  s.bind(13, line.merchant_shop_id);
  s.bind(14, line.sku);
  s.bind(15, line.outer_sku);
  s.bind(16, line.title);
  s.bind(17, line.quantity);
  s.bind(18, line.receiver_cipher);
  s.bind(19, line.province);
  s.bind(20, line.city);
  s.bind(21, line.district);
  bind_bool(s, 22, line.buyer_cancelled);
  s.bind(23, line.cancel_reason);
  s.bind(24, line.waybill);
  s.bind(25, line.carrier);
  s.bind(26, line.shipped_by);
  bind_instant(s, 27, line.shipped_at);
  bind_optional_id(s, 28, line.outbox_id);
  bind_instant(s, 29, line.updated_at);
  bind_instant(s, 30, line.ended_at);
  s.bind(31, line.detail);
}

// --- receiver access audit (D10) ---

constexpr const char* kLogAccess =
    "INSERT INTO receiver_access_log (factory, dropship_line, platform, shop, order_id, outcome, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
#define ERP_STORE_ACCESS_SELECT \
  "SELECT id, factory, dropship_line, platform, shop, order_id, outcome, at FROM receiver_access_log "
// Two statements rather than "?1 = '' OR factory = ?1", so one factory's entries are read through
// receiver_access_log_of_factory instead of the whole log.
constexpr const char* kAccessesOfFactory = ERP_STORE_ACCESS_SELECT "WHERE factory = ?1 ORDER BY id DESC LIMIT ?2";
constexpr const char* kAllAccesses = ERP_STORE_ACCESS_SELECT "ORDER BY id DESC LIMIT ?1";
#undef ERP_STORE_ACCESS_SELECT

ReceiverAccess read_access(const SQLite::Statement& s) {
  ReceiverAccess a;
  a.id = s.getColumn(0).getInt64();
  a.factory = column_text(s, 1);
  a.dropship_line = s.getColumn(2).getInt64();
  a.platform = column_text(s, 3);
  a.shop = column_text(s, 4);
  a.order_id = column_text(s, 5);
  a.outcome = column_text(s, 6);
  a.at = column_instant(s, 7);
  return a;
}

}  // namespace

std::string_view to_string(BindingState state) noexcept { return name_of(kBindingStates, state); }

std::optional<BindingState> binding_state_from_string(std::string_view text) noexcept {
  return value_of(kBindingStates, text);
}

std::string_view to_string(DropshipSide side) noexcept { return name_of(kSides, side); }

std::optional<DropshipSide> dropship_side_from_string(std::string_view text) noexcept { return value_of(kSides, text); }

std::string_view to_string(DropshipLineState state) noexcept { return name_of(kLineStates, state); }

std::optional<DropshipLineState> dropship_line_state_from_string(std::string_view text) noexcept {
  return value_of(kLineStates, text);
}

// --- roles ---

std::optional<std::string> Store::dropship_role(const std::string& platform, const std::string& shop) {
  std::lock_guard lock(mutex_);
  Use select(statement(kRole));
  select->bind(1, platform);
  select->bind(2, shop);
  if (!select->executeStep()) return std::nullopt;
  return column_text(*select, 0);
}

// A role other than merchant or factory is refused by the table's CHECK (SQLite::Exception).
void Store::set_dropship_role(Tx& tx, const std::string& platform, const std::string& shop, const std::string& role,
                              Instant now) {
  require_open(tx);
  Use put(statement(kSetRole));
  put->bind(1, platform);
  put->bind(2, shop);
  put->bind(3, role);
  bind_instant(*put, 4, now);
  put->exec();
}

// --- bindings ---

std::int64_t Store::add_binding(Tx& tx, const DropshipBinding& binding) {
  require_open(tx);
  Use insert(statement(kInsertBinding));
  insert->bind(1, binding.platform);
  insert->bind(2, binding.shop);
  insert->bind(3, binding.factory);
  bind_instant(*insert, 4, binding.requested_at);
  bind_changing(*insert, binding);
  insert->exec();
  return db_->getLastInsertRowid();
}

void Store::update_binding(Tx& tx, const DropshipBinding& binding) {
  require_open(tx);
  Use update(statement(kUpdateBinding));
  update->bind(1, binding.id);
  bind_changing(*update, binding);
  if (update->exec() == 0) throw std::out_of_range("dropship binding " + std::to_string(binding.id) + " is not stored");
}

std::optional<DropshipBinding> Store::get_binding(std::int64_t id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kBindingById));
  select->bind(1, id);
  if (!select->executeStep()) return std::nullopt;
  return read_binding(*select);
}

std::optional<DropshipBinding> Store::open_binding(const std::string& platform, const std::string& shop,
                                                   const std::string& factory) {
  std::lock_guard lock(mutex_);
  Use select(statement(kOpenBinding));
  select->bind(1, platform);
  select->bind(2, shop);
  select->bind(3, factory);
  if (!select->executeStep()) return std::nullopt;
  return read_binding(*select);
}

std::vector<DropshipBinding> Store::list_bindings(const BindingFilter& filter) {
  const std::string states = state_list(filter.states);
  std::lock_guard lock(mutex_);
  Use select(statement(kListBindings));
  select->bind(1, filter.platform);
  select->bind(2, filter.shop);
  select->bind(3, filter.factory);
  select->bind(4, states);
  select->bind(5, clamp_limit(filter.limit));
  return read_bindings(*select);
}

bool Store::has_any_binding(const std::string& platform, const std::string& shop) {
  std::lock_guard lock(mutex_);
  Use select(statement(kAnyBinding));
  select->bind(1, platform);
  select->bind(2, shop);
  return select->executeStep() && select->getColumn(0).getInt() != 0;
}

// --- lines ---

std::int64_t Store::add_dropship_line(Tx& tx, const DropshipLine& line) {
  require_open(tx);
  Use insert(statement(kInsertLine));
  insert->bind(1, std::string(to_string(line.side)));
  insert->bind(2, line.platform);
  insert->bind(3, line.shop);
  bind_instant(*insert, 4, line.assigned_at);
  bind_changing(*insert, line);
  insert->exec();
  return db_->getLastInsertRowid();
}

void Store::update_dropship_line(Tx& tx, const DropshipLine& line) {
  require_open(tx);
  Use update(statement(kUpdateLine));
  update->bind(1, line.id);
  bind_changing(*update, line);
  if (update->exec() == 0) throw std::out_of_range("dropship line " + std::to_string(line.id) + " is not stored");
}

std::optional<DropshipLine> Store::get_dropship_line(std::int64_t id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kLineById));
  select->bind(1, id);
  if (!select->executeStep()) return std::nullopt;
  return read_line(*select);
}

std::optional<DropshipLine> Store::live_dropship_line(const OrderKey& order, const std::string& line_id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kLiveLine));
  select->bind(1, order.platform);
  select->bind(2, order.shop);
  select->bind(3, order.order_id);
  select->bind(4, line_id);
  if (!select->executeStep()) return std::nullopt;
  return read_line(*select);
}

std::optional<DropshipLine> Store::dropship_line_by_distr(DropshipSide side, const std::string& platform,
                                                          const std::string& shop, const std::string& distr_order_id) {
  // An empty id is "no channel", shared by every such line: it names none of them.
  if (distr_order_id.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  Use select(statement(kLineByDistr));
  select->bind(1, std::string(to_string(side)));
  select->bind(2, platform);
  select->bind(3, shop);
  select->bind(4, distr_order_id);
  if (!select->executeStep()) return std::nullopt;
  return read_line(*select);
}

std::vector<DropshipLine> Store::dropship_lines_of(const OrderKey& order) {
  std::lock_guard lock(mutex_);
  Use select(statement(kLinesOfOrder));
  select->bind(1, order.platform);
  select->bind(2, order.shop);
  select->bind(3, order.order_id);
  return read_lines(*select);
}

std::vector<DropshipLine> Store::list_dropship_lines(const DropshipLineFilter& filter) {
  const std::string sql = line_list_sql(filter);
  std::lock_guard lock(mutex_);
  SQLite::Statement select(*db_, sql);
  select.bind(1, filter.after_id);
  if (filter.side) select.bind(2, std::string(to_string(*filter.side)));
  if (!filter.factory.empty()) select.bind(3, filter.factory);
  if (!filter.platform.empty()) select.bind(4, filter.platform);
  if (!filter.shop.empty()) select.bind(5, filter.shop);
  if (!filter.order_id.empty()) select.bind(6, filter.order_id);
  if (!filter.states.empty()) select.bind(7, state_list(filter.states));
  select.bind(8, clamp_limit(filter.limit));
  return read_lines(select);
}

// --- receiver access audit (D10) ---

std::int64_t Store::log_receiver_access(Tx& tx, const ReceiverAccess& entry) {
  require_open(tx);
  Use insert(statement(kLogAccess));
  insert->bind(1, entry.factory);
  insert->bind(2, entry.dropship_line);
  insert->bind(3, entry.platform);
  insert->bind(4, entry.shop);
  insert->bind(5, entry.order_id);
  insert->bind(6, entry.outcome);
  bind_instant(*insert, 7, entry.at);
  insert->exec();
  return db_->getLastInsertRowid();
}

std::vector<ReceiverAccess> Store::receiver_accesses(const std::string& factory, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(factory.empty() ? kAllAccesses : kAccessesOfFactory));
  if (factory.empty()) {
    select->bind(1, clamp_limit(limit));
  } else {
    select->bind(1, factory);
    select->bind(2, clamp_limit(limit));
  }
  std::vector<ReceiverAccess> out;
  while (select->executeStep()) out.push_back(read_access(*select));
  return out;
}

}  // namespace erp::daemon::store
