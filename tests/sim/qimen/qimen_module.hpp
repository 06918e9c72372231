#pragma once
// platform-sim's Qimen (奇门) WMS module: plays a warehouse system speaking the Qimen warehouse
// standard. It serves the ERP's deliveryorder.create and order.cancel at /router/qimen/service
// (signed query, raw XML or JSON body, <response> answers) and makes the WMS's own calls to the
// ERP's inbound URL (deliveryorder.confirm, orderprocess.report, stockchange.report) when scenario
// events or its settings say so. Protocol facts: /work/shared/WAREHOUSE-QIMEN.md §2, §3.

#include <chrono>
#include <memory>

#include "core/module.hpp"

namespace erp::sim {

/// The Qimen module as the core sees it, plus what only tests need.
class QimenModule : public PlatformModule {
 public:
  /// Waits until every call queued for the ERP was made and settled (answered, or given up
  /// after its retries); false on timeout.
  virtual bool wait_sent(std::chrono::milliseconds timeout) = 0;
};

/// Factory the core calls (the same declaration as in core/modules.hpp).
std::unique_ptr<PlatformModule> make_qimen_module(Context& context);

}  // namespace erp::sim
