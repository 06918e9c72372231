// The table side of the outbox: side effects written with the decision that wants them, then
// claimed, finished, retried or given up on by the dispatcher. States:
//   pending --claim_due--> in_flight --mark_done--> done
//                          in_flight --mark_failed--> pending (retry_at) | dead
//   in_flight --recover_in_flight (start-up)--> pending;  dead --retry_outbox_item--> pending

#include <algorithm>
#include <stdexcept>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

#define ERP_STORE_OUTBOX_SELECT                                                                    \
  "SELECT id, idempotency_key, kind, target, platform, shop, order_id, payload, state, attempts, " \
  "next_attempt_at, last_error, created_at, updated_at "

constexpr const char* kInsert =
    "INSERT INTO outbox (idempotency_key, kind, target, platform, shop, order_id, payload, state, attempts, "
    "next_attempt_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0, ?8, ?8, ?8) "
    "ON CONFLICT (idempotency_key) DO NOTHING";

constexpr const char* kIdByKey = "SELECT id FROM outbox WHERE idempotency_key = ?1";

// INDEXED BY: without statistics the planner prefers outbox_by_state and sorts every pending row;
// on a sale-day backlog the partial index walks only the due ones, already in order.
constexpr const char* kDue = ERP_STORE_OUTBOX_SELECT
    "FROM outbox INDEXED BY outbox_due WHERE state = 'pending' AND next_attempt_at <= ?1 "
    "ORDER BY next_attempt_at, id LIMIT ?2";

constexpr const char* kClaim = "UPDATE outbox SET state = 'in_flight', updated_at = ?2 WHERE id = ?1";

constexpr const char* kDone =
    "UPDATE outbox SET state = 'done', attempts = attempts + 1, updated_at = ?2 WHERE id = ?1";

constexpr const char* kFailed =
    "UPDATE outbox SET state = ?2, attempts = attempts + 1, last_error = ?3, next_attempt_at = ?4, "
    "updated_at = ?5 WHERE id = ?1";

constexpr const char* kRecover =
    "UPDATE outbox SET state = 'pending', next_attempt_at = MIN(next_attempt_at, ?1), updated_at = ?1 "
    "WHERE state = 'in_flight'";

constexpr const char* kRetry =
    "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?2, updated_at = ?2 "
    "WHERE id = ?1 AND state IN ('dead', 'pending')";

constexpr const char* kById = ERP_STORE_OUTBOX_SELECT "FROM outbox WHERE id = ?1";

constexpr const char* kListAll = ERP_STORE_OUTBOX_SELECT "FROM outbox ORDER BY id DESC LIMIT ?2";

constexpr const char* kListState = ERP_STORE_OUTBOX_SELECT "FROM outbox WHERE state = ?1 ORDER BY id DESC LIMIT ?2";

constexpr const char* kNextDue =
    "SELECT MIN(next_attempt_at) FROM outbox INDEXED BY outbox_due WHERE state = 'pending'";

#undef ERP_STORE_OUTBOX_SELECT

OutboxItem read_item(const SQLite::Statement& s) {
  OutboxItem item;
  item.id = s.getColumn(0).getInt64();
  item.idempotency_key = column_text(s, 1);
  item.kind = column_text(s, 2);
  item.target = column_text(s, 3);
  if (!s.getColumn(4).isNull()) item.key = OrderKey{column_text(s, 4), column_text(s, 5), column_text(s, 6)};
  const std::string payload = column_text(s, 7);
  item.payload = nlohmann::json::parse(payload, nullptr, false);
  if (item.payload.is_discarded()) item.payload = nlohmann::json{{"text", payload}};
  item.state = outbox_state_from_string(column_text(s, 8)).value_or(OutboxState::pending);
  item.attempts = s.getColumn(9).getInt();
  item.next_attempt_at = column_instant(s, 10);
  item.last_error = column_text(s, 11);
  item.created_at = column_instant(s, 12);
  item.updated_at = column_instant(s, 13);
  return item;
}

}  // namespace

std::string_view to_string(OutboxState state) noexcept {
  switch (state) {
    case OutboxState::pending:
      return "pending";
    case OutboxState::in_flight:
      return "in_flight";
    case OutboxState::done:
      return "done";
    case OutboxState::dead:
      return "dead";
  }
  return "pending";
}

std::optional<OutboxState> outbox_state_from_string(std::string_view text) noexcept {
  for (auto state : {OutboxState::pending, OutboxState::in_flight, OutboxState::done, OutboxState::dead}) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

std::int64_t Store::enqueue(Tx& tx, const NewOutboxItem& item, Instant now) {
  require_open(tx);
  if (item.idempotency_key.empty()) throw std::invalid_argument("outbox: empty idempotency key");
  {
    Use insert(statement(kInsert));
    insert->bind(1, item.idempotency_key);
    insert->bind(2, item.kind);
    insert->bind(3, item.target);
    if (item.key) {
      insert->bind(4, item.key->platform);
      insert->bind(5, item.key->shop);
      insert->bind(6, item.key->order_id);
    } else {
      insert->bind(4);
      insert->bind(5);
      insert->bind(6);
    }
    insert->bind(7, item.payload.dump());
    bind_instant(*insert, 8, now);
    if (insert->exec() == 1) return db_->getLastInsertRowid();
  }
  // The key exists: the effect is already owed (or done); a second row would run it twice.
  Use find(statement(kIdByKey));
  find->bind(1, item.idempotency_key);
  find->executeStep();
  return find->getColumn(0).getInt64();
}

std::vector<OutboxItem> Store::claim_due(Instant now, int limit) {
  Tx tx(*this, true);
  std::vector<OutboxItem> items;
  {
    Use due(statement(kDue));
    bind_instant(*due, 1, now);
    due->bind(2, std::max(limit, 1));
    while (due->executeStep()) items.push_back(read_item(*due));
  }
  for (auto& item : items) {
    Use claim(statement(kClaim));
    claim->bind(1, item.id);
    bind_instant(*claim, 2, now);
    claim->exec();
    item.state = OutboxState::in_flight;
    item.updated_at = now;
  }
  tx.commit();
  return items;
}

void Store::mark_done(std::int64_t id, Instant now) {
  Tx tx(*this, true);
  Use done(statement(kDone));
  done->bind(1, id);
  bind_instant(*done, 2, now);
  done->exec();
  tx.commit();
}

void Store::mark_failed(std::int64_t id, const std::string& error, std::optional<Instant> retry_at, bool dead,
                        Instant now) {
  Tx tx(*this, true);
  Use failed(statement(kFailed));
  failed->bind(1, id);
  failed->bind(2, std::string(to_string(dead ? OutboxState::dead : OutboxState::pending)));
  failed->bind(3, error);
  bind_instant(*failed, 4, retry_at.value_or(now));
  bind_instant(*failed, 5, now);
  failed->exec();
  tx.commit();
}

int Store::recover_in_flight(Instant now) {
  Tx tx(*this, true);
  Use recover(statement(kRecover));
  bind_instant(*recover, 1, now);
  const int n = recover->exec();
  tx.commit();
  return n;
}

std::optional<OutboxItem> Store::get_outbox_item(std::int64_t id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kById));
  select->bind(1, id);
  if (!select->executeStep()) return std::nullopt;
  return read_item(*select);
}

std::vector<OutboxItem> Store::list_outbox(std::optional<OutboxState> state, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(state ? kListState : kListAll));
  if (state) select->bind(1, std::string(to_string(*state)));
  select->bind(2, std::max(limit, 1));
  std::vector<OutboxItem> items;
  while (select->executeStep()) items.push_back(read_item(*select));
  return items;
}

bool Store::retry_outbox_item(std::int64_t id, Instant now) {
  Tx tx(*this, true);
  Use retry(statement(kRetry));
  retry->bind(1, id);
  bind_instant(*retry, 2, now);
  const bool changed = retry->exec() == 1;
  tx.commit();
  return changed;
}

std::optional<Instant> Store::next_outbox_due() {
  std::lock_guard lock(mutex_);
  Use select(statement(kNextDue));
  select->executeStep();
  return column_optional_instant(*select, 0);
}

}  // namespace erp::daemon::store
