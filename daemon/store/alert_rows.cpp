// Alerts: something a person must look at, raised by a workflow (the gift service first: a
// reservation the platform did not mark shipped, a rule out of stock, a late tag) and cleared once
// it no longer holds. At most one alert of a kind and subject is open (the partial unique index
// alerts_open); cleared ones stay as history.

#include <algorithm>

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

// The conflict target names alerts_open with its WHERE, so only an open alert of the same kind
// and subject makes the insert a no-op; any other failure still throws.
constexpr const char* kRaise =
    "INSERT INTO alerts (kind, subject, order_row, rule_id, message, detail, raised_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (kind, subject) WHERE cleared_at IS NULL DO NOTHING";

constexpr const char* kClear =
    "UPDATE alerts SET cleared_at = ?3 WHERE kind = ?1 AND subject = ?2 AND cleared_at IS NULL";

// A kind starts with the prefix when its first length(prefix) characters are the prefix (LIKE
// would read the '_' in kind names as a wildcard). Open alerts are few: alerts_open holds them.
constexpr const char* kCountOpen =
    "SELECT kind, COUNT(*) FROM alerts WHERE cleared_at IS NULL AND substr(kind, 1, length(?1)) = ?1 GROUP BY kind";

constexpr const char* kOpen =
    "SELECT a.id, a.kind, a.subject, o.platform, o.shop, o.order_id, a.rule_id, a.message, a.detail, a.raised_at, "
    "a.cleared_at FROM alerts a LEFT JOIN orders o ON o.id = a.order_row "
    "WHERE a.cleared_at IS NULL AND substr(a.kind, 1, length(?1)) = ?1 ORDER BY a.raised_at DESC, a.id DESC LIMIT ?2";

Alert read_alert(const SQLite::Statement& s) {
  Alert a;
  a.id = s.getColumn(0).getInt64();
  a.kind = column_text(s, 1);
  a.subject = column_text(s, 2);
  if (!s.getColumn(3).isNull()) a.key = OrderKey{column_text(s, 3), column_text(s, 4), column_text(s, 5)};
  a.rule_id = column_text(s, 6);
  a.message = column_text(s, 7);
  const std::string detail = column_text(s, 8);
  a.detail = nlohmann::json::parse(detail, nullptr, false);
  if (a.detail.is_discarded()) a.detail = nlohmann::json{{"text", detail}};
  a.raised_at = column_instant(s, 9);
  a.cleared_at = column_optional_instant(s, 10);
  return a;
}

}  // namespace

// An alert about an order the store does not have throws std::out_of_range (like every call
// taking an OrderKey): name such an order in the subject and leave `key` empty.
bool Store::raise_alert(Tx& tx, const NewAlert& alert, Instant now) {
  require_open(tx);
  std::optional<std::int64_t> row;
  if (alert.key) row = require_order_row(*alert.key);
  Use insert(statement(kRaise));
  insert->bind(1, alert.kind);
  insert->bind(2, alert.subject);
  if (row) {
    insert->bind(3, *row);
  } else {
    insert->bind(3);  // NULL
  }
  insert->bind(4, alert.rule_id);
  insert->bind(5, alert.message);
  // `{}` in a NewAlert's braces makes a null detail: it is stored as the empty object it meant.
  insert->bind(6, alert.detail.is_null() ? std::string("{}") : alert.detail.dump());
  bind_instant(*insert, 7, now);
  return insert->exec() > 0;
}

bool Store::clear_alert(Tx& tx, const std::string& kind, const std::string& subject, Instant now) {
  require_open(tx);
  Use clear(statement(kClear));
  clear->bind(1, kind);
  clear->bind(2, subject);
  bind_instant(*clear, 3, now);
  return clear->exec() > 0;
}

std::vector<std::pair<std::string, std::int64_t>> Store::count_open_alerts(const std::string& kind_prefix) {
  std::lock_guard lock(mutex_);
  Use select(statement(kCountOpen));
  select->bind(1, kind_prefix);
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (select->executeStep()) out.emplace_back(select->getColumn(0).getString(), select->getColumn(1).getInt64());
  return out;
}

std::vector<Alert> Store::open_alerts(const std::string& kind_prefix, int limit) {
  std::lock_guard lock(mutex_);
  Use select(statement(kOpen));
  select->bind(1, kind_prefix);
  select->bind(2, std::clamp(limit, 1, 1000));
  std::vector<Alert> out;
  while (select->executeStep()) out.push_back(read_alert(*select));
  return out;
}

}  // namespace erp::daemon::store
