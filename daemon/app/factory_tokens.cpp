#include "app/factory_tokens.hpp"

#include "api/http_util.hpp"
#include "api/token.hpp"

namespace erp::daemon {

sdk::Result<void> FactoryTokens::load(const std::vector<config::FactoryConfig>& factories) {
  std::map<std::string, std::string> loaded;
  for (const auto& f : factories) {
    auto token = api::load_or_create_token(f.token_file);
    if (!token) {
      return sdk::fail(sdk::ErrorCode::config_error,
                       "workflows.dropship.factories " + f.id + ": " + token.error().message);
    }
    for (const auto& [other, value] : loaded) {
      if (value == *token)
        return sdk::fail(sdk::ErrorCode::config_error, "workflows.dropship.factories " + f.id + " and " + other +
                                                           " hold the same token; give each its own");
    }
    loaded[f.id] = std::move(token).value();
  }
  std::lock_guard lock(mutex_);
  tokens_ = std::move(loaded);
  return {};
}

std::optional<std::string> FactoryTokens::factory_of(std::string_view token) const {
  std::lock_guard lock(mutex_);
  std::optional<std::string> found;
  // Every token is compared, so the time taken says nothing about which one nearly matched.
  for (const auto& [factory, value] : tokens_)
    if (!token.empty() && api::constant_time_equal(token, value)) found = factory;
  return found;
}

}  // namespace erp::daemon
