// The deadline settings (rules S1, S5, S8): workflows.deadlines and shops[].deadlines.

#include "config/deadline_settings.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "config/suggest.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::config::detail {

namespace {

constexpr std::string_view kDeadlinesKey = "deadlines";
constexpr std::array<std::string_view, 6> kDeadlineKeys{"calendars",      "promised",    "at_risk_before",
                                                        "warehouse_lead", "sweep_every", "tracking_feed"};
constexpr std::array<std::string_view, 2> kShopDeadlineKeys{"promised", "activities"};
constexpr std::chrono::milliseconds kNoMinimum{0};

// An at-risk warning as long as the promise itself would flag every order the moment it is paid.
bool warns_at_once(std::chrono::milliseconds promised, std::chrono::milliseconds at_risk_before) {
  return at_risk_before >= promised;
}

constexpr std::string_view kAtOnce = ": every order would be at risk as soon as it is paid";

// For `promised` (of workflows.deadlines or a shop) not longer than the warning.
std::string promised_too_short(std::chrono::milliseconds promised, std::chrono::milliseconds at_risk_before) {
  return "must be longer than workflows.deadlines.at_risk_before (" + format_duration(at_risk_before) + "), got " +
         format_duration(promised) + std::string(kAtOnce);
}

// The explicitly given calendars directory, when it is one; reported otherwise.
std::filesystem::path read_calendars_dir(const MapReader& section, const ReadContext& context) {
  const auto dir = section.file_path("calendars", Need::required, context.base);
  if (!dir) return {};
  std::error_code ec;
  const auto status = std::filesystem::status(*dir, ec);
  if (!std::filesystem::exists(status)) {
    section.report("calendars", "directory " + dir->string() +
                                    " does not exist; it holds the holiday calendars (*.yaml, rule S5). Leave "
                                    "calendars out to use " +
                                    std::string(kDefaultCalendarsDir) + " beside this file, which may be missing");
    return {};
  }
  if (!std::filesystem::is_directory(status)) {
    section.report("calendars", dir->string() +
                                    " is not a directory; give the directory holding the holiday "
                                    "calendars (*.yaml, rule S5)");
    return {};
  }
  return *dir;
}

// The file names (without .yaml) of the calendar files that had problems: an activity naming one
// of them is not blamed again, the problem is reported in that file.
std::vector<std::string> calendars_with_problems(const LoadedCalendars& calendars) {
  std::vector<std::string> out;
  for (const ConfigIssue& issue : calendars.issues) {
    std::string stem = std::filesystem::path(issue.file).stem().string();
    if (std::find(out.begin(), out.end(), stem) == out.end()) out.push_back(std::move(stem));
  }
  return out;
}

void check_activity(const MapReader& section, int line, const std::string& path, const std::string& id,
                    std::string_view platform, const std::filesystem::path& dir, const LoadedCalendars& calendars) {
  const auto& windows = calendars.calendar.windows;
  const auto window =
      std::find_if(windows.begin(), windows.end(), [&](const deadline::HolidayWindow& w) { return w.id == id; });
  if (window == windows.end()) {
    const auto broken = calendars_with_problems(calendars);
    if (std::find(broken.begin(), broken.end(), id) != broken.end()) return;
    std::vector<std::string_view> ids;
    for (const deadline::HolidayWindow& w : windows) ids.push_back(w.id);
    section.sink().add(line, path,
                       in_quotes(id) + " names no holiday calendar of " + dir.string() + did_you_mean(id, ids));
    return;
  }
  if (!platform.empty() &&
      std::find(window->platforms.begin(), window->platforms.end(), platform) == window->platforms.end()) {
    std::string platforms;
    for (const std::string& p : window->platforms) platforms += (platforms.empty() ? "" : ", ") + p;
    section.sink().add(line, path,
                       "calendar " + in_quotes(id) + " is for " + platforms + " orders and this shop is a " +
                           in_quotes(platform) + " shop: its holiday window never applies here");
  }
}

std::vector<std::string> read_activities(const MapReader& section, std::string_view platform,
                                         const std::filesystem::path& dir, const LoadedCalendars* calendars) {
  std::vector<std::string> out;
  const MapReader::Entry* entry = section.find("activities");
  if (entry == nullptr) return out;
  constexpr std::string_view kShape = "a list of holiday calendar ids ([tmall-2024-spring-festival])";
  if (entry->value.IsNull()) {
    section.report("activities", "has no value; write " + std::string(kShape) + ", or [] for none");
    return out;
  }
  if (!entry->value.IsSequence()) {
    section.report("activities", "must be " + std::string(kShape) + ", got " + std::string(kind_of(entry->value)));
    return out;
  }
  std::map<std::string, int> listed;
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string path = section.path_of("activities") + "[" + std::to_string(index++) + "]";
    const int line = item.IsNull() || line_of(item) == 0 ? entry->line : line_of(item);
    if (!item.IsScalar()) {
      section.sink().add(line, path, "must be a holiday calendar id, got " + std::string(kind_of(item)));
      continue;
    }
    const std::string& id = item.Scalar();
    if (id.empty()) {
      section.sink().add(line, path, "must not be empty");
      continue;
    }
    if (const auto first = listed.find(id); first != listed.end()) {
      section.sink().add(line, path,
                         in_quotes(id) + " is listed twice (first at line " + std::to_string(first->second) + ")");
      continue;
    }
    listed.emplace(id, line);
    if (calendars != nullptr) check_activity(section, line, path, id, platform, dir, *calendars);
    out.push_back(id);
  }
  return out;
}

}  // namespace

DeadlineConfig read_deadlines(const MapReader& workflows, const ReadContext& context) {
  const MapReader section = workflows.child(kDeadlinesKey, kDeadlineKeys);
  DeadlineConfig out;
  if (section.find("calendars") != nullptr) {
    out.calendars = read_calendars_dir(section, context);
  } else {
    out.calendars = (context.base / kDefaultCalendarsDir).lexically_normal();
  }
  const auto promised = section.duration("promised", kMinPromised);
  if (promised) out.promised = *promised;
  if (const auto before = section.duration("at_risk_before", kNoMinimum)) {
    if (warns_at_once(out.promised, *before)) {
      section.report("at_risk_before", "must be less than promised (" + format_duration(out.promised) + "), got " +
                                           format_duration(*before) + std::string(kAtOnce));
    } else {
      out.at_risk_before = *before;
    }
  } else if (promised && warns_at_once(out.promised, out.at_risk_before)) {
    section.report("promised", promised_too_short(out.promised, out.at_risk_before));
  }
  if (const auto lead = section.duration("warehouse_lead", kNoMinimum)) out.warehouse_lead = *lead;
  if (const auto every = section.duration("sweep_every", kMinDeadlineSweepEvery)) out.sweep_every = *every;
  if (const auto feed = section.boolean("tracking_feed")) out.tracking_feed = *feed;
  return out;
}

ShopDeadlines read_shop_deadlines(const MapReader& shop, std::string_view platform, const DeadlineConfig& defaults,
                                  const LoadedCalendars* calendars) {
  const MapReader section = shop.child(kDeadlinesKey, kShopDeadlineKeys);
  ShopDeadlines out;
  if (const auto promised = section.duration("promised", kMinPromised)) {
    if (warns_at_once(*promised, defaults.at_risk_before)) {
      section.report("promised", promised_too_short(*promised, defaults.at_risk_before));
    } else {
      out.promised = *promised;
    }
  }
  out.activities = read_activities(section, platform, defaults.calendars, calendars);
  return out;
}

}  // namespace erp::daemon::config::detail
