#pragma once
// deliveryorder.create (WAREHOUSE-QIMEN.md §3.1): a DeliveryOrder as the payload tree. The field
// by field mapping is in README.md.

#include <string>
#include <string_view>

#include "erp/model.hpp"
#include "erp/result.hpp"
#include "erp/warehouse.hpp"
#include "plugins/qimen/qimen_config.hpp"
#include "plugins/qimen/qimen_tree.hpp"

namespace erp::plugins::qimen {

/// sourcePlatformCode: taobao TB, tmall TM, douyin DYXD, anything else OTHERS.
std::string_view source_platform_code(std::string_view platform) noexcept;

/// The order a line comes from and its line id there, as sourceOrderCode and subSourceOrderCode
/// name them: the order's own for a bought line; the reservation order and its line for a gift
/// line "gift:<reservation order>:<line>" (rule G4).
struct LineSource {
  std::string order_id;
  std::string line_id;
};
LineSource line_source(std::string_view order_id, std::string_view line_id);

/// The OAID to send as receiverInfo.oaid: extras["oaid"] when a mapper put one there, else a
/// Taobao or Tmall order's receiver ciphertext (the TOP mapper keeps the trade's oaid there).
/// Empty for other platforms: a Douyin ciphertext is no OAID.
std::string order_oaid(const sdk::Order& order);

/// The <request> of deliveryorder.create. invalid_input when a line has neither outer_sku nor sku
/// (itemCode is required and the WMS knows the item by nothing else).
sdk::Result<Node> delivery_create_payload(const sdk::DeliveryOrder& delivery, const QimenConfig& config,
                                          sdk::Instant now);

}  // namespace erp::plugins::qimen
