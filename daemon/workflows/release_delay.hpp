#pragma once
// Holds a freshly paid order for a configured while before it goes to the warehouse: buyers
// change addresses and cancel most often in the first minutes after paying, and catching that
// before picking starts is far cheaper than an intercept afterwards. The hold lifts itself.

#include <atomic>
#include <chrono>

#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows {

/// Hold reason code of the delay (stable: API, erpctl and logs show it).
inline constexpr const char* kReleaseDelayReason = "RELEASE_DELAY";

class ReleaseDelay final : public Workflow {
 public:
  explicit ReleaseDelay(store::Store& store) : store_(store) {}

  /// 0 turns it off; a reload changes it for orders paid from then on.
  void set_delay(std::chrono::milliseconds delay) noexcept { delay_ms_ = delay.count(); }

  const char* name() const noexcept override { return "release_delay"; }
  void on_order_changed(store::Tx& tx, const store::StoredOrder& order, store::UpsertOutcome outcome,
                        Instant now) override;

 private:
  store::Store& store_;
  std::atomic<std::chrono::milliseconds::rep> delay_ms_{0};
};

}  // namespace erp::daemon::workflows
