// The holiday calendars as data (rule S5): the shipped notices read back with the dates DOMAIN.md
// gives (S9, S10, S12, S13), and every mistake in a calendar file reported by file, line and key.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>

#include "test_support/temp_dir.hpp"
#include "unit/deadline/calendar_support.hpp"

using namespace erp;
using namespace erp::test;
using daemon::config::ConfigIssue;
using daemon::config::load_calendars;
using daemon::config::read_calendar_text;

namespace {

const daemon::deadline::HolidayWindow& notice(const daemon::deadline::Calendar& calendar, const std::string& id) {
  const auto it = std::find_if(calendar.windows.begin(), calendar.windows.end(),
                               [&](const auto& w) { return w.id == id; });
  REQUIRE(it != calendar.windows.end());
  return *it;
}

/// The problems of one calendar text, as "LINE: key: message".
std::vector<std::string> problems(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& issue : read_calendar_text(text, "cal.yaml").issues)
    out.push_back(std::to_string(issue.line) + ": " + issue.key_path + ": " + issue.message);
  return out;
}

bool has(const std::vector<std::string>& all, const std::string& needle) {
  return std::any_of(all.begin(), all.end(), [&](const std::string& p) { return p.find(needle) != std::string::npos; });
}

const std::string kGood = R"(id: tmall-2025-spring-festival
name: 天猫 2025 春节
platforms: [tmall]
paid: {from: "2025-01-20 00:00:00", until: "2025-02-04 23:59:59"}
ship_by: "2025-02-06 23:59:59"
ship_by_rule: S7
)";

}  // namespace

TEST_CASE("S5 the shipped calendars load without a problem, one notice per file") {
  const auto calendar = shipped_calendars();
  REQUIRE(calendar.windows.size() == 3);
  const auto& y2023 = notice(calendar, "tmall-2023-spring-festival");
  CHECK(y2023.paid.from == cst("2023-01-14 00:00:00"));
  CHECK(y2023.paid.until == cst("2023-01-29 23:59:59"));
  CHECK(y2023.platforms == std::vector<std::string>{"tmall"});
  CHECK(y2023.file.ends_with("config/calendars/tmall-2023-spring-festival.yaml"));
}

TEST_CASE("S9 both Spring Festival notices relax the fake-shipping stall signals in their window") {
  const auto calendar = shipped_calendars();
  CHECK(notice(calendar, "tmall-2023-spring-festival").stall_relaxed);
  CHECK(notice(calendar, "tmall-2024-spring-festival").stall_relaxed);
}

TEST_CASE("S10 after-sale response times for requests made in the window: 2024 and 2023 columns, both edges") {
  const auto calendar = shipped_calendars();
  // 2024: requests made 2024-02-02 to 2024-02-16.
  CHECK(calendar.after_sale_window_for("tmall", cst("2024-02-01 23:59:59")) == nullptr);
  const auto* first = calendar.after_sale_window_for("tmall", cst("2024-02-02 00:00:00"));
  const auto* last = calendar.after_sale_window_for("tmall", cst("2024-02-16 23:59:59"));
  REQUIRE(first != nullptr);
  CHECK(first == last);
  CHECK(calendar.after_sale_window_for("tmall", cst("2024-02-17 00:00:00")) == nullptr);
  CHECK(first->after_sale_days == std::map<std::string, int>{{"merchant_response_shipped", 5},
                                                              {"merchant_confirm_return", 15},
                                                              {"buyer_amend", 15},
                                                              {"buyer_return_info", 25},
                                                              {"exchange_auto_confirm", 15}});
  // 2023: confirmations 15 days, return receipt 20 days, buyer return info 25 days.
  const auto* y2023 = calendar.after_sale_window_for("tmall", cst("2023-01-29 23:59:59"));
  REQUIRE(y2023 != nullptr);
  CHECK(y2023->after_sale_days.at("merchant_response_shipped") == 15);
  CHECK(y2023->after_sale_days.at("buyer_amend") == 15);
  CHECK(y2023->after_sale_days.at("merchant_confirm_return") == 20);
  CHECK(y2023->after_sale_days.at("buyer_return_info") == 25);
  CHECK(calendar.after_sale_window_for("tmall", cst("2023-01-30 00:00:00")) == nullptr);
}

TEST_CASE("S12 invoices for transactions completed in the window are due within 15 days") {
  const auto calendar = shipped_calendars();
  for (const auto* id : {"tmall-2023-spring-festival", "tmall-2024-spring-festival"}) {
    const auto& w = notice(calendar, id);
    REQUIRE(w.invoice_window.has_value());
    CHECK(w.invoice_days == 15);
  }
  CHECK(notice(calendar, "tmall-2024-spring-festival").invoice_window->until == cst("2024-02-17 23:59:59"));
}

TEST_CASE("S13 the shipping-problem complaint reason stays disabled until the window's complaint date") {
  const auto calendar = shipped_calendars();
  CHECK(notice(calendar, "tmall-2024-spring-festival").complaint_disabled_until == cst("2024-02-19 23:59:59"));
  CHECK(notice(calendar, "tmall-2023-spring-festival").complaint_disabled_until == cst("2023-01-31 23:59:59"));
}

TEST_CASE("S5 a new window is a new file: read as written") {
  const auto read = read_calendar_text(kGood, "cal.yaml");
  REQUIRE(read.issues.empty());
  REQUIRE(read.calendar.windows.size() == 1);
  CHECK(read.calendar.windows[0].ship_by == cst("2025-02-06 23:59:59"));
  CHECK(read.calendar.windows[0].ship_by_rule == "S7");
}

TEST_CASE("S5 mistakes in a calendar file are reported with line and key, and the notice is left out") {
  CHECK(has(problems(R"(id: x
platforms: [tmall]
paid: {from: "2025-01-20", until: "2025-02-04 23:59:59"}
)"), "3: paid.from: must be a China time"));
  CHECK(has(problems(R"(id: x
platforms: [tmall]
paid: {from: "2025-02-04 00:00:00", until: "2025-01-20 23:59:59"}
)"), "3: paid.until: is before from"));
  CHECK(has(problems("id: x\nplatforms: [tmall]\n"), "paid: "));
  CHECK(has(problems(kGood + "ship_bye: \"2025-02-06 23:59:59\"\n"), "7: ship_bye: "));
  CHECK(has(problems(kGood + "after_sale:\n  window: {from: \"2025-01-20 00:00:00\", until: \"2025-02-03 23:59:59\"}\n"
                             "  days: {merchant_response: 5}\n"),
            "9: after_sale.days.merchant_response: "));
  CHECK(has(problems(kGood + "after_sale:\n  window: {from: \"2025-01-20 00:00:00\", until: \"2025-02-03 23:59:59\"}\n"
                             "  days: {buyer_return_info: 400}\n"),
            "must be 1 to 90 days"));
  CHECK(has(problems(R"(id: x
platforms: [tmall]
paid: {from: "2025-01-20 00:00:00", until: "2025-02-04 23:59:59"}
ship_by: "2025-02-01 23:59:59"
)"), "4: ship_by: is before the end of the paid window"));
  CHECK(read_calendar_text("id: x\nplatforms: [tmall]\n", "cal.yaml").calendar.windows.empty());
}

TEST_CASE("S5 two notices for one platform may not cover the same paid time, nor share an id") {
  TempDir dir("erp-calendars");
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
  };
  write("a.yaml", kGood);
  write("b.yaml", R"(id: other
platforms: [tmall, taobao]
paid: {from: "2025-02-04 23:59:59", until: "2025-02-10 23:59:59"}
)");
  write("c.yaml", kGood);
  write("notes.txt", "not a calendar");
  const auto loaded = load_calendars(dir.path());
  std::vector<std::string> all;
  for (const auto& issue : loaded.issues) all.push_back(issue.to_string());
  CHECK(has(all, "b.yaml:1: paid: overlaps the paid window of tmall-2025-spring-festival"));
  CHECK(has(all, "c.yaml:1: id: 'tmall-2025-spring-festival' is the id of"));
  CHECK(load_calendars(dir / "missing").calendar.windows.empty());
}

TEST_CASE("S2 S3 Douyin's sale-event rules ship as its standing rules: 24 h to the pickup scan, 24 h to the first sorting centre") {
  const auto calendar = shipped_calendars();
  const auto& douyin = notice(calendar, "douyin-sale-event-rules");
  CHECK(douyin.standing);
  CHECK(douyin.platforms == std::vector<std::string>{"douyin"});
  CHECK(douyin.pickup_hours == 24);
  CHECK(douyin.first_hub_hours == 24);
  // In force for any Douyin order, paid any time; never for a Tmall one.
  CHECK(calendar.window_for("douyin", cst("2023-03-08 12:00:00")) == &douyin);
  CHECK(calendar.window_for("douyin", cst("2031-01-01 00:00:00")) == &douyin);
  CHECK(calendar.window_for("tmall", cst("2031-01-01 00:00:00")) == nullptr);
}

TEST_CASE("S5 a dated notice goes before the platform's standing rules; standing rules carry nothing dated") {
  TempDir dir("erp-calendars");
  std::ofstream(dir / "rules.yaml") << "id: tm-rules\nplatforms: [tmall]\nstanding: true\npickup_hours: 36\n";
  std::ofstream(dir / "window.yaml") << kGood;
  const auto loaded = load_calendars(dir.path());
  REQUIRE(loaded.issues.empty());
  CHECK(loaded.calendar.window_for("tmall", cst("2025-01-20 00:00:00"))->id == "tmall-2025-spring-festival");
  CHECK(loaded.calendar.window_for("tmall", cst("2025-01-19 23:59:59"))->id == "tm-rules");
  CHECK(loaded.calendar.window_for("tmall", cst("2025-01-19 23:59:59"))->pickup_hours == 36);

  CHECK(has(problems("id: x\nplatforms: [tmall]\nstanding: true\nship_by: \"2025-02-06 23:59:59\"\n"),
            "4: ship_by: needs a paid window"));
  CHECK(has(problems("id: x\nplatforms: [tmall]\nstanding: true\npaid: {from: \"2025-01-20 00:00:00\", until: "
                     "\"2025-02-04 23:59:59\"}\n"),
            "4: paid: is not for standing rules"));
  CHECK(has(problems("id: x\nplatforms: [tmall]\nstanding: true\nfirst_hub_hours: 500\n"), "must be 1 to 240 hours"));
  std::ofstream(dir / "rules2.yaml") << "id: tm-rules-2\nplatforms: [tmall]\nstanding: true\n";
  std::vector<std::string> all;
  for (const auto& issue : load_calendars(dir.path()).issues) all.push_back(issue.to_string());
  CHECK(has(all, "rules2.yaml:1: platforms: names a platform tm-rules"));
}
