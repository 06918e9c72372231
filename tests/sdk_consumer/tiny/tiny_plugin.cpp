// erp-tiny: the smallest useful platform plugin, written against the installed SDK only.
// Options: greeting (string, default "hello"): put in every order's extras["greeting"];
//          orders (integer, default 0): how many fixed paid orders "tiny-1".."tiny-N" every
//          modified-time window lists, so a daemon test can watch orders flow from a plugin.

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <erp/sdk.hpp>
#include <memory>
#include <string>

namespace {

using namespace erp::sdk;

// 2024-01-01T00:00:00Z: fixed, so listing the same order again is not a newer update.
constexpr std::int64_t kModifiedMs = 1704067200000;

class TinyAdapter final : public PlatformAdapter {
 public:
  explicit TinyAdapter(HostContext& host) : host_(host) {}

  Capabilities capabilities() const noexcept override {
    Capabilities caps;
    caps.incremental_sync = true;
    caps.memo_write = true;
    return caps;
  }

  Result<OrderPage> list_modified(const ModifiedWindow&, const std::string& page) noexcept override {
    if (!page.empty()) return fail(ErrorCode::invalid_input, "tiny lists one page per window");
    OrderPage result;
    // The host validated `orders` as an integer; strtol still cannot throw out of this noexcept call.
    const long count = std::strtol(host_.config().get_or("orders", "0").c_str(), nullptr, 10);
    for (long i = 1; i <= count; ++i) result.orders.push_back(make_order("tiny-" + std::to_string(i)));
    return result;
  }

  Result<Order> get_order(const std::string& order_id) noexcept override {
    if (order_id.empty()) return fail(ErrorCode::not_found, "empty order id");
    host_.logger().debug("get_order " + order_id);
    return make_order(order_id);
  }

  Result<void> write_memo(const MemoUpdate&) noexcept override { return {}; }

  Result<ShipmentReceipt> ship(const Shipment&) noexcept override { return ShipmentReceipt{false, "tiny shipped"}; }

 private:
  Order make_order(const std::string& order_id) const {
    Order order;
    order.platform = "tiny";
    order.shop = host_.config().get_or("id", "");
    order.order_id = order_id;
    order.status = OrderStatus::paid;
    order.platform_status = "PAID";
    order.created_at = Instant{std::chrono::milliseconds{kModifiedMs}};
    order.paid_at = order.created_at;
    order.modified_at = order.created_at;
    order.total = Money{1990};
    OrderLine line;
    line.line_id = order_id + "-1";
    line.sku = "sku-1";
    line.outer_sku = "TINY-SKU-1";
    line.title = "Tiny thing";
    line.quantity = 1;
    line.price = Money{1990};
    line.paid = Money{1990};
    order.lines.push_back(line);
    order.extras["greeting"] = host_.config().get_or("greeting", "hello");
    return order;
  }

  HostContext& host_;
};

class TinyFactory final : public PluginFactory {
 public:
  std::vector<ConfigKeySpec> config_keys() const override {
    return {{"greeting", ConfigType::string, false, "hello", "Put in every order's extras."},
            {"orders", ConfigType::integer, false, "0", "How many fixed orders each window lists."}};
  }

  Result<std::unique_ptr<PlatformAdapter>> create_platform_adapter(HostContext& host) override {
    return std::unique_ptr<PlatformAdapter>(new TinyAdapter(host));
  }
};

std::unique_ptr<PluginFactory> make_tiny_factory() { return std::make_unique<TinyFactory>(); }

}  // namespace

ERP_PLUGIN(platform, "tiny", "1.0.0", &make_tiny_factory);
