#pragma once
// One reader per top-level config section. Each reads its part of the root map into the typed
// config and reports what is wrong; none stops at the first problem.

#include <filesystem>
#include <vector>

#include "config/calendar_file.hpp"
#include "config/config.hpp"
#include "config/dropship_settings.hpp"
#include "config/map_reader.hpp"

namespace erp::daemon::config::detail {

/// The keys allowed at the top of the file.
std::span<const std::string_view> root_keys();

DatabaseConfig read_database(const MapReader& root, const ReadContext& context);
PluginsConfig read_plugins(const MapReader& root, const ReadContext& context);
/// `database` is read first: the token file defaults to `api.token` next to the database.
ApiConfig read_api(const MapReader& root, const ReadContext& context, const DatabaseConfig& database);
/// `shops`: read before, so the inbound path can be kept off their push paths.
WarehouseConfig read_warehouse(const MapReader& root, const ReadContext& context, const std::vector<ShopConfig>& shops);
OutboxConfig read_outbox(const MapReader& root);
SyncConfig read_sync(const MapReader& root);
LogConfig read_log(const MapReader& root);
/// `release_delay`, `intercept`, `gift`, `dropship` and `deadlines`. What workflows.dropship names
/// in other sections goes to `dropship_references`, for check_dropship_references once the shops
/// are read. `deadlines.calendars` is resolved (and checked to exist when given) but not read:
/// the loader reads the calendars from it before the shops.
WorkflowsConfig read_workflows(const MapReader& root, const ReadContext& context,
                               DropshipReferences& dropship_references);
/// `workflows` is read first: each shop's `intercept:` and `gift:` are merged over their defaults.
/// A shop's `dropship:` map holds only its role. Its `deadlines.activities` name calendars of
/// `calendars` (null: the calendars directory was reported, the names are not checked).
std::vector<ShopConfig> read_shops(const MapReader& root, const ReadContext& context, const WorkflowsConfig& workflows,
                                   const LoadedCalendars* calendars);

}  // namespace erp::daemon::config::detail
