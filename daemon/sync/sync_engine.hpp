#pragma once
// Runs every enabled shop's sync on its own worker thread.
//
// DESIGN.md sketches each shop's sync on an Asio strand. The adapter contract is blocking
// (list_modified goes through the host's libcurl easy client and may take the whole HTTP
// timeout), so on the shared io_context a few slow shops would starve the API and each other. A
// thread per shop, sleeping on a condition variable between polls, keeps every blocking call off
// the io_context and makes "stop" a flag checked between pages plus a notify.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sync/shop_sync.hpp"

namespace erp::daemon::sync {

class SyncEngine {
 public:
  SyncEngine(ShopSyncDeps deps, std::shared_ptr<const SyncClock> clock);
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  /// Brings the workers in line with `shops` (enabled shops with an adapter; those whose adapter
  /// has no incremental_sync capability get no worker): starts added ones,
  /// stops removed ones, restarts those whose adapter, poll interval or sync settings changed;
  /// unchanged workers keep running.
  void apply(const config::SyncConfig& sync, std::vector<ShopSyncSpec> shops);
  /// Stops every worker and waits for them: each leaves at the next page boundary (a request in
  /// flight ends by its own HTTP timeout).
  void stop();
  /// "Sync now": wakes the shop's worker. False when no worker runs for that shop.
  bool sync_now(const std::string& shop);
  /// Every running shop's status, by shop id.
  std::vector<ShopSyncStatus> statuses() const;

 private:
  struct Worker {
    std::shared_ptr<ShopSync> sync;
    std::thread thread;
  };

  Worker start(const ShopSyncSpec& spec, const config::SyncConfig& sync);
  static void halt(std::vector<Worker>& workers);

  ShopSyncDeps deps_;
  std::shared_ptr<const SyncClock> clock_;
  std::mutex apply_mutex_;    ///< One apply/stop at a time.
  mutable std::mutex mutex_;  ///< Guards workers_ (read by the API's threads).
  std::map<std::string, Worker> workers_;
};

}  // namespace erp::daemon::sync
