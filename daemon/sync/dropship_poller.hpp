#pragma once
// Reconciliation of the dropship state by polling (rule D11): pushes get lost, come twice or out
// of order, so what the platform says is read back on a timer, and at once when a dropship push
// arrives:
//   merchant shops with the platform's channel -> the factories bound to them (D2)
//   factory shops the daemon runs              -> the items merchants assigned to them (D5), with
//                                                 buyer cancellations (D8) and shipments (D7)
// One worker thread for all shops; every call goes through the shop's adapter and its budget.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "sync/push_fetcher.hpp"
#include "sync/sync_clock.hpp"
#include "workflows/dropship/dropship_service.hpp"

namespace erp::daemon::sync {

/// A shop the poller reads, as the config says it is.
struct DropshipShop {
  std::string platform;
  std::string shop;
  bool factory = false;  ///< dropship.role factory: list the items assigned to it.
};

struct DropshipPollerOptions {
  std::chrono::milliseconds every{std::chrono::minutes{5}};
  std::chrono::milliseconds backfill{std::chrono::hours{24}};  ///< First read of a factory shop.
  std::chrono::milliseconds overlap{std::chrono::minutes{2}};  ///< Each pass re-reads this much (D11).
  std::chrono::milliseconds window{std::chrono::minutes{30}};  ///< iop.orderList's longest window.
};

class DropshipPoller {
 public:
  DropshipPoller(store::Store& store, workflows::dropship::DropshipService& service, AdapterLookup adapters,
                 std::shared_ptr<const SyncClock> clock);
  ~DropshipPoller();
  DropshipPoller(const DropshipPoller&) = delete;
  DropshipPoller& operator=(const DropshipPoller&) = delete;

  /// The shops to read and how often; starts the worker on first use. A pass follows at once.
  void configure(DropshipPollerOptions options, std::vector<DropshipShop> shops);
  /// Reads the shop again now (a dropship push came for it); every shop when `shop` is empty.
  void nudge(const std::string& shop = "");
  /// Passes completed so far (tests and erpctl wait on it).
  std::uint64_t passes() const;
  void stop();

 private:
  void run();
  void poll(const DropshipShop& shop);
  void poll_bindings(const DropshipShop& shop, sdk::PlatformAdapter& adapter);
  void poll_assigned(const DropshipShop& shop, sdk::PlatformAdapter& adapter);

  store::Store& store_;
  workflows::dropship::DropshipService& service_;
  AdapterLookup adapters_;
  std::shared_ptr<const SyncClock> clock_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  DropshipPollerOptions options_;
  std::vector<DropshipShop> shops_;
  std::set<std::string> nudged_;
  bool all_nudged_ = false;
  bool stopped_ = false;
  std::uint64_t passes_ = 0;
  std::thread thread_;
};

}  // namespace erp::daemon::sync
