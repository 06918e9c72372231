#include "app/status.hpp"

#include "app/version.hpp"
#include "core/time_format.hpp"
#include "erp/version.hpp"

namespace erp::daemon::app {

nlohmann::json build_status(const StatusFacts& f) {
  using nlohmann::json;
  json shops = json::array();
  for (const auto& shop : f.shops) {
    shops.push_back({{"id", shop.config.id},
                     {"platform", shop.config.platform},
                     {"state", shop.state},
                     {"detail", shop.detail},
                     {"plugin_version", shop.plugin ? std::string(shop.plugin->manifest().version) : ""}});
  }
  json plugins = json::array();
  for (const auto& plugin : f.plugins) {
    plugins.push_back({{"name", plugin->name()},
                       {"version", std::string(plugin->manifest().version)},
                       {"kind", plugin->kind() == sdk::PluginKind::platform ? "platform" : "warehouse"},
                       {"file", plugin->file().string()},
                       {"failed", plugin->failed()}});
  }
  json last_reload = nullptr;
  if (f.last_reload) {
    last_reload = {{"at", format_rfc3339(f.last_reload->at)},
                   {"ok", f.last_reload->ok},
                   {"message", f.last_reload->message}};
  }
  const auto& c = f.counts;
  return json{
      {"version", kDaemonVersion},
      {"abi_version", sdk::kAbiVersion},
      {"state", f.state},
      {"started_at", format_rfc3339(f.started_at)},
      {"uptime_seconds", std::chrono::duration_cast<std::chrono::seconds>(f.now - f.started_at).count()},
      {"config_file", f.config.source.string()},
      {"last_reload", std::move(last_reload)},
      {"database", {{"path", f.config.database.path.string()}, {"schema_version", f.schema_version}}},
      {"api", {{"listen", f.config.api.listen_host + ":" + std::to_string(f.api_port)}}},
      {"shops", std::move(shops)},
      {"plugins", std::move(plugins)},
      {"warehouse", {{"connector", f.config.warehouse.connector}, {"webhook", f.config.warehouse.connector == "api" && !f.config.warehouse.webhook_url.empty()}}},
      {"counts",
       {{"orders", c.orders},
        {"held_orders", c.held_orders},
        {"released_orders", c.released_orders},
        {"active_holds", c.active_holds},
        {"outbox_pending", c.outbox_pending},
        {"outbox_in_flight", c.outbox_in_flight},
        {"outbox_dead", c.outbox_dead},
        {"quarantined", c.quarantined}}},
  };
}

}  // namespace erp::daemon::app
