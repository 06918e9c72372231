#include "plugins/top/top_config.hpp"

namespace erp::plugins::top {

std::vector<sdk::ConfigKeySpec> top_config_keys() {
  return {
      {"page_size", sdk::ConfigType::integer, false, "100",
       "Trades per taobao.trades.sold.increment.get page, 1-100 (TOP's limit)."},
      {"timeout", sdk::ConfigType::duration, false, "30s",
       "How long one TOP call may take (100ms to 5m) before its outcome counts as unknown."},
  };
}

}  // namespace erp::plugins::top
