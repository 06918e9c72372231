#pragma once
// One fully populated order for the order JSON tests: every field set, Chinese text included.

#include "core/time_format.hpp"
#include "erp/model.hpp"

namespace erp::test {

inline sdk::Order sample() {
  sdk::Order o;
  o.platform = "tmall";
  o.shop = "tm1";
  o.order_id = "4000123";
  o.status = sdk::OrderStatus::partially_shipped;
  o.platform_status = "SELLER_CONSIGNED_PART";
  o.kind = sdk::OrderKind::presale;
  o.cross_border = sdk::CrossBorderType::direct_mail;
  o.created_at = *daemon::parse_rfc3339("2026-11-11T00:00:01Z");
  o.paid_at = *daemon::parse_rfc3339("2026-11-11T00:00:05Z");
  o.modified_at = *daemon::parse_rfc3339("2026-11-11T01:00:00.5Z");
  o.total = sdk::Money{59800};
  o.lines.push_back({"L1", "I1", "S1", "OUT1", "大衣", 2, sdk::Money{29900}, sdk::Money{59800},
                     sdk::OrderStatus::shipped, sdk::RefundStatus::requested,
                     *daemon::parse_rfc3339("2026-11-12T03:04:05Z"), "SF1234567890", "顺丰速运"});
  o.receiver = {"#cipher#", "张*", "138****5678", "浙江省****", "浙江省", "杭州市", "西湖区"};
  o.buyer_ref = "AAEx";
  o.memo = "拦截";
  o.memo_flag = 2;
  o.ship_by = *daemon::parse_rfc3339("2026-11-13T00:00:05Z");
  o.reservation_order_ids = {"R1", "R2"};
  o.extras = {{"step_trade_status", "FRONT_PAID_FINAL_NOPAID"}};
  return o;
}

}  // namespace erp::test
