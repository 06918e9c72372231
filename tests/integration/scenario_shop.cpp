#include "integration/scenario_shop.hpp"

namespace erp::test {

std::string ScenarioShop::order_id(int n) const {
  std::string digits = std::to_string(n);
  const std::size_t width = douyin() ? 19 : 15;
  return prefix + std::string(width - prefix.size() - digits.size(), '0') + digits;
}

std::string ScenarioShop::line_id(const std::string& order, int k) const {
  if (douyin()) return "694" + order.substr(4) + std::to_string(k);
  return order + std::to_string(k);
}

std::string ScenarioShop::scenario_shop(const std::string& push_url) const {
  if (douyin()) return douyin_scenario_shop(dy(), push_url);
  const TopShop t = top();
  return "  - {id: " + id + ", platform: " + platform + ", app_key: " + t.app_key() +
         ", app_secret: " + t.app_secret() + ", session: " + t.session() + "}\n";
}

std::string ScenarioShop::event(const std::string& type, const std::string& keys) const {
  return "  - {at: \"+0s\", shop: " + id + ", type: " + type + ", " + keys + "}\n";
}

std::string ScenarioShop::ref(const std::string& order) const {
  return (douyin() ? "order_id: \"" : "tid: \"") + order + "\"";
}

std::string ScenarioShop::order_event(const std::string& order, int lines) const {
  std::string items;
  for (int k = 1; k <= lines; ++k) {
    const std::string n = std::to_string(k);
    if (k > 1) items += ", ";
    if (douyin()) {
      items += "{sku_order_id: \"" + line_id(order, k) + "\", product_id: \"36000" + n + "\", sku_id: \"17000" + n +
               "\", code: SKU-" + n + ", product_name: 商品" + n + ", qty: 1, price: \"" + n + "9.90\"}";
    } else {
      items += "{" + (lines > 1 ? "oid: \"" + line_id(order, k) + "\", " : std::string()) + "item: \"60" + n +
               "\", sku: \"70" + n + "\", outer_sku: SKU-" + n + ", qty: 1, price: \"" + n + "9.90\"}";
    }
  }
  if (douyin()) {
    return event("order", ref(order) +
                              ", paid: true, receiver: {name: 王小明, phone: \"13812345678\", province: 浙江省, "
                              "city: 杭州市, town: 西湖区, street: 文新街道, detail: \"文三路1号\"}, skus: [" +
                              items + "]");
  }
  return event("order", ref(order) + ", paid: true, lines: [" + items + "]");
}

std::string ScenarioShop::ship_event(const std::string& order) const {
  return douyin() ? event("ship", ref(order) + ", company_code: shunfeng, logistics_code: \"SF" + order + "\"")
                  : event("ship", ref(order) + ", company: SF, out_sid: \"SF" + order + "\"");
}

std::string ScenarioShop::memo_event(const std::string& order, const std::string& text) const {
  return douyin() ? event("memo", ref(order) + ", remark: \"" + text + "\", star: " + (text.empty() ? "0" : "1"))
                  : event("memo", ref(order) + ", text: \"" + text + "\", flag: " + (text.empty() ? "0" : "1"));
}

std::string ScenarioShop::refund_event(const std::string& order, const std::string& line, bool completed) const {
  if (douyin()) {
    return event("refund", ref(order) + (line.empty() ? "" : ", sku_order_id: \"" + line + "\"") +
                               ", status: " + (completed ? "success" : "requested"));
  }
  return event("refund", ref(order) + (line.empty() ? "" : ", oid: \"" + line + "\"") +
                             ", status: " + (completed ? "SUCCESS" : "WAIT_SELLER_AGREE"));
}

}  // namespace erp::test
