#include "app/status.hpp"

#include "app/version.hpp"
#include "core/time_format.hpp"
#include "erp/version.hpp"

namespace erp::daemon::app {

nlohmann::json sync_status_json(const sync::ShopSyncStatus* status) {
  using nlohmann::json;
  const auto instant = [](const std::optional<sdk::Instant>& t) { return t ? json(format_rfc3339(*t)) : json(nullptr); };
  if (status == nullptr) {
    return json{{"state", "stopped"},      {"cursor", nullptr},     {"last_success_at", nullptr},
                {"last_error", ""},        {"next_attempt_at", nullptr}, {"orders_synced", 0},
                {"quarantined", 0},        {"requests_made", 0}};
  }
  return json{{"state", std::string(sync::to_string(status->state))},
              {"cursor", instant(status->cursor)},
              {"last_success_at", instant(status->last_success_at)},
              {"last_error", status->last_error},
              {"next_attempt_at", instant(status->next_attempt_at)},
              {"orders_synced", status->orders_synced},
              {"quarantined", status->quarantined},
              {"requests_made", status->requests_made}};
}

nlohmann::json build_status(const StatusFacts& f) {
  using nlohmann::json;
  json shops = json::array();
  for (const auto& shop : f.shops) {
    const sync::ShopSyncStatus* sync_status = nullptr;
    for (const auto& s : f.sync) {
      if (s.shop == shop.config.id) sync_status = &s;
    }
    // Where the platform pushes for this shop (rule D11); null when its adapter takes no pushes.
    // The running config has the path: a reload that changed only the path keeps the adapter.
    json push_path = nullptr;
    if (shop.adapter && shop.adapter->capabilities().push_events) {
      for (const auto& configured : f.config.shops) {
        if (configured.id == shop.config.id) push_path = configured.push_path;
      }
    }
    shops.push_back({{"id", shop.config.id},
                     {"platform", shop.config.platform},
                     {"state", shop.state},
                     {"detail", shop.detail},
                     {"plugin_version", shop.plugin ? std::string(shop.plugin->manifest().version) : ""},
                     {"sync", sync_status_json(sync_status)},
                     {"push_path", std::move(push_path)}});
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
  json inbound_path = nullptr;  // the builtin connector's warehouse calls the API instead
  if (!f.config.warehouse.inbound_path.empty()) inbound_path = f.config.warehouse.inbound_path;
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
      {"warehouse",
       {{"connector", f.config.warehouse.connector},
        {"webhook", f.config.warehouse.connector == "api" && !f.config.warehouse.webhook_url.empty()},
        {"inbound_path", std::move(inbound_path)}}},
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
