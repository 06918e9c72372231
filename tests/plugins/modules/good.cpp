// A well-behaved platform plugin: the reference every refusal test is a variation of.

#include <memory>
#include <string>

#include "erp/plugin.hpp"

namespace {

using namespace erp::sdk;

class GoodAdapter final : public PlatformAdapter {
 public:
  explicit GoodAdapter(HostContext& host) : host_(host) { host_.logger().info("adapter created"); }
  // Uses the context while being destroyed: proves the host releases the adapter before the context.
  ~GoodAdapter() override { host_.logger().info("adapter destroyed"); }

  Capabilities capabilities() const noexcept override {
    Capabilities caps;
    caps.memo_write = true;
    caps.max_window_seconds = 1800;
    return caps;
  }

  Result<OrderPage> list_modified(const ModifiedWindow&, const std::string& page) noexcept override {
    if (!page.empty()) return fail(ErrorCode::invalid_input, "unknown page token");
    return OrderPage{};
  }

  Result<Order> get_order(const std::string& order_id) noexcept override {
    if (order_id.empty()) return fail(ErrorCode::not_found, "no such order");
    host_.logger().info("get_order " + order_id);
    Order order;
    order.platform = "test_good";
    order.shop = host_.config().get_or("id", "");
    order.order_id = order_id;
    order.modified_at = host_.clock().now();
    order.extras["base_url"] = host_.config().get_or("base_url", "");
    order.extras["greeting"] = host_.config().get_or("greeting", "");
    order.extras["has_app_secret"] = host_.secrets().get("app_secret").ok() ? "yes" : "no";
    return order;
  }

  Result<void> write_memo(const MemoUpdate& update) noexcept override {
    if (update.flag < 0 || update.flag > 5) return fail(ErrorCode::invalid_input, "flag out of range");
    return {};
  }

 private:
  HostContext& host_;
};

class GoodFactory final : public PluginFactory {
 public:
  std::vector<ConfigKeySpec> config_keys() const override {
    return {
        {"greeting", ConfigType::string, false, "hello", "Said in every order's extras."},
        {"page_size", ConfigType::integer, false, "50", "Orders per page."},
        {"use_push", ConfigType::boolean, false, "", "Listen to pushes."},
        {"window", ConfigType::duration, false, "30m", "Sync window."},
        {"region", ConfigType::string, true, "", "Required region."},
        {"api_token", ConfigType::secret, false, "", "Extra credential."},
    };
  }

  Result<std::unique_ptr<PlatformAdapter>> create_platform_adapter(HostContext& host) override {
    if (host.config().get("refuse")) return fail(ErrorCode::config_error, "refused by request");
    return std::unique_ptr<PlatformAdapter>(std::make_unique<GoodAdapter>(host));
  }
};

std::unique_ptr<PluginFactory> make_factory() { return std::make_unique<GoodFactory>(); }

}  // namespace

ERP_PLUGIN(platform, "test_good", "1.2.3", &make_factory);
