#include "integration/fixtures.hpp"

#include "core/time_format.hpp"
#include "erp/privacy.hpp"
#include "store/store.hpp"

namespace erp::test {

fs::path write_config(const TempDir& dir, const ConfigOptions& o) {
  std::string yaml;
  yaml += "database:\n  path: " + (dir / "erpd.db").string() + "\n";
  yaml += "plugins:\n  dir: " + (o.plugins_dir.empty() ? std::string(ERP_PLUGIN_DIR) : o.plugins_dir) + "\n";
  yaml += "api:\n  listen: " + o.api_listen + "\n  token_file: " + (dir / "api.token").string() +
          "\n  port_file: " + (dir / "api.port").string() + "\n";
  yaml += "log:\n  level: " + o.log_level + "\n";
  yaml += "warehouse:\n" + (o.warehouse_yaml.empty() ? std::string("  connector: api\n") : o.warehouse_yaml);
  if (!o.webhook_url.empty()) yaml += "  webhook_url: " + o.webhook_url + "\n  webhook_timeout: 3s\n";
  if (!o.webhook_token.empty()) yaml += "  webhook_token: " + o.webhook_token + "\n";
  yaml += "outbox:\n" + o.outbox_yaml;
  yaml += o.shops_yaml.empty() ? "shops: []\n" : "shops:\n" + o.shops_yaml;
  yaml += o.extra_yaml;
  const auto file = dir / "erpd.yaml";
  write_file(file, yaml, fs::perms::owner_read | fs::perms::owner_write);
  return file;
}

std::string api_url(const TempDir& dir) {
  std::string port = read_file(dir / "api.port");
  while (!port.empty() && (port.back() == '\n' || port.back() == '\r')) port.pop_back();
  return "http://127.0.0.1:" + port;
}

std::string api_token(const TempDir& dir) {
  std::string token = read_file(dir / "api.token");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

CommandResult erpctl(const TempDir& dir, std::vector<std::string> args) {
  std::vector<std::string> argv{erpctl_binary().string(), "--config", (dir / "erpd.yaml").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv);
}

sdk::Order paid_order(const std::string& order_id, int lines, const std::string& plain_name,
                      const std::string& plain_phone) {
  sdk::Order o;
  o.platform = "taobao";
  o.shop = "tb-main";
  o.order_id = order_id;
  o.status = sdk::OrderStatus::paid;
  o.platform_status = "WAIT_SELLER_SEND_GOODS";
  o.created_at = daemon::now_utc() - std::chrono::hours{1};
  o.paid_at = o.created_at + std::chrono::minutes{1};
  o.modified_at = *o.paid_at;
  for (int i = 1; i <= lines; ++i) {
    sdk::OrderLine line;
    line.line_id = order_id + "-" + std::to_string(i);
    line.sku = "SKU" + std::to_string(i);
    line.outer_sku = "OUT-" + std::to_string(i);
    line.title = "商品 " + std::to_string(i);
    line.quantity = i;
    line.price = sdk::Money{1990};
    line.paid = sdk::Money{1990 * i};
    o.total = o.total + line.paid;
    o.lines.push_back(line);
  }
  // The platform's ciphertext is opaque; this stand-in must not contain the plaintext either.
  o.receiver.ciphertext = "#ENC#" + std::to_string(std::hash<std::string>{}(plain_name + plain_phone));
  o.receiver.masked_name = sdk::mask_name(plain_name);
  o.receiver.masked_phone = sdk::mask_phone(plain_phone);
  o.receiver.province = "浙江省";
  o.receiver.city = "杭州市";
  o.receiver.district = "西湖区";
  o.receiver.masked_address = sdk::mask_address("浙江省", "杭州市", "西湖区");
  return o;
}

std::vector<std::int64_t> seed_orders(const TempDir& dir, const std::vector<sdk::Order>& orders, bool hold_each) {
  auto store = daemon::store::Store::open(dir / "erpd.db");
  if (!store) throw std::runtime_error(store.error().message);
  std::vector<std::int64_t> holds;
  const auto now = daemon::now_utc();
  for (const auto& order : orders) {
    auto tx = (*store)->begin();
    (*store)->upsert_order(*tx, order, now);
    if (hold_each) {
      daemon::store::NewHold hold{"MANUAL", "operator:test", "", "check the address first", std::nullopt};
      holds.push_back((*store)->add_hold(*tx, {order.platform, order.shop, order.order_id}, hold, now));
    }
    tx->commit();
  }
  return holds;
}

}  // namespace erp::test
