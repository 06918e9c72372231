#include "plugins/qimen/qimen_factory.hpp"

#include "plugins/qimen/qimen_config.hpp"
#include "plugins/qimen/qimen_connector.hpp"

namespace erp::plugins::qimen {
namespace {

class QimenFactory final : public sdk::PluginFactory {
 public:
  std::vector<sdk::ConfigKeySpec> config_keys() const override { return qimen_config_keys(); }

  sdk::Result<std::unique_ptr<sdk::WarehouseConnector>> create_warehouse_connector(sdk::HostContext& host) override {
    auto config = read_qimen_config(host.config(), host.secrets());
    if (!config) return std::move(config).error();
    return std::unique_ptr<sdk::WarehouseConnector>(new QimenConnector(host, std::move(config).value()));
  }
};

}  // namespace

std::unique_ptr<sdk::PluginFactory> make_qimen_factory() { return std::make_unique<QimenFactory>(); }

}  // namespace erp::plugins::qimen
