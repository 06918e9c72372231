#pragma once
// Platform pushes (webhooks, rule D11) from the API to the shops' fetchers. A push on a path goes
// to every shop served there whose adapter takes pushes; each adapter checks the platform's
// signature. When none accepts, the push is refused in the platform's own shape; otherwise its
// messages go to every accepting shop: a message id seen before is a duplicate (acknowledged,
// not fetched again), a new one is queued for its shop's fetcher, and the platform gets its
// acknowledgement at once, before any fetch. Pushes can be lost and arrive late, twice or out of
// order, so nothing here is the record of an order: the fetch reads the order's current state,
// and the shop's sync keeps polling for whatever a push never told.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sync/push_fetcher.hpp"

namespace erp::daemon::sync {

/// A configured shop and its push path.
struct PushShop {
  std::string platform;
  std::string shop;
  std::string path;
};

class PushIntake {
 public:
  PushIntake(PushDeps deps, std::shared_ptr<const SyncClock> clock, PushOptions options = {});
  ~PushIntake();
  PushIntake(const PushIntake&) = delete;
  PushIntake& operator=(const PushIntake&) = delete;

  /// Serves the shops whose running adapter takes pushes (Capabilities::push_events) on their
  /// paths: starts a fetcher for each new one and stops those of shops that are gone or no
  /// longer take pushes (what they had queued is dropped; the sync reads it).
  void configure(const std::vector<PushShop>& shops);

  /// Called (on the push's thread) for each new message about no order whose topic is
  /// "dropship": the dropship poller reads the shop again (rule D11). Set before pushes arrive.
  void on_dropship_message(std::function<void(const std::string& shop)> listener);

  /// True when some served shop takes pushes on `path` (the raw request path).
  bool is_push_path(const std::string& path) const;

  /// Takes one push on `path` and says what to answer the platform.
  sdk::PushReply receive(const std::string& path, const sdk::PushRequest& request);

  /// Forgets message ids older than PushOptions::keep_ids, at most once per prune_every (the
  /// first call prunes). Returns how many were forgotten.
  int prune_if_due();

  /// Stops every fetcher; later pushes are answered 503.
  void stop();

  /// Waits until no fetch waits or runs (tests). False when `timeout` passed first.
  bool wait_idle(std::chrono::milliseconds timeout) const;

 private:
  struct Served {
    PushShop spec;
    std::shared_ptr<PushFetcher> fetcher;
  };
  void take(const Served& served, const sdk::PushMessage& message);
  void count(const std::string& shop, const char* outcome);

  PushDeps deps_;
  std::shared_ptr<const SyncClock> clock_;
  PushOptions options_;
  std::mutex configure_mutex_;           ///< One configure or stop at a time.
  mutable std::mutex mutex_;             ///< Guards shops_, stopped_, last_prune_.
  std::map<std::string, Served> shops_;  ///< By shop id.
  bool stopped_ = false;
  std::optional<Instant> last_prune_;
  std::function<void(const std::string& shop)> dropship_listener_;
};

}  // namespace erp::daemon::sync
