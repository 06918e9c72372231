// The deadline settings (rules S1, S5, S8): workflows.deadlines (the calendars' directory, the
// promised ship time, the warnings), a shop's `deadlines:` map, and the holiday calendars read
// and checked with the config, each problem as FILE:LINE: key.path in the file it is in.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "config_test_support.hpp"

namespace erp::daemon::config {
namespace {

using namespace std::chrono_literals;
using testing::all_issues;
using testing::kFile;
using testing::kMinimal;
using testing::TempDir;
using testing::yaml;

const std::filesystem::path kShippedCalendars = std::filesystem::path(ERP_SOURCE_DIR) / "config/calendars";

/// A calendar file that loads (the 2025 Spring Festival notice, as the deadline tests write it).
constexpr std::string_view kGoodCalendar = R"(id: tmall-2025-spring-festival
name: 天猫 2025 春节
platforms: [tmall]
paid: {from: "2025-01-20 00:00:00", until: "2025-02-04 23:59:59"}
ship_by: "2025-02-06 23:59:59"
ship_by_rule: S7
)";

/// kMinimal (lines 1-4) plus a Tmall shop tm-1 (line 6, its last key at line 10) followed by
/// `extra_tm` (indented by 4, from line 11), a Taobao shop tb-1 followed by `extra_tb`, then
/// `workflows` as given.
std::string two_shops(std::string_view extra_tm, std::string_view extra_tb, std::string_view workflows = "") {
  std::string out = std::string(kMinimal) + yaml(R"(
shops:
  - id: tm-1
    platform: tmall
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
)") + std::string(extra_tm) +
                    yaml(R"(
  - id: tb-1
    platform: taobao
    base_url: https://eco.taobao.com/router/rest
    app_key: k
    app_secret: s
)") + std::string(extra_tb);
  return out + std::string(workflows);
}

/// `workflows:\n  deadlines:\n    calendars: DIR\n`
std::string calendars_at(const std::filesystem::path& dir) {
  return "workflows:\n  deadlines:\n    calendars: " + dir.string() + "\n";
}

/// `text` with the commented block starting at `header` ("  # deadlines:") turned into YAML: the
/// block's lines lose their "# ", its explanations ("  #   # ...") are dropped. The block ends at
/// the first line that is not indented below the header's key.
std::string uncomment_block(const std::string& text, const std::string& header) {
  const std::string prefix = header.substr(0, header.find('#') + 2);
  const std::string indent = header.substr(0, header.find('#'));
  std::istringstream in(text);
  std::string out;
  bool in_block = false;
  for (std::string line; std::getline(in, line);) {
    if (line == header) {
      in_block = true;
      out += indent + line.substr(prefix.size()) + "\n";
      continue;
    }
    if (in_block && line.starts_with(prefix + " ")) {
      const std::string body = line.substr(prefix.size());
      if (body[body.find_first_not_of(' ')] == '#') continue;
      out += indent + body + "\n";
      continue;
    }
    in_block = false;
    out += line + "\n";
  }
  return out;
}

TEST_CASE("S1 workflows.deadlines defaults and promised per shop") {
  TempDir dir;  // No calendars directory beside the config: the default may be missing.

  SUBCASE("absent: the struct's defaults, calendars beside the config file, no holiday windows") {
    const auto result = parse_config(two_shops("", ""), dir / "erpd.yaml");
    INFO(all_issues(result));
    REQUIRE(result.config);
    DeadlineConfig expected;
    expected.calendars = dir / "calendars";
    CHECK(result.config->workflows.deadlines == expected);
    CHECK(result.config->workflows.deadlines.promised == 48h);
    CHECK(result.config->workflows.deadlines.at_risk_before == 4h);
    CHECK(result.config->workflows.deadlines.warehouse_lead == 2h);
    CHECK(result.config->workflows.deadlines.sweep_every == 1min);
    CHECK_FALSE(result.config->workflows.deadlines.tracking_feed);  // S2: no feed, no pickup alerts
    CHECK(result.config->calendar.windows.empty());
    for (const auto& shop : result.config->shops) CHECK(shop.deadlines == ShopDeadlines{});

    // An empty map (or ~) is no settings.
    for (const std::string body : {"workflows:\n  deadlines:\n", "workflows:\n  deadlines: {}\n"}) {
      const auto empty = parse_config(two_shops("", "", body), dir / "erpd.yaml");
      INFO(body << all_issues(empty));
      REQUIRE(empty.config);
      CHECK(empty.config->workflows.deadlines == expected);
    }
  }

  SUBCASE("every key set, and a shop's own promised ship time") {
    dir.write("cal/tmall-2025.yaml", kGoodCalendar);
    const auto result = parse_config(two_shops("    deadlines:\n      promised: 24h\n", "    deadlines: {}\n", yaml(R"(
workflows:
  deadlines:
    calendars: cal
    promised: 3d
    at_risk_before: 6h
    warehouse_lead: 0s
    sweep_every: 30s
    tracking_feed: true
)")),
                                     dir / "erpd.yaml");
    INFO(all_issues(result));
    REQUIRE(result.config);
    const DeadlineConfig& d = result.config->workflows.deadlines;
    CHECK(d.calendars == dir / "cal");  // relative to the config file's directory
    CHECK(d.promised == 72h);
    CHECK(d.at_risk_before == 6h);
    CHECK(d.warehouse_lead == 0s);
    CHECK(d.sweep_every == 30s);
    CHECK(d.tracking_feed);
    REQUIRE(result.config->shops.size() == 2);
    CHECK(result.config->shops[0].deadlines.promised == 24h);
    CHECK(result.config->shops[1].deadlines.promised == std::nullopt);
    REQUIRE(result.config->calendar.windows.size() == 1);
    CHECK(result.config->calendar.windows[0].id == "tmall-2025-spring-festival");
  }

  SUBCASE("an absolute calendars directory is taken as given") {
    const auto result = parse_config(two_shops("", "", calendars_at(kShippedCalendars)), kFile);
    INFO(all_issues(result));
    REQUIRE(result.config);
    CHECK(result.config->workflows.deadlines.calendars == kShippedCalendars.lexically_normal());
    CHECK(result.config->calendar.windows.size() == 3);
  }
}

TEST_CASE("S1 workflows.deadlines and shops[].deadlines: bad durations and unknown keys with file, line and key") {
  const auto result = parse_config(two_shops(yaml(R"(
    deadlines:
      promised: 30m
      activites: []
)"),
                                             yaml(R"(
    deadlines:
      promised: 3h
)"),
                                             yaml(R"(
workflows:
  deadlines:
    promised: soon
    at_risk_before: -1h
    warehouse_lead: [2h]
    sweep_every: 500ms
    promise: 48h
)")),
                                   kFile);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 8);
  ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:12: shops[0].deadlines.promised: must be at least 1h, got '30m'");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:13: shops[0].deadlines.activites: unknown key 'activites' (did you mean "
                    "'activities'?)");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:20: shops[1].deadlines.promised: must be longer than "
                    "workflows.deadlines.at_risk_before (4h), got 3h: every order would be at risk as soon as it "
                    "is paid");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:23: workflows.deadlines.promised: 'soon' is not a duration; write a whole "
                    "number and a unit: 250ms, 30s, 5m, 4h or 2d");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:24: workflows.deadlines.at_risk_before: '-1h' is not a duration; write a "
                    "whole number and a unit: 250ms, 30s, 5m, 4h or 2d");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:25: workflows.deadlines.warehouse_lead: must be a single value, got a list");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:26: workflows.deadlines.sweep_every: must be at least 1s, got '500ms'");
  ERP_CHECK_REPORTS(result,
                    "/etc/erpd/erpd.yaml:27: workflows.deadlines.promise: unknown key 'promise' (did you mean "
                    "'promised'?)");

  // The warning must come before the promise: at_risk_before not less than promised.
  const auto early = parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    at_risk_before: 2d\n", kFile);
  CHECK(early.issues.size() == 1);
  ERP_CHECK_REPORTS(early,
                    "/etc/erpd/erpd.yaml:7: workflows.deadlines.at_risk_before: must be less than promised (2d), got "
                    "2d: every order would be at risk as soon as it is paid");
  const auto short_promise =
      parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    promised: 2h\n", kFile);
  CHECK(short_promise.issues.size() == 1);
  ERP_CHECK_REPORTS(short_promise,
                    "/etc/erpd/erpd.yaml:7: workflows.deadlines.promised: must be longer than "
                    "workflows.deadlines.at_risk_before (4h), got 2h: every order would be at risk as soon as it "
                    "is paid");
  const auto both = parse_config(
      std::string(kMinimal) + "workflows:\n  deadlines:\n    promised: 2h\n    at_risk_before: 1h\n", kFile);
  INFO(all_issues(both));
  REQUIRE(both.config);
  CHECK(both.config->workflows.deadlines.promised == 2h);
  CHECK(both.config->workflows.deadlines.at_risk_before == 1h);

  // Shapes: the section and the shop's map are maps.
  const auto scalar = parse_config(two_shops("    deadlines: 24h\n", "", "workflows:\n  deadlines: [48h]\n"), kFile);
  CHECK(scalar.issues.size() == 2);
  ERP_CHECK_REPORTS(scalar, "/etc/erpd/erpd.yaml:11: shops[0].deadlines: must be a map of keys, got a single value");
  ERP_CHECK_REPORTS(scalar, "/etc/erpd/erpd.yaml:18: workflows.deadlines: must be a map of keys, got a list");
}

TEST_CASE("S5 a calendar problem is reported with the calendar file, line and key by the config load") {
  TempDir dir;
  const auto config = dir.write("erpd.yaml", kMinimal);
  dir.write("calendars/tmall-2025.yaml", kGoodCalendar);
  // Line 5: the notice's time has no seconds; line 6: no such key.
  const auto bad = dir.write("calendars/tmall-2026.yaml", yaml(R"(
id: tmall-2026-spring-festival
platforms: [tmall]
paid: {from: "2026-02-09 00:00:00", until: "2026-02-24 23:59:59"}
ship_by_rule: S7
ship_by: "2026-02-26 23:59"
shipby: "2026-02-26 23:59:59"
)"));
  dir.write("calendars/README.txt", "not a calendar: only *.yaml files are read\n");

  const auto result = load_config(config);
  CHECK_FALSE(result.config);
  CHECK(result.issues.size() == 2);
  ERP_CHECK_REPORTS(result, bad.string() +
                                ":5: ship_by: must be a China time \"YYYY-MM-DD HH:MM:SS\" (Asia/Shanghai, as the "
                                "notice gives it), got '2026-02-26 23:59'");
  ERP_CHECK_REPORTS(result, bad.string() + ":6: shipby: unknown key 'shipby' (did you mean 'ship_by'?)");

  // The config file's own problems come first, then the calendars', each in its file.
  const auto both = parse_config(std::string(kMinimal) + "log:\n  level: loud\n", config);
  REQUIRE(both.issues.size() == 3);
  CHECK(both.issues[0].file == config.string());
  CHECK(both.issues[0].key_path == "log.level");
  CHECK(both.issues[1].file == bad.string());
  CHECK(both.issues[2].file == bad.string());

  // Mended, the config loads with both notices in Config::calendar.
  dir.write("calendars/tmall-2026.yaml", yaml(R"(
id: tmall-2026-spring-festival
platforms: [tmall]
paid: {from: "2026-02-09 00:00:00", until: "2026-02-24 23:59:59"}
ship_by: "2026-02-26 23:59:59"
)"));
  const auto mended = load_config(config);
  INFO(all_issues(mended));
  REQUIRE(mended.config);
  REQUIRE(mended.config->calendar.windows.size() == 2);
  CHECK(mended.config->calendar.windows[0].id == "tmall-2025-spring-festival");
  CHECK(mended.config->calendar.windows[1].id == "tmall-2026-spring-festival");
  CHECK(mended.config->calendar.windows[1].file == (dir / "calendars/tmall-2026.yaml").string());

  // Two notices over the same paid time on one platform: reported in the later file.
  dir.write("calendars/tmall-2026-copy.yaml", yaml(R"(
id: tmall-2026-copy
platforms: [tmall]
paid: {from: "2026-02-20 00:00:00", until: "2026-02-28 23:59:59"}
)"));
  const auto overlap = load_config(config);
  CHECK_FALSE(overlap.config);
  REQUIRE(overlap.issues.size() == 1);
  CHECK(overlap.issues[0].file == (dir / "calendars/tmall-2026.yaml").string());
  CHECK(overlap.issues[0].key_path == "paid");
}

TEST_CASE("S5 calendars: a given directory that does not exist is reported") {
  TempDir dir;
  const auto config = dir / "erpd.yaml";

  const auto missing =
      parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    calendars: holidays\n", config);
  CHECK_FALSE(missing.config);
  REQUIRE(missing.issues.size() == 1);
  ERP_CHECK_REPORTS(missing, config.string() + ":7: workflows.deadlines.calendars: directory " +
                                 (dir / "holidays").string() +
                                 " does not exist; it holds the holiday calendars (*.yaml, rule S5). Leave calendars "
                                 "out to use calendars beside this file, which may be missing");

  // Written out, the default directory must exist too; left out, it may be missing.
  const auto explicit_default =
      parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    calendars: calendars\n", config);
  CHECK(explicit_default.issues.size() == 1);
  CHECK(testing::issue_at(explicit_default, "workflows.deadlines.calendars") != nullptr);
  CHECK(parse_config(kMinimal, config).config.has_value());

  // A file is not a directory.
  dir.write("holidays", "id: x\n");
  const auto file = parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    calendars: holidays\n", config);
  REQUIRE(file.issues.size() == 1);
  ERP_CHECK_REPORTS(file, config.string() + ":7: workflows.deadlines.calendars: " + (dir / "holidays").string() +
                              " is not a directory; give the directory holding the holiday calendars (*.yaml, rule "
                              "S5)");

  // Empty or not a path.
  const auto empty = parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    calendars: \"\"\n", config);
  ERP_CHECK_REPORTS(empty, config.string() + ":7: workflows.deadlines.calendars: must not be empty");
  const auto list = parse_config(std::string(kMinimal) + "workflows:\n  deadlines:\n    calendars: [a, b]\n", config);
  ERP_CHECK_REPORTS(list, config.string() + ":7: workflows.deadlines.calendars: must be a single value, got a list");

  // A shop's activities are not blamed as well when the directory could not be read.
  const auto with_shop = parse_config(two_shops("    deadlines:\n      activities: [tmall-2024-spring-festival]\n", "",
                                                "workflows:\n  deadlines:\n    calendars: holidays-missing\n"),
                                      config);
  CHECK(with_shop.issues.size() == 1);
  CHECK(testing::issue_at(with_shop, "workflows.deadlines.calendars") != nullptr);
}

TEST_CASE("S8 shops[].deadlines.activities names loaded calendars") {
  const std::string shipped = calendars_at(kShippedCalendars);

  SUBCASE("calendar ids of the shop's platform load") {
    const auto result = parse_config(
        two_shops("    deadlines:\n      activities: [tmall-2024-spring-festival, tmall-2023-spring-festival]\n",
                  "    deadlines:\n      activities: []\n", shipped),
        kFile);
    INFO(all_issues(result));
    REQUIRE(result.config);
    CHECK(result.config->shops[0].deadlines.activities ==
          std::vector<std::string>{"tmall-2024-spring-festival", "tmall-2023-spring-festival"});
    CHECK(result.config->shops[0].deadlines.promised == std::nullopt);
    CHECK(result.config->shops[1].deadlines.activities.empty());
  }

  SUBCASE("an unknown id, a duplicate, another platform's calendar and bad items are reported at the entry") {
    const auto result =
        parse_config(two_shops(yaml(R"(
    deadlines:
      activities:
        - tmall-2024-spring-festivl
        - tmall-2023-spring-festival
        - tmall-2023-spring-festival
        - [nested]
        - ""
)"),
                               "    deadlines:\n      activities: [tmall-2024-spring-festival]\n", shipped),
                     kFile);
    CHECK_FALSE(result.config);
    CHECK(result.issues.size() == 5);
    ERP_CHECK_REPORTS(result,
                      "/etc/erpd/erpd.yaml:13: shops[0].deadlines.activities[0]: 'tmall-2024-spring-festivl' "
                      "names no holiday calendar of " +
                          kShippedCalendars.lexically_normal().string() +
                          " (did you mean 'tmall-2024-spring-festival'?)");
    ERP_CHECK_REPORTS(result,
                      "/etc/erpd/erpd.yaml:15: shops[0].deadlines.activities[2]: 'tmall-2023-spring-festival' is "
                      "listed twice (first at line 14)");
    ERP_CHECK_REPORTS(result,
                      "/etc/erpd/erpd.yaml:16: shops[0].deadlines.activities[3]: must be a holiday calendar "
                      "id, got a list");
    ERP_CHECK_REPORTS(result, "/etc/erpd/erpd.yaml:17: shops[0].deadlines.activities[4]: must not be empty");
    ERP_CHECK_REPORTS(result,
                      "/etc/erpd/erpd.yaml:24: shops[1].deadlines.activities[0]: calendar "
                      "'tmall-2024-spring-festival' is for tmall orders and this shop is a 'taobao' shop: its "
                      "holiday window never applies here");
  }

  SUBCASE("the key is a list") {
    const auto scalar =
        parse_config(two_shops("    deadlines:\n      activities: tmall-2024-spring-festival\n", "", shipped), kFile);
    CHECK(scalar.issues.size() == 1);
    ERP_CHECK_REPORTS(scalar,
                      "/etc/erpd/erpd.yaml:12: shops[0].deadlines.activities: must be a list of holiday calendar ids "
                      "([tmall-2024-spring-festival]), got a single value");
    const auto none = parse_config(two_shops("    deadlines:\n      activities:\n", "", shipped), kFile);
    CHECK(none.issues.size() == 1);
    ERP_CHECK_REPORTS(none,
                      "/etc/erpd/erpd.yaml:12: shops[0].deadlines.activities: has no value; write a list of holiday "
                      "calendar ids ([tmall-2024-spring-festival]), or [] for none");
  }

  SUBCASE("no calendars: every id is unknown, with no suggestion") {
    TempDir dir;
    const auto result = parse_config(two_shops("    deadlines:\n      activities: [tmall-2024-spring-festival]\n", ""),
                                     dir / "erpd.yaml");
    CHECK(result.issues.size() == 1);
    ERP_CHECK_REPORTS(result, (dir / "erpd.yaml").string() +
                                  ":12: shops[0].deadlines.activities[0]: 'tmall-2024-spring-festival' names no "
                                  "holiday calendar of " +
                                  (dir / "calendars").string());
  }

  SUBCASE("a calendar with problems of its own is reported in its file, not again at the shop") {
    TempDir dir;
    const auto broken =
        dir.write("calendars/tmall-2026-spring-festival.yaml", "id: tmall-2026-spring-festival\nplatforms: [tmall]\n");
    const auto result = parse_config(two_shops("    deadlines:\n      activities: [tmall-2026-spring-festival]\n", ""),
                                     dir / "erpd.yaml");
    CHECK_FALSE(result.config);
    INFO(all_issues(result));
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].file == broken.string());
    CHECK(result.issues[0].key_path == "paid");
  }
}

TEST_CASE("deadlines: the example config loads the shipped calendars and documents the keys") {
  const std::filesystem::path example = std::filesystem::path(ERP_SOURCE_DIR) / "config/erpd.example.yaml";
  const auto result = load_config(example);
  INFO(all_issues(result));
  REQUIRE(result.config);
  DeadlineConfig expected;
  expected.calendars = kShippedCalendars.lexically_normal();
  CHECK(result.config->workflows.deadlines == expected);
  CHECK(result.config->calendar.windows.size() == 3);
  for (const auto& shop : result.config->shops) CHECK(shop.deadlines == ShopDeadlines{});

  // The commented examples, uncommented, are valid: workflows.deadlines and a Tmall shop's map.
  std::ifstream file(example);
  std::stringstream text;
  text << file.rdbuf();
  const std::string section = uncomment_block(text.str(), "  # deadlines:");
  REQUIRE(section.find("\n  deadlines:\n    calendars: calendars\n    promised: 48h\n") != std::string::npos);
  const std::string uncommented = uncomment_block(section, "    # deadlines:");
  REQUIRE(uncommented.find("\n    deadlines:\n      promised: 24h\n      activities: [tmall-2024-spring-festival]\n") !=
          std::string::npos);
  const auto documented = parse_config(uncommented, example);
  INFO(all_issues(documented));
  REQUIRE(documented.config);
  CHECK(documented.config->workflows.deadlines == expected);
  const ShopConfig& tmall = documented.config->shops.at(0);
  CHECK(tmall.platform == "tmall");
  CHECK(tmall.deadlines.promised == 24h);
  CHECK(tmall.deadlines.activities == std::vector<std::string>{"tmall-2024-spring-festival"});
}

TEST_CASE("deadlines: the demo config names the shipped calendars") {
  const auto result = load_config(std::filesystem::path(ERP_SOURCE_DIR) / "config/demo.yaml");
  INFO(all_issues(result));
  REQUIRE(result.config);
  CHECK(result.config->workflows.deadlines.calendars == kShippedCalendars.lexically_normal());
  CHECK(result.config->calendar.windows.size() == 3);
}

}  // namespace
}  // namespace erp::daemon::config
