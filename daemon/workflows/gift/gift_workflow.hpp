#pragma once
// The gift workflow's place in the order pipeline: every new platform version of an order is
// shown to the gift service (a reservation order arriving, a repurchase's tag, shipments, refunds).

#include "workflows/gift/gift_service.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::daemon::workflows::gift {

using GiftWorkflow = ServiceWorkflow<GiftService>;

}  // namespace erp::daemon::workflows::gift
