#pragma once
// The deadline engine's place in the order pipeline: every new platform version of an order gets
// its ship-by recomputed and its state and alerts settled (rules S1-S4).

#include "workflows/deadline/deadline_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::deadline {

using DeadlineWorkflow = ServiceWorkflow<DeadlineService>;

}  // namespace erp::daemon::workflows::deadline
