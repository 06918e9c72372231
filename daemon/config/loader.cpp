// Entry points: read the file, parse the YAML, walk the sections. Nothing escapes as an
// exception: a config that cannot be read is one more issue to print.

#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <iterator>
#include <optional>
#include <system_error>
#include <vector>

#include "config/calendar_file.hpp"
#include "config/dropship_settings.hpp"
#include "config/issues.hpp"
#include "config/map_reader.hpp"
#include "config/sections.hpp"
#include "config/source_text.hpp"
#include "config/yaml_document.hpp"

namespace erp::daemon::config {

namespace {

using detail::IssueSink;

std::filesystem::path absolute_or_same(const std::filesystem::path& file) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(file, ec);
  return ec ? file : absolute.lexically_normal();
}

// `calendar_issues` receives the problems of the holiday calendars, each in its own file.
Config walk(const YAML::Node& document, const std::filesystem::path& source, const LoadOptions& options,
            IssueSink& sink, std::vector<ConfigIssue>& calendar_issues) {
  Config config;
  config.source = source;
  const detail::ReadContext context{source.parent_path(), options.resolve_secrets};
  const detail::MapReader root(document, "", detail::line_of(document), detail::root_keys(), sink);
  config.database = detail::read_database(root, context);
  config.plugins = detail::read_plugins(root, context);
  config.api = detail::read_api(root, context, config.database);
  // Workflows before shops: a shop's workflow settings (intercept, gift) are merged over the defaults.
  detail::DropshipReferences dropship_references;
  config.workflows = detail::read_workflows(root, context, dropship_references);
  // The calendars before shops: a shop's deadlines.activities name them (S8). An empty directory
  // path: the given one was reported, nothing to read.
  std::optional<LoadedCalendars> calendars;
  if (!config.workflows.deadlines.calendars.empty()) {
    calendars = load_calendars(config.workflows.deadlines.calendars);
  }
  config.shops = detail::read_shops(root, context, config.workflows, calendars ? &*calendars : nullptr);
  if (calendars) {
    config.calendar = std::move(calendars->calendar);
    calendar_issues = std::move(calendars->issues);
  }
  // Dropship after shops: factories and rules name shops by id and role (D1), and the API's token.
  detail::check_dropship_references(dropship_references, config.api, config.shops, sink);
  config.warehouse = detail::read_warehouse(root, context, config.shops);
  config.outbox = detail::read_outbox(root);
  config.sync = detail::read_sync(root);
  config.log = detail::read_log(root);
  return config;
}

}  // namespace

LoadResult parse_config(std::string_view yaml, const std::filesystem::path& file) {
  return parse_config(yaml, file, LoadOptions{});
}

LoadResult load_config(const std::filesystem::path& file) { return load_config(file, LoadOptions{}); }

LoadResult parse_config(std::string_view yaml, const std::filesystem::path& file, const LoadOptions& options) {
  LoadResult result;
  IssueSink sink(file.string());
  std::vector<ConfigIssue> calendar_issues;
  try {
    if (const auto document = detail::parse_document(yaml, sink)) {
      Config config = walk(*document, absolute_or_same(file), options, sink, calendar_issues);
      if (sink.empty() && calendar_issues.empty()) result.config = std::move(config);
    }
  } catch (const std::exception& e) {
    // Not expected: every value is checked before use. Still a message, never a crash.
    sink.add(0, "", std::string("could not read the config: ") + e.what());
  } catch (...) {
    sink.add(0, "", "could not read the config: unknown error");
  }
  result.issues = sink.take();
  // The config file's problems first, then the calendars', file by file.
  result.issues.insert(result.issues.end(), std::make_move_iterator(calendar_issues.begin()),
                       std::make_move_iterator(calendar_issues.end()));
  return result;
}

LoadResult load_config(const std::filesystem::path& file, const LoadOptions& options) {
  try {
    auto source = detail::read_source(file);
    if (!source.text) {
      IssueSink sink(file.string());
      sink.add(0, "", std::move(source.error));
      return LoadResult{std::nullopt, sink.take()};
    }
    return parse_config(*source.text, file, options);
  } catch (...) {
    // Only allocation can fail here; report it rather than take the daemon down.
    LoadResult result;
    result.issues.push_back(ConfigIssue{file.string(), 0, "", "could not read the config file"});
    return result;
  }
}

}  // namespace erp::daemon::config
