// The append-only order event log: every change with its reason, actor and rule id. It is what
// `erpctl why` prints, so rows are only ever added (the schema's triggers refuse edits).

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

// The next place in an order's history: the end of the order's key range, one b-tree probe.
constexpr const char* kNextSeq = "SELECT IFNULL(MAX(seq), 0) + 1 FROM order_events WHERE order_row = ?1";

constexpr const char* kInsertEvent =
    "INSERT INTO order_events (order_row, seq, at, kind, reason, rule_id, actor, detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

constexpr const char* kEventsOfOrder =
    "SELECT e.seq, e.at, e.kind, e.reason, e.rule_id, e.actor, e.detail FROM order_events e "
    "JOIN orders o ON o.id = e.order_row WHERE o.platform = ?1 AND o.shop = ?2 AND o.order_id = ?3 ORDER BY e.seq";

}  // namespace

std::int64_t Store::insert_event(std::int64_t order_row, const NewEvent& event, Instant now) {
  // An empty detail is by far the most common: skip the serializer for it.
  const std::string detail = event.detail.is_null() || event.detail.empty() ? std::string("{}") : event.detail.dump();
  std::int64_t seq = 0;
  {
    Use next(statement(kNextSeq));
    next->bind(1, order_row);
    next->executeStep();
    seq = next->getColumn(0).getInt64();
  }
  Use insert(statement(kInsertEvent));
  insert->bind(1, order_row);
  insert->bind(2, seq);
  bind_instant(*insert, 3, now);
  insert->bind(4, event.kind);
  insert->bind(5, event.reason);
  insert->bind(6, event.rule_id);
  insert->bind(7, event.actor);
  insert->bindNoCopy(8, detail);
  insert->exec();
  return seq;
}

std::int64_t Store::append_event(Tx& tx, const OrderKey& key, const NewEvent& event, Instant now) {
  require_open(tx);
  return insert_event(require_order_row(key), event, now);
}

std::vector<Event> Store::events(const OrderKey& key) {
  std::lock_guard lock(mutex_);
  Use select(statement(kEventsOfOrder));
  select->bind(1, key.platform);
  select->bind(2, key.shop);
  select->bind(3, key.order_id);
  std::vector<Event> out;
  while (select->executeStep()) {
    Event e;
    e.id = select->getColumn(0).getInt64();
    e.key = key;
    e.at = column_instant(*select, 1);
    e.kind = column_text(*select, 2);
    e.reason = column_text(*select, 3);
    e.rule_id = column_text(*select, 4);
    e.actor = column_text(*select, 5);
    const std::string detail = column_text(*select, 6);
    e.detail = nlohmann::json::parse(detail, nullptr, false);
    if (e.detail.is_discarded()) e.detail = nlohmann::json{{"text", detail}};  // Written by hand, keep it readable.
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace erp::daemon::store
