// config_keys() throws: the host reads the keys at load time, so this is a refusal.

#include <memory>
#include <stdexcept>

#include "erp/plugin.hpp"

namespace {

class Factory final : public erp::sdk::PluginFactory {
 public:
  std::vector<erp::sdk::ConfigKeySpec> config_keys() const override { throw std::logic_error("no keys today"); }
};

std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return std::make_unique<Factory>(); }

}  // namespace

ERP_PLUGIN(platform, "test_keysthrow", "1.0.0", &make_factory);
