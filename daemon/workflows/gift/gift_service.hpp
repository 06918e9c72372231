#pragma once
// The 1-yuan reservation gift workflow's decisions (rules G1-G13), each inside one transaction
// over stored facts:
//   reservation order arrives  -> RESERVATION hold, never shipped on its own (G1)
//   repurchase paid            -> TAG_WINDOW hold until Tmall's tag arrives or the window ends (G2),
//                                 or, merchant mode, linked by the merchant's rules (G12)
//   tag arrives                -> up to 12 earliest-paid reservations linked; their gift lines ride
//                                 on the repurchase's delivery (G3, G4, G7)
//   repurchase shipped in full -> the reservations ship with the last line's waybill: verified in
//                                 platform mode, uploaded through the outbox in merchant mode
//                                 (G5, G6, G8, G9, G10)
//   refund or closure          -> hold released, link dropped, stock given back (G11)

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "holds/release_gate.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows::gift {

using store::Instant;

/// Hold reason codes (stable: API, erpctl and logs show them).
inline constexpr const char* kReservationHold = "RESERVATION";
inline constexpr const char* kTagWindowHold = "TAG_WINDOW";
inline constexpr const char* kOwner = "workflow:gift";

/// Alert kinds the workflow raises.
inline constexpr const char* kAlertNotShipped = "gift.not_shipped";        ///< G5: Tmall did not ship it in time.
inline constexpr const char* kAlertStockExhausted = "gift.stock_exhausted";  ///< G12: a rule's stock is spent.
inline constexpr const char* kAlertTagLate = "gift.tag_late";  ///< G2: the tag came after the order left.
/// G11, G1: the warehouse already has an order whose gift changed, or a reservation order.
inline constexpr const char* kAlertWarehouseStale = "gift.warehouse_stale";

/// The gift settings of a shop; nullopt for a shop the daemon does not know.
using SettingsLookup = std::function<std::optional<config::GiftConfig>(const std::string& shop)>;

struct GiftHooks {
  std::function<void()> wake_outbox;
  /// Asks the shop's adapter for a fresh copy of the order; it is filed through the pipeline
  /// when it comes (or not at all: the sync reads it later).
  std::function<void(const OrderKey&)> refetch;
};

struct SweepReport {
  int refetched = 0;  ///< Orders asked for again (G2 window, G5 verification).
  int linked = 0;     ///< Reservations linked by the sweep (their order arrived late).
  int alerts = 0;     ///< Alerts raised.
};

class GiftService {
 public:
  static constexpr const char* kWorkflowName = "gift";

  GiftService(store::Store& store, holds::ReleaseGate& gate, SettingsLookup settings, GiftHooks hooks);

  /// Reacts to a new platform version of an order inside the pipeline's transaction.
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now);

  /// Timers, each decision its own transaction: re-fetches repurchases waiting for their tag
  /// and links reservations that arrived after it (G2); raises an alert for reservations Tmall
  /// did not mark shipped in time (G5).
  SweepReport sweep(Instant now);

  /// True when the order is a recognised reservation order (G1: no ship-by alert applies).
  bool is_reservation(const OrderKey& key);

 private:
  void start_reservation(store::Tx& tx, const store::StoredOrder& order, const std::string& by, Instant now);
  void on_reservation_changed(store::Tx& tx, const store::StoredOrder& order, store::GiftReservation reservation,
                              Instant now);
  void close_reservation(store::Tx& tx, store::GiftReservation& reservation, const std::string& why, Instant now);
  void reservation_shipped(store::Tx& tx, store::GiftReservation& reservation, const sdk::Order& order, Instant now);

  void on_main_changed(store::Tx& tx, const store::StoredOrder& order, const std::optional<config::GiftConfig>& settings,
                       Instant now);
  /// G2, G3, G7: links what the tag names; returns how many ids are not stored yet.
  std::size_t link_tagged(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig& settings,
                          int* linked, Instant now);
  /// G2: a tag read once the repurchase already left (released or shipped): the reservations it
  /// names that still wait get an alert, since their gift is not in the parcel.
  void late_tag(store::Tx& tx, const sdk::Order& main, const std::vector<std::string>& ids, Instant now);
  /// G12: the merchant's own recognition of a repurchase.
  void link_by_rules(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig& settings, Instant now);
  void wait_for_tag(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig& settings, Instant now);
  /// Resolves tag ids to reservations (recognising stored orders the tag names, asking for the
  /// missing ones). Returns the reservations and how many ids were missing.
  std::vector<store::GiftReservation> resolve(store::Tx& tx, const sdk::Order& main,
                                              const std::vector<std::string>& ids, std::size_t* missing,
                                              std::chrono::milliseconds refetch_every, Instant now);
  /// G3, G7: links `candidates` (at most 12 earliest paid in all) to `main`. Returns how many.
  int link(store::Tx& tx, const store::StoredOrder& main, std::vector<store::GiftReservation> candidates,
           const std::string& rule_id, const std::string& source, const config::GiftRule* rule, Instant now);
  /// G7: may `reservation` ride on `main`? Drops a later, unreleased repurchase's link for it.
  bool claim(store::Tx& tx, const sdk::Order& main, const store::GiftReservation& reservation, Instant now);
  void drop(store::Tx& tx, store::GiftLink& link, const std::string& why, const char* rule, Instant now);
  /// G5-G10: once the main has shipped in full, every linked reservation ships with its waybill.
  void settle_shipping(store::Tx& tx, const store::StoredOrder& main, const config::GiftConfig* settings, Instant now);
  void release_tag_window(store::Tx& tx, const OrderKey& main, const std::string& why, Instant now);
  /// Links a tagged repurchase again (its missing reservation arrived, or the earlier repurchase
  /// it deferred to is no longer waiting) and opens the gate if nothing holds it. Returns links made.
  int retry_main(store::Tx& tx, const OrderKey& main, Instant now);

  /// G7: the buyer's repurchases waiting for their tag, so a later one's tag does not take a
  /// reservation that Tmall will ship with an earlier one.
  void note_waiting(const sdk::Order& main);
  void forget_waiting(const sdk::Order& main);
  /// An earlier-created repurchase of the same buyer still held for its tag, if any.
  std::optional<OrderKey> earlier_waiting(store::Tx& tx, const sdk::Order& main);
  /// The repurchases deferred to an earlier one of `main`'s buyer, tried again now.
  void resume_deferred(store::Tx& tx, const sdk::Order& main, Instant now);

  void record(store::Tx& tx, const OrderKey& key, const std::string& kind, const std::string& reason, const char* rule,
              nlohmann::json detail, Instant now);
  /// Raises an alert once per (kind, subject), noted in the order's history when it has one.
  void alert(store::Tx& tx, const char* kind, const std::optional<OrderKey>& key, const std::string& subject,
             const char* rule, const std::string& message, Instant now);

  store::Store& store_;
  holds::ReleaseGate& gate_;
  SettingsLookup settings_;
  GiftHooks hooks_;

  std::mutex mutex_;  ///< Guards the two maps below (sync threads and the sweep).
  /// Order ids a repurchase's tag names that are not stored yet: when one arrives it is a
  /// reservation whatever it looks like, so it is held instead of released (G1). In memory: after
  /// a restart the sweep fills it again from the repurchases still waiting.
  struct Awaited {
    OrderKey main;  ///< The repurchase whose tag names it.
    Instant asked{};  ///< When it was last asked for (asked again every refetch interval).
  };
  std::map<std::string, Awaited> awaited_;
  std::map<std::string, Instant> last_refetch_;  ///< By order key: when it was last asked for.
  /// "shop/buyer" -> order key -> created_at of repurchases held for their tag (G7). Filled from
  /// the TAG_WINDOW holds on first use after a start; entries whose hold ended are dropped when met.
  std::map<std::string, std::map<std::string, Instant>> waiting_;
  bool waiting_loaded_ = false;
  std::set<std::string> deferred_;  ///< Order keys of repurchases deferred to an earlier one (G7).
};

}  // namespace erp::daemon::workflows::gift
