#include "config/calendar_file.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>

#include "config/issues.hpp"
#include "config/map_reader.hpp"
#include "config/value_rules.hpp"
#include "config/yaml_document.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::config {
namespace {

using detail::IssueSink;
using detail::MapReader;
using detail::Need;
using deadline::HolidayWindow;
using deadline::TimeWindow;

constexpr std::array<std::string_view, 16> kKeys{
    "id",           "name",          "platforms",     "paid",
    "ship_by",      "ship_by_rule",  "cross_border",  "activity_keeps_own_rules",
    "stall_relaxed", "pickup",       "complaint_disabled_until", "invoice",
    "after_sale",   "pickup_hours",  "first_hub_hours", "standing"};
// What only a dated notice can say, so not the platform's standing rules.
constexpr std::array<std::string_view, 6> kDatedKeys{"ship_by", "cross_border", "pickup", "complaint_disabled_until",
                                                     "invoice", "after_sale"};
constexpr int kMaxHours = 240;
constexpr std::array<std::string_view, 2> kWindowKeys{"from", "until"};
constexpr std::array<std::string_view, 4> kCrossBorderKeys{"rule", "bonded_import", "direct_mail",
                                                           "consolidated_import"};
constexpr std::array<std::string_view, 2> kPickupKeys{"on_time_by", "activity_hours"};
constexpr std::array<std::string_view, 2> kInvoiceKeys{"window", "days"};
constexpr std::array<std::string_view, 2> kAfterSaleKeys{"window", "days"};
constexpr int kMaxDays = 90;

/// A notice's time: "YYYY-MM-DD HH:MM:SS", Asia/Shanghai, to the second (the notices' own form).
std::optional<deadline::Instant> read_time(const MapReader& map, std::string_view key, Need need) {
  const auto text = map.text(key, need);
  if (!text) return std::nullopt;
  const auto at = parse_cst(*text);
  if (!at || text->size() != 19) {
    map.report(key, "must be a China time \"YYYY-MM-DD HH:MM:SS\" (Asia/Shanghai, as the notice gives it), got " +
                        detail::in_quotes(*text));
    return std::nullopt;
  }
  return at;
}

std::optional<TimeWindow> read_window(const MapReader& parent, std::string_view key, Need need) {
  if (!parent.find(key)) {
    if (need == Need::required) parent.report_missing(key, "{from: \"YYYY-MM-DD 00:00:00\", until: \"YYYY-MM-DD 23:59:59\"}");
    return std::nullopt;
  }
  const MapReader map = parent.child(key, kWindowKeys);
  const auto from = read_time(map, "from", Need::required);
  const auto until = read_time(map, "until", Need::required);
  if (!from || !until) return std::nullopt;
  if (*until < *from) {
    map.report("until", "is before from (" + format_cst(*from) + "); both ends are included");
    return std::nullopt;
  }
  return TimeWindow{*from, *until};
}

std::optional<int> read_days(const MapReader& map, std::string_view key) {
  const auto days = map.whole_number(key, 1);
  if (days && *days > kMaxDays) {
    map.report(key, "must be 1 to " + std::to_string(kMaxDays) + " days, got " + std::to_string(*days));
    return std::nullopt;
  }
  return days;
}

std::string read_rule(const MapReader& map, std::string_view key, std::string fallback) {
  const auto rule = map.text(key, Need::optional);
  if (!rule) return fallback;
  if (rule->size() < 2 || (*rule)[0] != 'S' || !std::all_of(rule->begin() + 1, rule->end(), ::isdigit)) {
    map.report(key, "must be a rule id of DOMAIN.md's S rules (S5, S7 ...), got " + detail::in_quotes(*rule));
    return fallback;
  }
  return *rule;
}

std::vector<std::string> read_platforms(const MapReader& map) {
  std::vector<std::string> out;
  const MapReader::Entry* entry = map.find("platforms");
  if (!entry) {
    map.report_missing("platforms", "the plugin names it applies to, e.g. [tmall]");
    return out;
  }
  if (!entry->value.IsSequence() || entry->value.size() == 0) {
    map.report("platforms", "must be a non-empty list of platform names ([tmall]), got " +
                                std::string(detail::kind_of(entry->value)));
    return out;
  }
  std::size_t index = 0;
  for (const YAML::Node& item : entry->value) {
    const std::string path = "platforms[" + std::to_string(index++) + "]";
    const int line = detail::line_of(item) == 0 ? entry->line : detail::line_of(item);
    const std::string name = item.IsScalar() ? item.Scalar() : "";
    if (const auto wrong = detail::check_plugin_name(name); !wrong.empty()) {
      map.sink().add(line, path, wrong);
    } else if (std::find(out.begin(), out.end(), name) != out.end()) {
      map.sink().add(line, path, detail::in_quotes(name) + " is listed twice");
    } else {
      out.push_back(name);
    }
  }
  return out;
}

void read_cross_border(const MapReader& root, HolidayWindow& w) {
  if (!root.find("cross_border")) return;
  const MapReader map = root.child("cross_border", kCrossBorderKeys);
  w.cross_border_rule = read_rule(map, "rule", w.cross_border_rule);
  for (const auto key : {"bonded_import", "direct_mail", "consolidated_import"}) {
    const auto type = sdk::cross_border_from_string(key);
    if (const auto at = read_time(map, key, Need::optional); at && type) w.ship_by_cross_border[*type] = *at;
  }
}

std::optional<HolidayWindow> read_notice(const YAML::Node& root, const std::string& file, IssueSink& sink) {
  const MapReader map(root, "", 1, kKeys, sink);
  if (!map.usable()) return std::nullopt;
  HolidayWindow w;
  w.file = file;
  if (const auto id = map.text("id", Need::required)) {
    if (const auto wrong = detail::check_shop_id(*id); !wrong.empty()) {
      map.report("id", wrong);
    } else {
      w.id = *id;
    }
  }
  w.name = map.text("name", Need::optional).value_or(w.id);
  w.platforms = read_platforms(map);
  // `standing: true` says it outright: a notice that lost its paid window is a mistake, not the
  // platform's standing rules.
  w.standing = map.boolean("standing").value_or(false);
  std::optional<TimeWindow> paid;
  if (!w.standing) {
    paid = read_window(map, "paid", Need::required);
    if (paid) w.paid = *paid;
  } else {
    if (map.find("paid")) map.report("paid", "is not for standing rules: they have no window (or drop standing)");
    for (const auto key : kDatedKeys)
      if (map.find(key)) map.report(key, "needs a paid window: standing rules have none");
  }
  for (const auto key : {"pickup_hours", "first_hub_hours"}) {
    const auto hours = map.whole_number(key, 1);
    if (hours && *hours > kMaxHours) {
      map.report(key, "must be 1 to " + std::to_string(kMaxHours) + " hours, got " + std::to_string(*hours));
    } else if (hours) {
      (std::string_view(key) == "pickup_hours" ? w.pickup_hours : w.first_hub_hours) = *hours;
    }
  }
  w.ship_by = read_time(map, "ship_by", Need::optional);
  w.ship_by_rule = read_rule(map, "ship_by_rule", w.ship_by_rule);
  read_cross_border(map, w);
  if (paid && w.ship_by && *w.ship_by < paid->until)
    map.report("ship_by", "is before the end of the paid window (" + format_cst(paid->until) + ")");
  w.activity_keeps_own_rules = map.boolean("activity_keeps_own_rules").value_or(true);
  w.stall_relaxed = map.boolean("stall_relaxed").value_or(false);
  if (map.find("pickup")) {
    const MapReader pickup = map.child("pickup", kPickupKeys);
    w.pickup_on_time_by = read_time(pickup, "on_time_by", Need::optional);
    if (const auto hours = pickup.whole_number("activity_hours", 1)) w.activity_pickup_hours = *hours;
  }
  w.complaint_disabled_until = read_time(map, "complaint_disabled_until", Need::optional);
  if (map.find("invoice")) {
    const MapReader invoice = map.child("invoice", kInvoiceKeys);
    w.invoice_window = read_window(invoice, "window", Need::required);
    w.invoice_days = read_days(invoice, "days");
    if (!invoice.find("days")) invoice.report_missing("days", "the days an invoice is due within (S12)");
  }
  if (map.find("after_sale")) {
    const MapReader after_sale = map.child("after_sale", kAfterSaleKeys);
    w.after_sale_window = read_window(after_sale, "window", Need::required);
    std::vector<std::string_view> steps(std::begin(deadline::kAfterSaleSteps), std::end(deadline::kAfterSaleSteps));
    const MapReader days = after_sale.child("days", steps);
    for (const auto step : steps)
      if (const auto n = read_days(days, step)) w.after_sale_days[std::string(step)] = *n;
  }
  return w;
}

/// Two notices for one platform whose paid windows meet: which one would an order follow?
void check_overlaps(const std::vector<HolidayWindow>& windows, std::vector<ConfigIssue>& issues) {
  for (std::size_t i = 0; i < windows.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto& a = windows[j];
      const auto& b = windows[i];
      if (a.id == b.id) {
        issues.push_back({b.file, 1, "id", detail::in_quotes(b.id) + " is the id of " + a.file + " too"});
        continue;
      }
      if (a.standing != b.standing) continue;  // A dated notice goes before the standing rules.
      const bool share = std::any_of(a.platforms.begin(), a.platforms.end(), [&](const std::string& p) {
        return std::find(b.platforms.begin(), b.platforms.end(), p) != b.platforms.end();
      });
      if (share && a.paid.from <= b.paid.until && b.paid.from <= a.paid.until)
        issues.push_back(a.standing ? ConfigIssue{b.file, 1, "platforms",
                                                  "names a platform " + a.id + " (" + a.file +
                                                      ") has standing rules for too; an order would follow two"}
                                    : ConfigIssue{b.file, 1, "paid",
                                                  "overlaps the paid window of " + a.id + " (" + a.file +
                                                      ") on a platform both name; an order would follow two notices"});
    }
  }
}

}  // namespace

LoadedCalendars read_calendar_text(std::string_view text, const std::string& file) {
  LoadedCalendars out;
  IssueSink sink(file);
  if (const auto root = detail::parse_document(text, sink)) {
    auto notice = read_notice(*root, file, sink);
    if (notice && sink.empty()) out.calendar.windows.push_back(std::move(*notice));
  }
  out.issues = sink.take();
  return out;
}

LoadedCalendars load_calendars(const std::filesystem::path& dir) {
  LoadedCalendars out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto one = read_calendar_text(text, path.string());
    for (auto& w : one.calendar.windows) out.calendar.windows.push_back(std::move(w));
    out.issues.insert(out.issues.end(), one.issues.begin(), one.issues.end());
  }
  check_overlaps(out.calendar.windows, out.issues);
  return out;
}

}  // namespace erp::daemon::config
