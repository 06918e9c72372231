#include "workflows/gift/gift_lines.hpp"

#include "workflows/gift/gift_match.hpp"

namespace erp::daemon::workflows::gift {

std::vector<sdk::AddedLine> gift_lines(store::Store& store, const OrderKey& main) {
  std::vector<sdk::AddedLine> out;
  for (const auto& link : store.gift_links_of_main(main, false)) {
    const auto reservation = store.get_order(link.reservation);
    if (!reservation) continue;
    for (const auto& line : reservation->order.lines) {
      if (refunded(line)) continue;
      sdk::AddedLine added;
      added.line.line_id = std::string(kGiftLinePrefix) + link.reservation.order_id + ":" + line.line_id;
      added.line.item_id = line.item_id;
      added.line.sku = line.sku;
      added.line.outer_sku = line.outer_sku;
      added.line.title = line.title;
      added.line.quantity = line.quantity;
      added.line.status = sdk::OrderStatus::paid;
      // The buyer paid the 1 yuan on the reservation order; in this parcel it is free.
      added.line.price = sdk::Money{0};
      added.line.paid = sdk::Money{0};
      added.rule_id = kGiftLineRule;
      added.fulfils = {link.reservation.order_id};
      out.push_back(std::move(added));
    }
  }
  return out;
}

}  // namespace erp::daemon::workflows::gift
