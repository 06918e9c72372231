#include "plugins/top/top_factory.hpp"

#include "plugins/common/page_size_option.hpp"
#include "plugins/top/top_adapter.hpp"
#include "plugins/top/top_config.hpp"
#include "plugins/top/top_sign.hpp"

namespace erp::plugins::top {
namespace {

class TopFactory final : public sdk::PluginFactory {
 public:
  explicit TopFactory(bool tmall) : tmall_(tmall) {}

  std::vector<sdk::ConfigKeySpec> config_keys() const override { return top_config_keys(); }

  sdk::Result<std::unique_ptr<sdk::PlatformAdapter>> create_platform_adapter(sdk::HostContext& host) override {
    // The host checked the type (integer); the range is TOP's and only the plugin knows it.
    if (page_size_option(host.config(), kDefaultPageSize) < 1) {
      return sdk::fail(sdk::ErrorCode::config_error, "page_size must be an integer from 1 to 100");
    }
    if (const auto timeout = host.config().get("timeout"); timeout && !parse_timeout(*timeout)) {
      return sdk::fail(sdk::ErrorCode::config_error, "timeout must be a duration from 100ms to 5m, like 10s");
    }
    const std::string method = host.config().get_or("sign_method", "hmac-sha256");
    if (!sign_method_from_string(method)) {
      return sdk::fail(sdk::ErrorCode::config_error, "sign_method must be md5, hmac or hmac-sha256");
    }
    return std::unique_ptr<sdk::PlatformAdapter>(new TopAdapter(host, AdapterOptions{tmall_}));
  }

 private:
  bool tmall_;
};

}  // namespace

std::unique_ptr<sdk::PluginFactory> make_top_factory(bool tmall) { return std::make_unique<TopFactory>(tmall); }

}  // namespace erp::plugins::top
