#pragma once
// The factory the erp-douyin module exports: config keys and one DouyinAdapter per shop.

#include <memory>

#include "erp/plugin.hpp"

namespace erp::plugins::douyin {

std::unique_ptr<sdk::PluginFactory> make_douyin_factory();

}  // namespace erp::plugins::douyin
