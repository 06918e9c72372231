#pragma once
// The factory the erp-qimen module exports: the config keys and one QimenConnector per warehouse
// entry, its options checked first.

#include <memory>

#include "erp/plugin.hpp"

namespace erp::plugins::qimen {

std::unique_ptr<sdk::PluginFactory> make_qimen_factory();

}  // namespace erp::plugins::qimen
