#include "plugins/douyin/douyin_config.hpp"

namespace erp::plugins::douyin {

std::vector<sdk::ConfigKeySpec> douyin_config_keys() {
  return {
      {"refresh_token", sdk::ConfigType::secret, false, "",
       "The refresh_token token.create gave with the access_token. With it an expired access_token is "
       "renewed by token.refresh and the new pair kept in the database; without it the shop needs "
       "re-authorization when the token expires."},
      {"douyin_shop_id", sdk::ConfigType::string, false, "",
       "Douyin's own id of this shop. When set, pushes about other shops of the same app are left "
       "to them: needed when several shops share one push_path."},
      {"page_size", sdk::ConfigType::integer, false, "100", "Orders per order.searchList page, 1-100."},
      {"timeout", sdk::ConfigType::duration, false, "12s",
       "How long one Douyin call may take (100ms to 5m) before its outcome counts as unknown."},
  };
}

}  // namespace erp::plugins::douyin
