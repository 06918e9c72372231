// erp-tmall: Tmall shops over the TOP protocol, with Tmall's extra fields switched on
// (one_yuan_reservation_orders, rules G2/G3; Tmall Global types, rules S6/S7). All logic lives in
// erp_top (plugins/top/); this file is only the manifest and factory export (CONVENTIONS 2, 7).

#include <memory>

#include "erp/plugin.hpp"
#include "plugins/top/top_factory.hpp"

namespace {
std::unique_ptr<erp::sdk::PluginFactory> make_tmall_factory() {
  return erp::plugins::top::make_top_factory(/*tmall=*/true);
}
}  // namespace

ERP_PLUGIN(platform, "tmall", "1.0.0", &make_tmall_factory);
