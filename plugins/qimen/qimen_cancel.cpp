#include "plugins/qimen/qimen_cancel.hpp"

#include "plugins/qimen/qimen_delivery.hpp"

namespace erp::plugins::qimen {

Node order_cancel_payload(const sdk::LockRequest& request, const std::string& delivery_code,
                          const QimenConfig& config) {
  Node out;
  out.name = "request";
  out.leaf("warehouseCode", config.warehouse_code);
  out.leaf("ownerCode", config.owner_code);
  out.leaf("orderCode", delivery_code);
  out.leaf("orderType", "JYCK");
  out.leaf("cancelReason", "buyer asked not to ship (intercept " + std::to_string(request.intercept_id) + ")");
  if (!request.line_ids.empty()) {
    // The lines as deliveryorder.create named them in subSourceOrderCode.
    Node& lines = out.add("subSourceOrders");
    lines.list = true;
    for (const auto& line_id : request.line_ids) {
      lines.add("subSourceOrder").leaf("subSourceOrderCode", line_source(request.order_id, line_id).line_id);
    }
  }
  return out;
}

}  // namespace erp::plugins::qimen
