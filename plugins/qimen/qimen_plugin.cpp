// erp-qimen: a warehouse connector speaking the Qimen (奇门) warehouse standard to a WMS. All
// logic lives in erp_qimen (this folder's static library); this file is only the manifest and
// factory export (CONVENTIONS 2, 7).

#include <memory>

#include "erp/plugin.hpp"
#include "plugins/qimen/qimen_factory.hpp"

namespace {
std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return erp::plugins::qimen::make_qimen_factory(); }
}  // namespace

ERP_PLUGIN(warehouse, "qimen", "1.0.0", &make_factory);
