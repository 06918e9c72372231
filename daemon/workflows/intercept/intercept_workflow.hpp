#pragma once
// The intercept workflow's place in the order pipeline: every new platform version of an order
// is shown to the intercept service (memo text appearing or going, refunds, platform shipments).

#include "workflows/intercept/intercept_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::intercept {

using InterceptWorkflow = ServiceWorkflow<InterceptService>;

}  // namespace erp::daemon::workflows::intercept
