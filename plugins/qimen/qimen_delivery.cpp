#include "plugins/qimen/qimen_delivery.hpp"

#include <optional>

#include "erp/money.hpp"
#include "plugins/qimen/qimen_time.hpp"

namespace erp::plugins::qimen {
namespace {

constexpr std::string_view kGiftPrefix = "gift:";

std::optional<std::int64_t> times(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<std::int64_t> plus(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::string yuan(std::int64_t fen) { return sdk::format_yuan(sdk::Money{fen}); }

/// The paid price of one unit, to the nearest fen (half up); the unit price when nothing says more.
std::int64_t unit_paid(const sdk::OrderLine& line) noexcept {
  if (line.quantity <= 0) return line.price.fen;
  const std::int64_t paid = line.paid.fen;
  if (paid < 0) return 0;
  const std::int64_t rest = paid % line.quantity;
  return paid / line.quantity + (rest >= line.quantity - rest ? 1 : 0);
}

std::string_view source_platform_name(std::string_view platform) noexcept {
  if (platform == "taobao") return "淘宝";
  if (platform == "tmall") return "天猫";
  if (platform == "douyin") return "抖音小店";
  return platform;
}

void add_receiver(Node& delivery_order, const sdk::Order& order, const std::string& oaid) {
  Node& receiver = delivery_order.add("receiverInfo");
  // Masked forms only (rule D10): the WMS that prints the waybill exchanges the OAID for the real
  // receiver (receiverinfo.query), or the platform's e-waybill flow does.
  receiver.leaf("name", order.receiver.masked_name);
  receiver.leaf("mobile", order.receiver.masked_phone);
  receiver.leaf("province", order.receiver.province);
  receiver.leaf("city", order.receiver.city);
  receiver.leaf("area", order.receiver.district);
  receiver.leaf("detailAddress", order.receiver.masked_address);
  receiver.leaf("oaid", oaid);
}

void add_sender(Node& delivery_order, const SenderInfo& sender) {
  Node& node = delivery_order.add("senderInfo");
  node.leaf("name", sender.name);
  node.leaf("mobile", sender.mobile);
  node.leaf("province", sender.province);
  node.leaf("city", sender.city);
  node.leaf("detailAddress", sender.address);
}

/// One orderLine; false when the line has no code the WMS knows the item by.
bool add_line(Node& lines, const sdk::OrderLine& line, const LineSource& source, const QimenConfig& config, bool gift) {
  const std::string& item_code = line.outer_sku.empty() ? line.sku : line.outer_sku;
  if (item_code.empty()) return false;
  Node& node = lines.add("orderLine");
  node.leaf("orderLineNo", line.line_id);
  node.leaf("sourceOrderCode", source.order_id);
  node.leaf("subSourceOrderCode", source.line_id);
  node.leaf("ownerCode", config.owner_code);
  node.leaf("itemCode", item_code);
  node.leaf("itemName", line.title);
  node.leaf("planQty", std::to_string(line.quantity));
  node.leaf("retailPrice", yuan(gift ? 0 : line.price.fen));
  node.leaf("actualPrice", yuan(gift ? 0 : unit_paid(line)));
  if (!gift) {
    // What the buyer did not pay of the line's list value: the line's discount.
    const auto list_value = times(line.price.fen, line.quantity);
    if (list_value && *list_value > line.paid.fen) node.leaf("discountAmount", yuan(*list_value - line.paid.fen));
  }
  if (gift && config.gift_mark == GiftMark::remark) node.leaf("remark", config.gift_remark);
  if (gift && config.gift_mark == GiftMark::extend_props) node.add("extendProps").leaf(config.gift_key, "1");
  return true;
}

}  // namespace

std::string_view source_platform_code(std::string_view platform) noexcept {
  if (platform == "taobao") return "TB";
  if (platform == "tmall") return "TM";
  if (platform == "douyin") return "DYXD";
  return "OTHERS";
}

LineSource line_source(std::string_view order_id, std::string_view line_id) {
  if (line_id.substr(0, kGiftPrefix.size()) == kGiftPrefix) {
    const std::string_view rest = line_id.substr(kGiftPrefix.size());
    const std::size_t colon = rest.rfind(':');
    if (colon != std::string_view::npos && colon > 0 && colon + 1 < rest.size()) {
      return LineSource{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1))};
    }
  }
  return LineSource{std::string(order_id), std::string(line_id)};
}

std::string order_oaid(const sdk::Order& order) {
  if (const auto it = order.extras.find("oaid"); it != order.extras.end() && !it->second.empty()) return it->second;
  if (order.platform == "taobao" || order.platform == "tmall") return order.receiver.ciphertext;
  return {};
}

sdk::Result<Node> delivery_create_payload(const sdk::DeliveryOrder& delivery, const QimenConfig& config,
                                          sdk::Instant now) {
  const sdk::Order& order = delivery.order;
  Node request;
  request.name = "request";
  Node& head = request.add("deliveryOrder");
  head.leaf("deliveryOrderCode", delivery.delivery_code.empty() ? order.order_id : delivery.delivery_code);
  head.leaf("orderType", "JYCK");
  head.leaf("warehouseCode", config.warehouse_code);
  head.leaf("sourcePlatformCode", std::string(source_platform_code(order.platform)));
  head.leaf("sourcePlatformName", std::string(source_platform_name(order.platform)));
  head.leaf("createTime", format_china_time(now));
  head.leaf("placeOrderTime", format_china_time(order.created_at));
  if (order.paid_at) head.leaf("payTime", format_china_time(*order.paid_at));
  head.leaf("operateTime", format_china_time(now));
  head.leaf("shopNick", order.shop);
  head.leaf("totalAmount", yuan(order.total.fen));
  std::optional<std::int64_t> item_amount = 0;
  for (const auto& line : order.lines) {
    const auto value = times(line.price.fen, line.quantity);
    item_amount = value && item_amount ? plus(*item_amount, *value) : std::nullopt;
  }
  if (item_amount) head.leaf("itemAmount", yuan(*item_amount));
  head.leaf("logisticsCode", config.logistics_code);
  if (order.ship_by) head.leaf("latestDeliveryTime", format_china_time(*order.ship_by));
  const std::string oaid = order_oaid(order);
  if (!oaid.empty()) head.leaf("oaidOrderSourceCode", order.order_id);
  if (config.sender) add_sender(head, *config.sender);
  add_receiver(head, order, oaid);

  Node& lines = request.add("orderLines");
  lines.list = true;
  for (const auto& line : order.lines) {
    if (!add_line(lines, line, LineSource{order.order_id, line.line_id}, config, false)) {
      return sdk::fail(sdk::ErrorCode::invalid_input, "line " + line.line_id + " of order " + order.order_id +
                                                          " has no outer_sku or sku for itemCode");
    }
  }
  for (const auto& added : delivery.added_lines) {
    LineSource source = line_source(order.order_id, added.line.line_id);
    if (!added.fulfils.empty()) source.order_id = added.fulfils.front();
    if (!add_line(lines, added.line, source, config, true)) {
      return sdk::fail(sdk::ErrorCode::invalid_input,
                       "gift line " + added.line.line_id + " has no outer_sku or sku for itemCode");
    }
  }
  return request;
}

}  // namespace erp::plugins::qimen
