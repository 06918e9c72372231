#include "plugins/douyin/douyin_factory.hpp"

#include "plugins/common/page_size_option.hpp"
#include "plugins/common/timeout_option.hpp"
#include "plugins/douyin/douyin_adapter.hpp"
#include "plugins/douyin/douyin_config.hpp"
#include "plugins/douyin/douyin_sign.hpp"

namespace erp::plugins::douyin {
namespace {

class DouyinFactory final : public sdk::PluginFactory {
 public:
  std::vector<sdk::ConfigKeySpec> config_keys() const override { return douyin_config_keys(); }

  sdk::Result<std::unique_ptr<sdk::PlatformAdapter>> create_platform_adapter(sdk::HostContext& host) override {
    // The host checked the types; the ranges are Douyin's and only the plugin knows them.
    if (page_size_option(host.config(), kDefaultPageSize) < 1) {
      return sdk::fail(sdk::ErrorCode::config_error, "page_size must be an integer from 1 to 100");
    }
    if (const auto timeout = host.config().get("timeout"); timeout && !parse_timeout(*timeout)) {
      return sdk::fail(sdk::ErrorCode::config_error, "timeout must be a duration from 100ms to 5m, like 10s");
    }
    if (!sign_method_from_string(host.config().get_or("sign_method", "hmac-sha256"))) {
      return sdk::fail(sdk::ErrorCode::config_error, "sign_method must be hmac-sha256 or md5");
    }
    return std::unique_ptr<sdk::PlatformAdapter>(new DouyinAdapter(host));
  }
};

}  // namespace

std::unique_ptr<sdk::PluginFactory> make_douyin_factory() { return std::make_unique<DouyinFactory>(); }

}  // namespace erp::plugins::douyin
