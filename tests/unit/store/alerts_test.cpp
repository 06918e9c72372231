// Alerts as the store keeps them: at most one open per kind and subject, cleared ones stay as
// history, the open ones listed newest first.

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;
using daemon::store::NewAlert;
using daemon::store::Store;

namespace {

OrderKey alert_order(Store& store, const std::string& id) {
  auto order = sample_order(id);
  auto tx = store.begin();
  store.upsert_order(*tx, order, at("2026-11-10T16:00:30Z"));
  tx->commit();
  return key_of(order);
}

bool raise_now(Store& store, const NewAlert& alert, const char* when) {
  auto tx = store.begin();
  const bool raised = store.raise_alert(*tx, alert, at(when));
  tx->commit();
  return raised;
}

bool clear_now(Store& store, const std::string& kind, const std::string& subject, const char* when) {
  auto tx = store.begin();
  const bool cleared = store.clear_alert(*tx, kind, subject, at(when));
  tx->commit();
  return cleared;
}

std::vector<std::string> alert_names(const std::vector<daemon::store::Alert>& alerts) {
  std::vector<std::string> out;
  for (const auto& a : alerts) out.push_back(a.kind + " " + a.subject);
  return out;
}

}  // namespace

TEST_CASE("an alert round-trips with its order, rule and detail") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto key = alert_order(*store, "5001");
  CHECK(store->open_alerts().empty());
  CHECK(raise_now(*store,
                  {"gift.not_shipped",
                   key.to_string(),
                   key,
                   "G5",
                   "the platform has not marked the reservation shipped",
                   {{"waybill", "SF1001"}, {"verify_by", "2026-11-13T09:00:00Z"}}},
                  "2026-11-13T09:00:01Z"));
  const auto open = store->open_alerts();
  REQUIRE(open.size() == 1);
  const auto& a = open[0];
  CHECK(a.id > 0);
  CHECK(a.kind == "gift.not_shipped");
  CHECK(a.subject == "tmall/tmall-flagship/5001");
  CHECK(a.key == key);
  CHECK(a.rule_id == "G5");
  CHECK(a.message == "the platform has not marked the reservation shipped");
  CHECK(a.detail == nlohmann::json{{"waybill", "SF1001"}, {"verify_by", "2026-11-13T09:00:00Z"}});
  CHECK(a.raised_at == at("2026-11-13T09:00:01Z"));
  CHECK_FALSE(a.cleared_at.has_value());

  // An alert about no order in particular.
  CHECK(raise_now(*store, {"gift.stock_exhausted", "spend-2000", std::nullopt, "G12", "rule out of gifts", {}},
                  "2026-11-13T09:00:02Z"));
  const auto rule = store->open_alerts("gift.stock");
  REQUIRE(rule.size() == 1);
  CHECK_FALSE(rule[0].key.has_value());
  CHECK(rule[0].detail == nlohmann::json::object());

  // An order the store does not have cannot be the alert's key.
  auto tx = store->begin();
  CHECK_THROWS_AS(
      store->raise_alert(*tx, {"gift.tag_late", "x", OrderKey{"tmall", "tmall-flagship", "9999"}, "G2", "late", {}},
                         at("2026-11-13T09:00:03Z")),
      std::out_of_range);
}

TEST_CASE("an alert cannot be raised twice while open, and can again once cleared") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const NewAlert late{"gift.tag_late", "tmall/tmall-flagship/5001", std::nullopt, "G2", "tag late", {}};
  CHECK(raise_now(*store, late, "2026-11-11T04:00:00Z"));
  CHECK_FALSE(raise_now(*store, NewAlert{late.kind, late.subject, std::nullopt, "G2", "tag later still", {}},
                        "2026-11-11T05:00:00Z"));
  auto open = store->open_alerts();
  REQUIRE(open.size() == 1);
  CHECK(open[0].message == "tag late");  // the first one stands, untouched
  CHECK(open[0].raised_at == at("2026-11-11T04:00:00Z"));
  // Another subject, or another kind for the same subject, is another alert.
  CHECK(raise_now(*store, NewAlert{late.kind, "tmall/tmall-flagship/5002", std::nullopt, "G2", "", {}},
                  "2026-11-11T04:00:01Z"));
  CHECK(raise_now(*store, NewAlert{"gift.not_shipped", late.subject, std::nullopt, "G5", "", {}},
                  "2026-11-11T04:00:02Z"));
  CHECK(store->open_alerts().size() == 3);

  CHECK(clear_now(*store, late.kind, late.subject, "2026-11-11T06:00:00Z"));
  CHECK_FALSE(clear_now(*store, late.kind, late.subject, "2026-11-11T06:00:01Z"));
  CHECK_FALSE(clear_now(*store, "gift.unknown", late.subject, "2026-11-11T06:00:01Z"));
  CHECK(alert_names(store->open_alerts()) == std::vector<std::string>{"gift.not_shipped tmall/tmall-flagship/5001",
                                                                      "gift.tag_late tmall/tmall-flagship/5002"});

  CHECK(raise_now(*store, late, "2026-11-12T04:00:00Z"));
  open = store->open_alerts("gift.tag_late");
  REQUIRE(open.size() == 2);
  CHECK(open[0].subject == late.subject);
  CHECK(open[0].raised_at == at("2026-11-12T04:00:00Z"));
}

TEST_CASE("open alerts come newest first, by kind prefix, up to the limit") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  raise_now(*store, {"gift.tag_late", "a", {}, "G2", "", {}}, "2026-11-11T04:00:00Z");
  raise_now(*store, {"auth.reauthorize", "tmall-flagship", {}, "", "", {}}, "2026-11-11T04:00:01Z");
  raise_now(*store, {"gift.not_shipped", "b", {}, "G5", "", {}}, "2026-11-11T04:00:02Z");
  raise_now(*store, {"gift_x", "c", {}, "", "", {}}, "2026-11-11T04:00:03Z");  // '_' is no wildcard
  raise_now(*store, {"gifts", "d", {}, "", "", {}}, "2026-11-11T04:00:03Z");
  clear_now(*store, "gift.tag_late", "a", "2026-11-11T05:00:00Z");
  raise_now(*store, {"gift.tag_late", "e", {}, "G2", "", {}}, "2026-11-11T03:00:00Z");  // raised for an earlier time

  CHECK(alert_names(store->open_alerts()) == std::vector<std::string>{"gifts d", "gift_x c", "gift.not_shipped b",
                                                                      "auth.reauthorize tmall-flagship",
                                                                      "gift.tag_late e"});
  CHECK(alert_names(store->open_alerts("gift.")) == std::vector<std::string>{"gift.not_shipped b", "gift.tag_late e"});
  CHECK(alert_names(store->open_alerts("gift_")) == std::vector<std::string>{"gift_x c"});
  CHECK(alert_names(store->open_alerts("gift.not_shipped")) == std::vector<std::string>{"gift.not_shipped b"});
  CHECK(store->open_alerts("nothing").empty());
  CHECK(alert_names(store->open_alerts("", 2)) == std::vector<std::string>{"gifts d", "gift_x c"});
  CHECK(store->open_alerts("", 0).size() == 1);  // clamped to 1
}

TEST_CASE("a rolled-back transaction leaves no alert raised or cleared") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  {
    auto tx = store->begin();
    CHECK(store->raise_alert(*tx, {"gift.tag_late", "a", {}, "G2", "", {}}, at("2026-11-11T04:00:00Z")));
    CHECK(store->open_alerts().size() == 1);  // seen inside the transaction
  }
  CHECK(store->open_alerts().empty());

  raise_now(*store, {"gift.tag_late", "a", {}, "G2", "", {}}, "2026-11-11T04:00:00Z");
  {
    auto tx = store->begin();
    CHECK(store->clear_alert(*tx, "gift.tag_late", "a", at("2026-11-11T05:00:00Z")));
    CHECK(store->open_alerts().empty());
  }
  REQUIRE(store->open_alerts().size() == 1);
  CHECK_FALSE(store->open_alerts()[0].cleared_at.has_value());
}
