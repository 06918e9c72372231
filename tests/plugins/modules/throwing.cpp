// Loads fine, then throws from its methods. create_platform_adapter throws when the config says so.
// The adapter's get_order throws only if the SDK lets it: a throw out of a noexcept function
// calls std::terminate before any handler in the host can run (see kAdapterCallsMayThrow).

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "erp/plugin.hpp"

namespace {

using namespace erp::sdk;

constexpr bool kAdapterCallsNoexcept =
    noexcept(std::declval<PlatformAdapter&>().get_order(std::declval<const std::string&>()));

[[noreturn]] void boom(const std::string& what) { throw std::runtime_error(what); }

class ThrowingAdapter final : public PlatformAdapter {
 public:
  Capabilities capabilities() const noexcept override { return {}; }
  Result<OrderPage> list_modified(const ModifiedWindow&, const std::string&) noexcept override { return OrderPage{}; }
  Result<Order> get_order(const std::string& order_id) noexcept(kAdapterCallsNoexcept) override {
    if constexpr (!kAdapterCallsNoexcept) boom("get_order blew up on " + order_id);
    return fail(ErrorCode::internal, "cannot throw through a noexcept interface");
  }
};

class Factory final : public PluginFactory {
 public:
  Result<std::unique_ptr<PlatformAdapter>> create_platform_adapter(HostContext& host) override {
    if (host.config().get("throw_on_create")) boom("create blew up");
    return std::unique_ptr<PlatformAdapter>(std::make_unique<ThrowingAdapter>());
  }
};

std::unique_ptr<PluginFactory> make_factory() { return std::make_unique<Factory>(); }

}  // namespace

ERP_PLUGIN(platform, "test_throwing", "1.0.0", &make_factory);
