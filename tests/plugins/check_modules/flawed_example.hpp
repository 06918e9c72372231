#pragma once
// Test plugins for erp-plugin-check: the plugin template (sdk/template/example_plugin.cpp), each
// with one deliberate breach of the SDK contract, so the tests prove that erp-plugin-check names
// the check that catches it. The template's code is compiled in unchanged and wrapped; only its
// ERP_PLUGIN line is silenced, since each module exports itself under its own name.

#include <memory>
#include <string>
#include <utility>

#include "erp/plugin.hpp"

#pragma push_macro("ERP_PLUGIN")
#undef ERP_PLUGIN
#define ERP_PLUGIN(...) static_assert(true)
#include "example_plugin.cpp"
#undef ERP_PLUGIN
#pragma pop_macro("ERP_PLUGIN")

namespace erp::test::flawed {

/// The template's adapter, its orders labelled with this module's name (erpd requires an order's
/// platform to be the plugin's name). A flaw overrides the call it breaks.
class ForwardingAdapter : public sdk::PlatformAdapter {
 public:
  ForwardingAdapter(std::unique_ptr<sdk::PlatformAdapter> inner, sdk::HostContext& host, std::string name)
      : inner_(std::move(inner)), host_(host), name_(std::move(name)) {}

  sdk::Capabilities capabilities() const override { return inner_->capabilities(); }

  sdk::Result<sdk::OrderPage> list_modified(const sdk::ModifiedWindow& window, const std::string& page) override {
    auto listed = inner_->list_modified(window, page);
    if (listed) {
      for (auto& order : listed->orders) order.platform = name_;
    }
    return listed;
  }

  sdk::Result<sdk::Order> get_order(const std::string& order_id) override {
    auto order = inner_->get_order(order_id);
    if (order) order->platform = name_;
    return order;
  }

 protected:
  std::unique_ptr<sdk::PlatformAdapter> inner_;
  sdk::HostContext& host_;
  std::string name_;
};

/// The template's factory, making `Flawed` adapters around the template's own.
template <class Flawed>
class FlawedFactory final : public sdk::PluginFactory {
 public:
  explicit FlawedFactory(std::string name) : inner_(make_factory()), name_(std::move(name)) {}

  std::vector<sdk::ConfigKeySpec> config_keys() const override { return inner_->config_keys(); }

  sdk::Result<std::unique_ptr<sdk::PlatformAdapter>> create_platform_adapter(sdk::HostContext& host) override {
    auto made = inner_->create_platform_adapter(host);
    if (!made) return std::move(made).error();
    return std::unique_ptr<sdk::PlatformAdapter>(std::make_unique<Flawed>(std::move(made).value(), host, name_));
  }

 private:
  std::unique_ptr<sdk::PluginFactory> inner_;
  std::string name_;
};

}  // namespace erp::test::flawed
