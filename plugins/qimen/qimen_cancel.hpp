#pragma once
// order.cancel (WAREHOUSE-QIMEN.md §1, "Cancellation"): an intercept lock as one cancel per
// delivery the WMS holds of the order.

#include <string>

#include "erp/warehouse.hpp"
#include "plugins/qimen/qimen_config.hpp"
#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {

/// The <request> cancelling delivery `delivery_code` (all of it, or the lines of
/// request.line_ids as subSourceOrders/subSourceOrder/subSourceOrderCode).
Node order_cancel_payload(const sdk::LockRequest& request, const std::string& delivery_code, const QimenConfig& config);

}  // namespace erp::plugins::qimen
