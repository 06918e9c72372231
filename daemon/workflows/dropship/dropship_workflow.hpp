#pragma once
// The dropship workflow's place in the order pipeline: every new platform version of an order is
// shown to the dropship service (automatic assignment D4, shipments D7, buyer cancellations D8).

#include "workflows/dropship/dropship_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::dropship {

using DropshipWorkflow = ServiceWorkflow<DropshipService>;

}  // namespace erp::daemon::workflows::dropship
