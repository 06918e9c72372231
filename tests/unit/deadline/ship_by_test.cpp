// Ship-by and pickup deadlines (rules S1, S2, S5-S8, S11, G1) from the calendars as shipped, with
// the dates exactly as DOMAIN.md gives them and both edges of every window (23:59:59 inside,
// 00:00:00 of the next day outside), Asia/Shanghai.

#include <doctest/doctest.h>

#include "deadline/ship_by.hpp"
#include "unit/deadline/calendar_support.hpp"

using namespace erp;
using namespace erp::test;
using namespace std::chrono_literals;
using daemon::deadline::compute_ship_by;
using daemon::deadline::pickup_due;
using daemon::deadline::ShipByFacts;

namespace {

ShipByFacts paid(const std::string& platform, const std::string& when,
                 sdk::CrossBorderType cross = sdk::CrossBorderType::none) {
  ShipByFacts f;
  f.platform = platform;
  f.paid_at = cst(when);
  f.cross_border = cross;
  return f;
}

}  // namespace

TEST_CASE("S5 Tmall 2023: paid 2023-01-14 00:00:00 to 2023-01-29 23:59:59 ships by 2023-01-31 23:59:59") {
  const auto calendar = shipped_calendars();
  for (const auto* when : {"2023-01-14 00:00:00", "2023-01-20 12:00:00", "2023-01-29 23:59:59"}) {
    const auto s = compute_ship_by(paid("tmall", when), calendar);
    INFO(when);
    CHECK(s.deadline == cst("2023-01-31 23:59:59"));
    CHECK(s.rule_id == "S5");
    CHECK(s.window == "tmall-2023-spring-festival");
  }
  // One second outside either edge: the normal 48 h (S1).
  const auto before = compute_ship_by(paid("tmall", "2023-01-13 23:59:59"), calendar);
  CHECK(before.deadline == cst("2023-01-15 23:59:59"));
  CHECK(before.rule_id == "S1");
  const auto after = compute_ship_by(paid("tmall", "2023-01-30 00:00:00"), calendar);
  CHECK(after.deadline == cst("2023-02-01 00:00:00"));
  CHECK(after.rule_id == "S1");
  // A Taobao order paid in the window: the notice is Tmall's.
  CHECK(compute_ship_by(paid("taobao", "2023-01-20 12:00:00"), calendar).rule_id == "S1");
}

TEST_CASE("S6 Tmall Global 2023: bonded import by 2023-02-02 23:59:59, direct mail and consolidated by 2023-02-03 23:59:59") {
  const auto calendar = shipped_calendars();
  const auto bonded = compute_ship_by(paid("tmall", "2023-01-29 23:59:59", sdk::CrossBorderType::bonded_import), calendar);
  CHECK(bonded.deadline == cst("2023-02-02 23:59:59"));
  CHECK(bonded.rule_id == "S6");
  CHECK(compute_ship_by(paid("tmall", "2023-01-14 00:00:00", sdk::CrossBorderType::direct_mail), calendar).deadline ==
        cst("2023-02-03 23:59:59"));
  CHECK(compute_ship_by(paid("tmall", "2023-01-14 00:00:00", sdk::CrossBorderType::consolidated_import), calendar)
            .deadline == cst("2023-02-03 23:59:59"));
  CHECK(compute_ship_by(paid("tmall", "2023-01-30 00:00:00", sdk::CrossBorderType::bonded_import), calendar).rule_id ==
        "S1");
}

TEST_CASE("S7 Tmall 2024: paid 2024-02-02 00:00:00 to 2024-02-17 23:59:59 ships by 2024-02-19 23:59:59; Tmall Global by 2024-02-22 23:59:59") {
  const auto calendar = shipped_calendars();
  for (const auto* when : {"2024-02-02 00:00:00", "2024-02-17 23:59:59"}) {
    INFO(when);
    const auto s = compute_ship_by(paid("tmall", when), calendar);
    CHECK(s.deadline == cst("2024-02-19 23:59:59"));
    CHECK(s.rule_id == "S7");
    for (auto type : {sdk::CrossBorderType::bonded_import, sdk::CrossBorderType::direct_mail,
                      sdk::CrossBorderType::consolidated_import}) {
      const auto g = compute_ship_by(paid("tmall", when, type), calendar);
      CHECK(g.deadline == cst("2024-02-22 23:59:59"));
      CHECK(g.rule_id == "S7");
    }
  }
  CHECK(compute_ship_by(paid("tmall", "2024-02-01 23:59:59"), calendar).deadline == cst("2024-02-03 23:59:59"));
  CHECK(compute_ship_by(paid("tmall", "2024-02-18 00:00:00"), calendar).deadline == cst("2024-02-20 00:00:00"));
}

TEST_CASE("S8 an order in the scope of the shop's open-during-Spring-Festival activity keeps the activity's rules") {
  const auto calendar = shipped_calendars();
  auto facts = paid("tmall", "2024-02-10 10:00:00");
  facts.in_activity = true;
  const auto s = compute_ship_by(facts, calendar);
  CHECK(s.rule_id == "S1");
  CHECK(s.deadline == cst("2024-02-12 10:00:00"));
  CHECK(s.window.empty());
}

TEST_CASE("S1 agreed ship times, the platform's own ship-by, the promised hours; virtual goods are out of scope") {
  const auto calendar = shipped_calendars();
  auto presale = paid("tmall", "2024-02-10 10:00:00");
  presale.kind = sdk::OrderKind::presale;
  presale.agreed_ship_by = cst("2024-03-15 18:00:00");
  CHECK(compute_ship_by(presale, calendar).deadline == cst("2024-03-15 18:00:00"));  // even in the holiday

  auto douyin = paid("douyin", "2024-02-10 10:00:00");
  douyin.platform_ship_by = cst("2024-02-11 10:00:00");
  CHECK(compute_ship_by(douyin, calendar).deadline == cst("2024-02-11 10:00:00"));

  auto shop_72h = paid("taobao", "2024-03-01 08:00:00");
  shop_72h.promised = 72h;
  CHECK(compute_ship_by(shop_72h, calendar).deadline == cst("2024-03-04 08:00:00"));

  auto virtual_goods = paid("tmall", "2024-02-10 10:00:00");
  virtual_goods.kind = sdk::OrderKind::virtual_goods;
  CHECK_FALSE(compute_ship_by(virtual_goods, calendar).deadline.has_value());

  ShipByFacts unpaid;
  unpaid.platform = "tmall";
  CHECK_FALSE(compute_ship_by(unpaid, calendar).deadline.has_value());
}

TEST_CASE("G1 a 1-yuan reservation order has no ship-by of its own") {
  auto facts = paid("tmall", "2024-03-01 08:00:00");
  facts.reservation = true;
  const auto s = compute_ship_by(facts, shipped_calendars());
  CHECK_FALSE(s.deadline.has_value());
  CHECK(s.rule_id == "G1");
}

TEST_CASE("S2 the first pickup scan is due 24 h after the upload") {
  const auto calendar = shipped_calendars();
  const auto due = pickup_due("douyin", cst("2024-03-08 10:00:00"), cst("2024-03-08 09:00:00"), false, calendar);
  CHECK(due.due == cst("2024-03-09 10:00:00"));
  CHECK(due.rule_id == "S2");
}

TEST_CASE("S11 2024: non-activity orders paid in the window are on time picked up by 2024-02-19 23:59:59; activity orders get 48 h") {
  const auto calendar = shipped_calendars();
  const auto plain = pickup_due("tmall", cst("2024-02-10 10:00:00"), cst("2024-02-09 10:00:00"), false, calendar);
  CHECK(plain.due == cst("2024-02-19 23:59:59"));
  CHECK(plain.rule_id == "S11");
  const auto activity = pickup_due("tmall", cst("2024-02-10 10:00:00"), cst("2024-02-17 23:59:59"), true, calendar);
  CHECK(activity.due == cst("2024-02-12 10:00:00"));
  CHECK(activity.rule_id == "S11");
  // Paid one second after the window: 24 h.
  const auto outside = pickup_due("tmall", cst("2024-02-18 10:00:00"), cst("2024-02-18 00:00:00"), false, calendar);
  CHECK(outside.due == cst("2024-02-19 10:00:00"));
  CHECK(outside.rule_id == "S2");
}

TEST_CASE("S1 S5 S7 property: within one rule set a later payment never gets an earlier ship-by") {
  const auto calendar = shipped_calendars();
  for (auto cross : {sdk::CrossBorderType::none, sdk::CrossBorderType::bonded_import, sdk::CrossBorderType::direct_mail}) {
    for (const auto* platform : {"tmall", "taobao"}) {
      std::map<std::string, sdk::Instant> last;  // rule set (rule + window) -> the previous ship-by
      // Every 7 min 13 s across both Spring Festivals and a month either side, odd seconds included.
      for (auto from : {cst("2022-12-15 00:00:00"), cst("2024-01-01 00:00:00")}) {
        for (auto t = from; t < from + std::chrono::hours{24 * 75}; t += 433s) {
          auto facts = paid(platform, "2020-01-01 00:00:00", cross);
          facts.paid_at = t;
          const auto s = compute_ship_by(facts, calendar);
          REQUIRE(s.deadline.has_value());
          const std::string set = s.rule_id + "/" + s.window;
          if (const auto it = last.find(set); it != last.end()) {
            INFO(platform << " paid " << daemon::format_cst(t) << " under " << set);
            REQUIRE(*s.deadline >= it->second);
          }
          last[set] = *s.deadline;
          CHECK(*s.deadline >= t);  // never due before it was paid
        }
      }
    }
  }
}
