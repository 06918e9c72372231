// Plugin instances' own durable values (HostContext::state(): refreshed tokens) and the ids of
// platform pushes already taken over (rule D11: a push may arrive twice).

#include "store/statements.hpp"

namespace erp::daemon::store {
namespace {

constexpr const char* kGetState = "SELECT value FROM plugin_state WHERE platform = ?1 AND shop = ?2 AND key = ?3";

constexpr const char* kSetState =
    "INSERT INTO plugin_state (platform, shop, key, value, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (platform, shop, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

constexpr const char* kPushSeen = "SELECT 1 FROM push_messages WHERE platform = ?1 AND shop = ?2 AND msg_id = ?3";

constexpr const char* kRecordPush =
    "INSERT INTO push_messages (platform, shop, msg_id, received_at) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (platform, shop, msg_id) DO NOTHING";

constexpr const char* kPrunePushes = "DELETE FROM push_messages WHERE received_at < ?1";

}  // namespace

std::optional<std::string> Store::plugin_state(const std::string& platform, const std::string& shop,
                                               const std::string& key) {
  std::lock_guard lock(mutex_);
  Use select(statement(kGetState));
  select->bind(1, platform);
  select->bind(2, shop);
  select->bind(3, key);
  if (!select->executeStep()) return std::nullopt;
  return column_text(*select, 0);
}

void Store::set_plugin_state(const std::string& platform, const std::string& shop, const std::string& key,
                             const std::string& value, Instant now) {
  Tx tx(*this, true);
  {
    Use upsert(statement(kSetState));
    upsert->bind(1, platform);
    upsert->bind(2, shop);
    upsert->bind(3, key);
    upsert->bind(4, value);
    bind_instant(*upsert, 5, now);
    upsert->exec();
  }
  tx.commit();
}

bool Store::push_seen(const std::string& platform, const std::string& shop, const std::string& msg_id) {
  std::lock_guard lock(mutex_);
  Use select(statement(kPushSeen));
  select->bind(1, platform);
  select->bind(2, shop);
  select->bind(3, msg_id);
  return select->executeStep();
}

bool Store::record_push(const std::string& platform, const std::string& shop, const std::string& msg_id,
                        Instant now) {
  Tx tx(*this, true);
  int changed = 0;
  {
    Use insert(statement(kRecordPush));
    insert->bind(1, platform);
    insert->bind(2, shop);
    insert->bind(3, msg_id);
    bind_instant(*insert, 4, now);
    changed = insert->exec();
  }
  tx.commit();
  return changed > 0;
}

int Store::prune_pushes(Instant before) {
  Tx tx(*this, true);
  int removed = 0;
  {
    Use prune(statement(kPrunePushes));
    bind_instant(*prune, 1, before);
    removed = prune->exec();
  }
  tx.commit();
  return removed;
}

}  // namespace erp::daemon::store
