#pragma once
// The intercept workflow's decisions (rules I1-I9), each one transaction over stored facts:
// request (memo through the outbox; a held order locks at once, a released one waits for the
// warehouse, a shipped one is too late), the warehouse's answer, cancel, unlock and the endings
// the platform's facts bring (refund completed, shipped elsewhere). An intercept never changes
// the platform order's status (I5): the only platform write is the seller memo.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "erp/result.hpp"
#include "holds/release_gate.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows::intercept {

using store::Instant;

/// Hold reason code of an intercept's lock (stable: API, erpctl and logs show it).
inline constexpr const char* kInterceptHold = "INTERCEPT";
/// Outbox kinds of the intercept's side effects.
inline constexpr const char* kMemoKind = "platform.memo";
inline constexpr const char* kLockKind = "warehouse.lock";
inline constexpr const char* kUnlockKind = "warehouse.unlock";

enum class Level {
  lock,       ///< I1 advanced: write the memo and lock the order.
  memo_only,  ///< I1 basic, I8: the shop's orders bypass the daemon; only the memo is possible.
};

/// What the workflow needs to know about one shop (its config and its adapter's capabilities).
struct ShopSettings {
  bool enabled = false;
  std::string memo;  ///< Written on and recognised in the seller memo.
  int flag = 1;
  Level level = Level::lock;
  bool on_refund_request = false;
  /// I7: when locked intercepts with no refund request are released: this time for those
  /// requested before it; otherwise (unset, or requested later) the end of the day after the
  /// request, China time. Never with `unlock_never`.
  std::optional<Instant> unlock_at;
  bool unlock_never = false;
  bool memo_write = true;  ///< The adapter can write memos.
  int memo_max_chars = 0;  ///< The platform's memo limit (0: none known).
};

/// The settings of a shop; nullopt for a shop the daemon does not know.
using SettingsLookup = std::function<std::optional<ShopSettings>(const std::string& shop)>;

/// Why a request was refused; `code` is the API's error code.
struct Refusal {
  enum class Kind { not_found, invalid_input, not_enabled, conflict, too_late };
  Kind kind = Kind::conflict;
  std::string message;
  std::optional<store::Intercept> intercept;  ///< The intercept concerned (too_late: the one recorded).
};

struct NewRequest {
  OrderKey key;
  std::vector<std::string> line_ids;  ///< Empty: the whole order (I2).
  std::string source = "api";         ///< api | memo | refund
  std::string requested_by;           ///< "operator:<name>", "platform", ...
  std::string reason;
};

struct Requested {
  store::Intercept intercept;
  bool duplicate = false;  ///< An open intercept already covered the lines; nothing new happened.
};

struct UnlockReport {
  std::vector<store::Intercept> unlocked;
  std::vector<std::pair<store::Intercept, std::string>> kept;  ///< With why (a refund request).
};

/// Side channels the service reports through: the outbox to wake, the metric to count.
struct ServiceHooks {
  std::function<void()> wake_outbox;
  /// Whether the warehouse is told of locks by the connector (webhook, plugin) rather than
  /// pulling them from the API. Unset: pulls.
  std::function<bool()> warehouse_pushes;
  /// Counts an outcome for erpd_intercepts_total{shop, outcome}.
  std::function<void(const std::string& shop, std::string_view outcome)> count;
};

/// Result of one decision that is either an intercept or a refusal.
template <class T>
struct Decision {
  std::optional<T> value;
  std::optional<Refusal> refusal;
  explicit operator bool() const noexcept { return value.has_value(); }
};

class InterceptService {
 public:
  static constexpr const char* kWorkflowName = "intercept";

  InterceptService(store::Store& store, holds::ReleaseGate& gate, SettingsLookup settings, ServiceHooks hooks);

  /// I2-I4, I8: records the request, writes the memo through the outbox and locks what can be
  /// locked. Too late is recorded too (the intercept is returned in the refusal).
  Decision<Requested> request(const NewRequest& request, Instant now);
  /// The same inside the caller's transaction (the pipeline's workflow, platform triggers).
  Decision<Requested> request(store::Tx& tx, const store::StoredOrder& order, const NewRequest& request, Instant now);

  /// The warehouse's answer to a lock request (I4): locked or too late.
  Decision<store::Intercept> confirm(std::int64_t id, bool locked, const std::string& by, const std::string& note,
                                     Instant now);

  /// I6: the buyer changed their mind. The memo text comes off (through the outbox), the hold
  /// goes, a warehouse that locked hears it may ship.
  Decision<store::Intercept> cancel(std::int64_t id, const std::string& by, const std::string& reason, Instant now);

  /// I7: unlocks every locked intercept requested before `before` (of `shop`, or every shop)
  /// whose lines got no refund request.
  UnlockReport unlock_before(Instant before, const std::string& shop, const std::string& by, Instant now);
  /// I7 scheduled: the same for intercepts whose shop's unlock time has come. Returns how many.
  int unlock_due(Instant now);

  /// The memo outbox item of `id` reached the platform.
  void memo_written(std::int64_t id, Instant now);
  /// The intercept text of `id` came off the platform's memo (after a cancel or unlock).
  void memo_cleared(std::int64_t id, Instant now);

  /// Reacts to a new platform version of an order inside the pipeline's transaction: the memo
  /// text appearing (I3) or going (I6), a refund request (per shop), a refund completing or the
  /// platform shipping the intercepted lines.
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now);

  /// Inside the shipment's transaction: a shipment of `line_ids` (empty: the whole order) may
  /// go only if no locked intercept covers them. A shipment meeting an intercept that still
  /// awaits the warehouse wins: that intercept becomes too late and is returned.
  Decision<std::optional<store::Intercept>> settle_shipment(store::Tx& tx, const OrderKey& key,
                                                            const std::vector<std::string>& line_ids, Instant now);

  const SettingsLookup& settings() const noexcept { return settings_; }

 private:
  /// What becomes of the intercept text on the platform when an intercept ends.
  enum class Memo {
    take_off,  ///< It comes off (cancel, unlock): the order ships after all.
    gone,      ///< The platform no longer shows it (the buyer removed it).
    stays,     ///< It stays as a record (too late, refunded): nothing ships anyway.
  };
  void finish(store::Tx& tx, store::Intercept& intercept, store::InterceptState state, const std::string& actor,
              const std::string& reason, const char* rule, Memo memo, Instant now);
  void lock_now(store::Tx& tx, store::Intercept& intercept, const std::string& actor, Instant now);
  void enqueue_memo(store::Tx& tx, const store::Intercept& intercept, const char* purpose, Instant now);
  void enqueue_warehouse(store::Tx& tx, const store::Intercept& intercept, const char* kind, Instant now);
  void record(store::Tx& tx, const store::Intercept& intercept, const std::string& kind, const std::string& actor,
              const std::string& reason, const char* rule, Instant now);
  std::optional<Instant> unlock_time(const store::Intercept& intercept) const;
  void count(const store::Intercept& intercept, std::string_view outcome) const;

  store::Store& store_;
  holds::ReleaseGate& gate_;
  SettingsLookup settings_;
  ServiceHooks hooks_;
};

}  // namespace erp::daemon::workflows::intercept
