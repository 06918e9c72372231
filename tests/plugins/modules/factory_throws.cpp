// The factory throws: the first plugin code the host runs must not take the daemon down.

#include <memory>
#include <stdexcept>

#include "erp/plugin.hpp"

namespace {
std::unique_ptr<erp::sdk::PluginFactory> make_factory() { throw std::runtime_error("factory exploded"); }
}  // namespace

ERP_PLUGIN(platform, "test_factorythrows", "1.0.0", &make_factory);
