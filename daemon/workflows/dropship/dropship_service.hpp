#pragma once
// The dropship hub's decisions (rules D1-D11), each one transaction over stored facts:
//   merchant asks for a binding      -> requested; the factory confirms (its token, or on the
//                                       platform, seen by reconciliation) -> bound (D2)
//   line assigned (by hand or rule)  -> only under a bound binding, only for orders created after
//                                       it (D3), per line (D4); through the platform's channel
//                                       (outbox) when the shop and factory are both on it
//   every unshipped line assigned    -> DROPSHIP hold: the merchant's warehouse gets nothing to ship
//   factory (or merchant) ships      -> exactly one shipment per line; the second is refused
//                                       "already shipped" (D6, D7); the waybill goes to the
//                                       platform through the outbox (D5)
//   buyer cancels                    -> the line stays assigned but cannot ship; the factory is
//                                       told at once (D8)
// The merchant's platform knows nothing of this (D9): these tables are the only record.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "erp/dropship.hpp"
#include "erp/result.hpp"
#include "holds/release_gate.hpp"
#include "store/store.hpp"

namespace erp::daemon::workflows::dropship {

using store::Instant;

inline constexpr const char* kHold = "DROPSHIP";
inline constexpr const char* kOwner = "workflow:dropship";

/// Outbox kinds (performed by daemon/dropship/dropship_handlers).
inline constexpr const char* kDistributeKind = "dropship.distribute";      ///< iop.sellerDistribute
inline constexpr const char* kCancelKind = "dropship.cancel";              ///< iop.sellerCancleDistribute
inline constexpr const char* kWaybillReturnKind = "dropship.waybill_return";  ///< iop.waybillReturn
inline constexpr const char* kNotifyKind = "factory.notify";               ///< POST to a factory's notify_url

/// What the service knows of a configured shop.
struct ShopFacts {
  std::string platform;
  config::DropshipRole role = config::DropshipRole::merchant;
  bool channel = false;  ///< Its adapter has the platform's dropship channel (Capabilities::dropship).
};

/// The settings in force; replaced as a whole on reload.
struct Settings {
  config::DropshipConfig config;
  std::map<std::string, ShopFacts> shops;  ///< By shop id.
};

struct Hooks {
  std::function<void()> wake_outbox;
};

/// One line's outcome of an assignment request.
struct AssignOutcome {
  std::string line_id;
  std::optional<store::DropshipLine> line;  ///< Set when assigned (or on its way to the platform).
  std::string refusal;                      ///< Stable code when refused ("already_assigned" ...).
  std::string message;                      ///< In words, with the rule id.
};

/// Lines of the order the merchant's warehouse must not ship: assigned to factories, which ship
/// them on their own (D6), or shipped by one already.
std::vector<std::string> factory_line_ids(store::Store& store, const OrderKey& key);

class DropshipService {
 public:
  static constexpr const char* kWorkflowName = "dropship";

  DropshipService(store::Store& store, holds::ReleaseGate& gate, Hooks hooks);

  void apply(Settings settings);
  Settings settings() const;
  /// The configured factory with this id, if any.
  std::optional<config::FactoryConfig> factory(const std::string& id) const;

  // --- D1 ---
  /// Stores each shop's configured role; a shop with a binding keeps the role it had (D1), and
  /// each such conflict is returned in words (the daemon refuses to start on them).
  std::vector<std::string> settle_roles(Instant now);

  // --- D2: bindings ---
  /// Merchant side: asks for a binding with a factory. conflict when the shop is a factory (D1)
  /// or already has one open with it; not_found for an unknown shop or factory.
  sdk::Result<store::DropshipBinding> request_binding(const std::string& shop, const std::string& factory, Instant now);
  /// Factory side: confirms a binding requested of it (kept by the daemon; a platform binding is
  /// confirmed on the platform). From then on its orders may be assigned (D3).
  sdk::Result<store::DropshipBinding> confirm_binding(std::int64_t id, const std::string& factory, Instant now);
  /// Either side ends a binding (`by` = "merchant" or "factory"; `factory` set: only its own).
  /// Its lines not yet shipped are taken back (unassigned) and the factory is told.
  sdk::Result<store::DropshipBinding> end_binding(std::int64_t id, const std::string& by, const std::string& factory,
                                                  Instant now);
  /// Reconciliation (D11): the factories the platform shows bound to a merchant shop.
  void reconcile_platform_bindings(const std::string& shop, const std::vector<sdk::FactoryBinding>& bound, Instant now);

  // --- D3, D4: assignment ---
  /// Assigns lines of a stored order (all its assignable lines when `line_ids` is empty).
  /// Whole-request failures (unknown order, no binding in force) are errors; per line, results.
  sdk::Result<std::vector<AssignOutcome>> assign(const OrderKey& key, const std::vector<std::string>& line_ids,
                                                 const std::string& factory, const std::string& source, Instant now);
  /// The merchant takes a line back (not once shipped).
  sdk::Result<store::DropshipLine> unassign(std::int64_t line_id, Instant now);
  /// The platform's answer to an assignment sent through the outbox.
  void distribution_answered(std::int64_t line_id, const sdk::DistributeResult& result, Instant now);

  // --- D5-D8: shipping ---
  /// A factory ships its line: conflict "already_shipped" (D7), "buyer_cancelled" (D8) or
  /// "not_assigned"; not_found for a line that is not this factory's (a token sees its own only).
  sdk::Result<store::DropshipLine> factory_ship(std::int64_t line_id, const std::string& factory,
                                                const std::string& carrier, const std::string& waybill, Instant now);
  /// The platform's answer to a factory shipment sent through the outbox (iop.waybillReturn).
  void waybill_returned(std::int64_t line_id, const sdk::DropshipShipReceipt& receipt, Instant now);
  /// Inside the warehouse shipment's transaction: refuses lines a factory shipped already (D7)
  /// and a whole-order shipment of an order with factory lines (D6); marks the lines the merchant
  /// now ships as shipped by the merchant, so a factory's later shipment is refused.
  sdk::Result<void> settle_merchant_shipment(store::Tx& tx, const OrderKey& key,
                                             const std::vector<std::string>& line_ids, Instant now);

  // --- pipeline and reconciliation ---
  /// A new platform version of an order: automatic rules for a newly paid one (D4), shipments
  /// the platform shows (D7), buyer cancellations (D8), the DROPSHIP hold.
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, Instant now);
  /// Factory side (D5, D11): an item assigned to a factory shop the daemon runs, as listed.
  void reconcile_factory_item(const std::string& shop, const sdk::DropshipOrder& item, Instant now);

 private:
  std::optional<ShopFacts> shop(const std::string& id) const;
  sdk::Result<store::DropshipBinding> binding_in_force(const std::string& shop, const std::string& factory);
  /// Places or lifts the DROPSHIP hold as the order's lines now stand (the pipeline's own gate
  /// runs after every workflow, so inside the pipeline this is all).
  void settle_hold(store::Tx& tx, const OrderKey& key, Instant now);
  /// The same outside the pipeline, then the release gate.
  void settle_and_evaluate(store::Tx& tx, const OrderKey& key, Instant now);
  void notify_factory(store::Tx& tx, const store::DropshipLine& line, const std::string& event, Instant now);
  void record(store::Tx& tx, const store::DropshipLine& line, const std::string& kind, const std::string& rule,
              const std::string& reason, Instant now);
  void line_shipped_on_platform(store::Tx& tx, store::DropshipLine line, const sdk::OrderLine& platform_line,
                                Instant now);
  void buyer_cancelled(store::Tx& tx, store::DropshipLine line, const std::string& why, Instant now);
  void apply_rules(store::Tx& tx, const store::StoredOrder& order, Instant now);
  /// Creates the lines' assignments under `binding` (D4) and, through the platform's channel,
  /// the one outbox item that carries them there.
  std::vector<store::DropshipLine> assign_lines(store::Tx& tx, const sdk::Order& order,
                                                const store::DropshipBinding& binding, const config::FactoryConfig& f,
                                                const std::vector<std::string>& line_ids, const std::string& source,
                                                Instant now);

  store::Store& store_;
  holds::ReleaseGate& gate_;
  Hooks hooks_;
  mutable std::mutex mutex_;
  Settings settings_;
};

}  // namespace erp::daemon::workflows::dropship
