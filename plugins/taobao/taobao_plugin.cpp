// erp-taobao: Taobao shops over the TOP protocol. All logic lives in erp_top (plugins/top/);
// this file is only the plugin's manifest and factory export (CONVENTIONS 2, 7).

#include <memory>

#include "erp/plugin.hpp"
#include "plugins/top/top_factory.hpp"

namespace {
std::unique_ptr<erp::sdk::PluginFactory> make_taobao_factory() {
  return erp::plugins::top::make_top_factory(/*tmall=*/false);
}
}  // namespace

ERP_PLUGIN(platform, "taobao", "1.0.0", &make_taobao_factory);
