// Intercepts (rules I1-I9): one row per request with its current state. What happened to the
// order and why is written to the order's event log by the intercept service, not here.

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr std::array<std::pair<InterceptState, std::string_view>, 7> kStateNames{{
    {InterceptState::locked, "locked"},
    {InterceptState::awaiting_warehouse, "awaiting_warehouse"},
    {InterceptState::memo_only, "memo_only"},
    {InterceptState::too_late, "too_late"},
    {InterceptState::cancelled, "cancelled"},
    {InterceptState::unlocked, "unlocked"},
    {InterceptState::resolved, "resolved"},
}};

#define ERP_STORE_INTERCEPT_SELECT                                                                          \
  "SELECT i.id, o.platform, o.shop, o.order_id, i.line_ids, i.state, i.source, i.requested_by, i.reason, " \
  "i.memo_text, i.hold_id, i.warehouse_asked, i.was_locked, i.memo_written_at, i.requested_at, "           \
  "i.decided_at, i.ended_at, i.updated_at, i.detail, i.memo_seen_at FROM intercepts i JOIN orders o ON o.id = i.order_row "

// The open states, spelled as the partial index intercepts_open is, so the planner can use it.
#define ERP_STORE_INTERCEPT_OPEN "(i.state = 'locked' OR i.state = 'awaiting_warehouse' OR i.state = 'memo_only')"

// The fields that change over an intercept's life are ?8 to ?17 in both statements, so one
// function binds them (bind_changing).
constexpr const char* kInsert =
    "INSERT INTO intercepts (order_row, line_ids, source, requested_by, reason, memo_text, requested_at, state, "
    "hold_id, warehouse_asked, was_locked, memo_written_at, memo_seen_at, decided_at, ended_at, updated_at, detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

constexpr const char* kUpdate =
    "UPDATE intercepts SET state = ?8, hold_id = ?9, warehouse_asked = ?10, was_locked = ?11, memo_written_at = ?12, "
    "memo_seen_at = ?13, decided_at = ?14, ended_at = ?15, updated_at = ?16, detail = ?17 WHERE id = ?1";

constexpr const char* kById = ERP_STORE_INTERCEPT_SELECT "WHERE i.id = ?1";
constexpr const char* kOpenOfOrder = ERP_STORE_INTERCEPT_SELECT "WHERE i.order_row = ?1 AND " ERP_STORE_INTERCEPT_OPEN;
constexpr const char* kAllOfOrder = ERP_STORE_INTERCEPT_SELECT "WHERE i.order_row = ?1 ORDER BY i.id DESC";
// Optional filters as "empty/NULL means any"; ?4 is the wanted states as ",a,b,".
constexpr const char* kList = ERP_STORE_INTERCEPT_SELECT
    "WHERE (?1 = '' OR o.platform = ?1) AND (?2 = '' OR o.shop = ?2) AND (?3 IS NULL OR i.requested_at < ?3) "
    "AND (?4 = '' OR instr(?4, ',' || i.state || ',') > 0) ORDER BY i.id DESC LIMIT ?5";

#undef ERP_STORE_INTERCEPT_OPEN
#undef ERP_STORE_INTERCEPT_SELECT

Intercept read_intercept(const SQLite::Statement& s) {
  Intercept i;
  i.id = s.getColumn(0).getInt64();
  i.key = OrderKey{column_text(s, 1), column_text(s, 2), column_text(s, 3)};
  for (const auto& line : nlohmann::json::parse(column_text(s, 4))) i.line_ids.push_back(line.get<std::string>());
  // The CHECK constraint admits only known names.
  i.state = intercept_state_from_string(column_text(s, 5)).value_or(InterceptState::locked);
  i.source = column_text(s, 6);
  i.requested_by = column_text(s, 7);
  i.reason = column_text(s, 8);
  i.memo_text = column_text(s, 9);
  if (!s.getColumn(10).isNull()) i.hold_id = s.getColumn(10).getInt64();
  i.warehouse_asked = s.getColumn(11).getInt() != 0;
  i.was_locked = s.getColumn(12).getInt() != 0;
  i.memo_written_at = column_optional_instant(s, 13);
  i.requested_at = column_instant(s, 14);
  i.decided_at = column_optional_instant(s, 15);
  i.ended_at = column_optional_instant(s, 16);
  i.updated_at = column_instant(s, 17);
  i.detail = column_text(s, 18);
  i.memo_seen_at = column_optional_instant(s, 19);
  return i;
}

std::vector<Intercept> read_intercepts(SQLite::Statement& s) {
  std::vector<Intercept> out;
  while (s.executeStep()) out.push_back(read_intercept(s));
  return out;
}

void bind_changing(SQLite::Statement& s, const Intercept& intercept) {
  s.bind(8, std::string(to_string(intercept.state)));
  if (intercept.hold_id) {
    s.bind(9, *intercept.hold_id);
  } else {
    s.bind(9);  // NULL
  }
  bind_bool(s, 10, intercept.warehouse_asked);
  bind_bool(s, 11, intercept.was_locked);
  bind_instant(s, 12, intercept.memo_written_at);
  bind_instant(s, 13, intercept.memo_seen_at);
  bind_instant(s, 14, intercept.decided_at);
  bind_instant(s, 15, intercept.ended_at);
  bind_instant(s, 16, intercept.updated_at);
  s.bind(17, intercept.detail);
}

}  // namespace

std::string_view to_string(InterceptState state) noexcept {
  for (const auto& [value, name] : kStateNames) {
    if (value == state) return name;
  }
  return "locked";
}

std::optional<InterceptState> intercept_state_from_string(std::string_view text) noexcept {
  for (const auto& [value, name] : kStateNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_open(InterceptState state) noexcept {
  return state == InterceptState::locked || state == InterceptState::awaiting_warehouse ||
         state == InterceptState::memo_only;
}

std::int64_t Store::add_intercept(Tx& tx, const Intercept& intercept) {
  require_open(tx);
  const std::int64_t row = require_order_row(intercept.key);
  Use insert(statement(kInsert));
  insert->bind(1, row);
  insert->bind(2, nlohmann::json(intercept.line_ids).dump());
  insert->bind(3, intercept.source);
  insert->bind(4, intercept.requested_by);
  insert->bind(5, intercept.reason);
  insert->bind(6, intercept.memo_text);
  bind_instant(*insert, 7, intercept.requested_at);
  bind_changing(*insert, intercept);
  insert->exec();
  return db_->getLastInsertRowid();
}

void Store::update_intercept(Tx& tx, const Intercept& intercept) {
  require_open(tx);
  Use update(statement(kUpdate));
  update->bind(1, intercept.id);
  bind_changing(*update, intercept);
  if (update->exec() == 0) throw std::out_of_range("intercept " + std::to_string(intercept.id) + " is not stored");
}

std::optional<Intercept> Store::get_intercept(std::int64_t id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kById));
  select->bind(1, id);
  if (!select->executeStep()) return std::nullopt;
  return read_intercept(*select);
}

std::optional<Intercept> Store::open_intercept(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return std::nullopt;
  Use select(statement(kOpenOfOrder));
  select->bind(1, *row);
  if (!select->executeStep()) return std::nullopt;
  return read_intercept(*select);
}

std::vector<Intercept> Store::intercepts_of(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  const auto row = find_order_row(key);
  if (!row) return {};
  Use select(statement(kAllOfOrder));
  select->bind(1, *row);
  return read_intercepts(*select);
}

std::vector<Intercept> Store::list_intercepts(const InterceptFilter& filter) {
  std::string states;
  for (const auto state : filter.states) states += "," + std::string(to_string(state));
  if (!states.empty()) states += ",";
  std::lock_guard lock(mutex_);
  Use select(statement(kList));
  select->bind(1, filter.platform);
  select->bind(2, filter.shop);
  bind_instant(*select, 3, filter.requested_before);
  select->bind(4, states);
  select->bind(5, std::clamp(filter.limit, 1, 1000));
  return read_intercepts(*select);
}

}  // namespace erp::daemon::store
