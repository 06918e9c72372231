#pragma once
// The warehouse's calls in (warehouse.inbound_path): handed to the connector plugin to verify and
// read, applied event by event (inbound_events.hpp), and answered in the warehouse's own shape.
// A call is answered "accepted" only once everything it reported is stored, so a warehouse that
// hears a failure, or nothing, sends it again and loses nothing.

#include <memory>
#include <mutex>
#include <string>

#include "erp/warehouse.hpp"
#include "metrics/metrics.hpp"
#include "warehouse/inbound_events.hpp"

namespace erp::daemon::warehouse {

class InboundIntake {
 public:
  /// `deps.lock_cancels_delivery` is taken from each configured connector.
  InboundIntake(InboundDeps deps, metrics::Registry& metrics);

  /// The running connector and its path; a null connector or empty path takes no calls.
  /// Thread-safe (a reload swaps them while calls arrive).
  void configure(std::string path, std::shared_ptr<sdk::WarehouseConnector> connector);

  bool is_inbound_path(const std::string& path) const;

  /// Verifies, applies and answers one call.
  sdk::PushReply receive(const sdk::WarehouseCall& call);

 private:
  sdk::PushReply answer(sdk::WarehouseConnector& connector, const sdk::WarehouseCall& call,
                        const sdk::InboundOutcome& outcome);
  void count(const std::string& event, const char* outcome);

  InboundDeps deps_;
  metrics::Registry& metrics_;
  mutable std::mutex mutex_;
  std::string path_;
  std::shared_ptr<sdk::WarehouseConnector> connector_;
};

}  // namespace erp::daemon::warehouse
