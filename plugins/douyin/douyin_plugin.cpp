// erp-douyin: Douyin shop (抖店) shops over the Douyin open platform. All logic lives in erp_douyin
// (this folder's static library); this file is only the manifest and factory export
// (CONVENTIONS 2, 7).

#include <memory>

#include "erp/plugin.hpp"
#include "plugins/douyin/douyin_factory.hpp"

namespace {
std::unique_ptr<erp::sdk::PluginFactory> make_factory() { return erp::plugins::douyin::make_douyin_factory(); }
}  // namespace

ERP_PLUGIN(platform, "douyin", "1.0.0", &make_factory);
