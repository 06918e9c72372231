// erpctl's output for people: columns line up in a terminal even with Chinese text.

#include <doctest/doctest.h>

#include <sstream>

#include "ctl/api_section.hpp"
#include "ctl/render.hpp"
#include "ctl/table.hpp"

using namespace erp::daemon::ctl;
using nlohmann::json;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("display width: Chinese characters take two columns, combining marks none") {
  CHECK(display_width("abc") == 3);
  CHECK(display_width("天猫旗舰店") == 10);
  CHECK(display_width("张*") == 3);
  CHECK(display_width("（全角）") == 8);
  CHECK(display_width("e\xcc\x81") == 1);  // e + combining acute accent
  CHECK(display_width("\xff") == 1);       // a broken byte still takes a column
  CHECK(display_width("") == 0);
}

TEST_CASE("a table with Chinese cells lines its columns up by display width") {
  Table table({"SHOP", "PLATFORM", "STATE"});
  table.add_row({"天猫旗舰店", "tmall", "ok"});
  table.add_row({"tb-main", "taobao", "failed"});
  const auto lines = lines_of(table.render());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == "SHOP        PLATFORM  STATE");
  CHECK(lines[1] == "天猫旗舰店  tmall     ok");
  CHECK(lines[2] == "tb-main     taobao    failed");
  // The second column starts at the same terminal column on every line.
  for (const auto& line : lines) {
    const auto second = line.find_first_not_of(' ', line.find("  "));
    CHECK(display_width(line.substr(0, second)) == 12);
  }
}

TEST_CASE("long cells are cut at a column limit without splitting a character") {
  CHECK(truncate_to_width("浙江省杭州市西湖区", 7) == "浙江省…");
  CHECK(truncate_to_width("abcdef", 4) == "abc…");
  CHECK(truncate_to_width("abc", 4) == "abc");
  Table table({"NOTE", "X"});
  table.set_max_width(0, 5);
  table.add_row({"检查地址再发货", "1"});
  CHECK(lines_of(table.render())[1] == "检查…  1");
}

TEST_CASE("a newline inside a cell never breaks the row") {
  Table table({"MEMO"});
  table.add_row({"first\nsecond"});
  CHECK(lines_of(table.render()).size() == 2);
}

TEST_CASE("status for people: version, state, uptime, shops, plugins and counts") {
  const json status = json::parse(R"({
    "version": "0.1.0", "abi_version": 1, "state": "running", "started_at": "2026-11-11T02:00:00Z",
    "uptime_seconds": 3725, "config_file": "/etc/erpd/erpd.yaml", "last_reload": null,
    "database": {"path": "/var/lib/erpd/erpd.db", "schema_version": 2},
    "api": {"listen": "127.0.0.1:7878"},
    "shops": [{"id": "天猫店", "platform": "tmall", "state": "ok", "detail": "", "plugin_version": "1.0.0"},
              {"id": "tb-main", "platform": "taobao", "state": "failed", "detail": "auth expired", "plugin_version": ""}],
    "plugins": [{"name": "tmall", "version": "1.0.0", "kind": "platform", "file": "/usr/lib/erpd/plugins/tmall.so", "failed": false}],
    "warehouse": {"connector": "api", "webhook": true},
    "counts": {"orders": 12, "held_orders": 3, "released_orders": 7, "active_holds": 4, "outbox_pending": 0,
               "outbox_in_flight": 1, "outbox_dead": 2, "quarantined": 0}})");
  const std::string text = render_status(status);
  CHECK(text.find("erpd 0.1.0 (plugin ABI 1): running, up 1h 2m since 2026-11-11 10:00:00") == 0);
  CHECK(text.find("/var/lib/erpd/erpd.db (schema 2)") != std::string::npos);
  CHECK(text.find("127.0.0.1:7878") != std::string::npos);
  CHECK(text.find("天猫店   tmall     ok") != std::string::npos);
  CHECK(text.find("tb-main  taobao    failed") != std::string::npos);
  CHECK(text.find("auth expired") != std::string::npos);
  CHECK(text.find("/usr/lib/erpd/plugins/tmall.so") != std::string::npos);
  CHECK(text.find("12 (held 3, released 7), active holds 4") != std::string::npos);
  CHECK(text.find("dead 2") != std::string::npos);
}

TEST_CASE("status names a connector plugin's inbound path instead of the API pull") {
  const std::string text = render_status(json::parse(
      R"({"state": "running", "warehouse": {"connector": "qimen", "webhook": false, "inbound_path": "/warehouse/qimen"}})"));
  CHECK(text.find("connector qimen, the warehouse calls in on /warehouse/qimen") != std::string::npos);
  CHECK(text.find("pulls through the API") == std::string::npos);
}

TEST_CASE("status renders what is there when fields are missing") {
  CHECK(render_status(json::parse(R"({"state": "running"})")).find("running") != std::string::npos);
  CHECK_NOTHROW(render_status(json::object()));
  CHECK_NOTHROW(render_status(json::parse(R"({"shops": [{"id": 5}], "counts": {}})")));
}

TEST_CASE("orders table: key, status, paid time in China time, total in yuan, hold codes") {
  const json orders = json::parse(R"([
    {"platform": "tmall", "shop": "lux", "order_id": "1001", "status": "paid", "paid_at": "2026-11-11T02:00:03Z",
     "total_fen": 12300, "lines": [{}, {}, {}], "holds": [{"reason_code": "MANUAL"}, {"reason_code": "TAG_WINDOW"}],
     "released": false},
    {"platform": "taobao", "shop": "tb", "order_id": "2", "status": "paid", "paid_at": null, "total_fen": 5,
     "lines": [], "holds": [], "released": true, "released_at": "2026-11-11T03:00:00Z"}])");
  const auto lines = lines_of(render_orders(orders));
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].find("tmall/lux/1001") == 0);
  CHECK(lines[1].find("2026-11-11 10:00:03") != std::string::npos);
  CHECK(lines[1].find("123.00") != std::string::npos);
  CHECK(lines[1].find("held (MANUAL,TAG_WINDOW)") != std::string::npos);
  CHECK(lines[2].find("released 2026-11-11 11:00:00") != std::string::npos);
  CHECK(render_orders(json::array()) == "No orders.\n");
}

TEST_CASE("why for people: the summary, then one line per event with its rule") {
  const json why = json::parse(R"({"order": "tmall/lux/1001", "summary": "Held by operator alice: check address.",
    "entries": [{"at": "2026-11-11T02:00:00Z", "at_local": "2026-11-11 10:00:00", "kind": "hold.added",
                 "rule_id": "G2", "actor": "workflow:gift", "text": "Held by the gift workflow: tag window"}]})");
  const std::string text = render_why(why);
  CHECK(text.find("tmall/lux/1001: Held by operator alice: check address.") == 0);
  CHECK(text.find("2026-11-11 10:00:00  G2    Held by the gift workflow: tag window") != std::string::npos);
}

TEST_CASE("format_uptime picks the two largest units") {
  CHECK(format_uptime(40) == "40s");
  CHECK(format_uptime(125) == "2m 5s");
  CHECK(format_uptime(7500) == "2h 5m");
  CHECK(format_uptime(3 * 86400 + 4 * 3600 + 7) == "3d 4h");
}

TEST_CASE("api_blocks_only keeps database, plugins and api, blanking the rest line for line") {
  const std::string yaml =
      "# erpd\n"
      "database:\n  path: erpd.db\n"
      "shops:\n  - id: x\n    bogus: 1\n"
      "api:\n  listen: 127.0.0.1:7878\n  # comment\n  token_file: api.token\n"
      "bogus_key: 1\n"
      "plugins: {dir: /usr/lib/erpd/plugins}\n";
  CHECK(api_blocks_only(yaml) ==
        "\n"
        "database:\n  path: erpd.db\n"
        "\n\n\n"
        "api:\n  listen: 127.0.0.1:7878\n  # comment\n  token_file: api.token\n"
        "\n"
        "plugins: {dir: /usr/lib/erpd/plugins}\n");
  CHECK(api_blocks_only("\"api\":\n  listen: x\nlog:\n  level: info") == "\"api\":\n  listen: x\n\n");
}

TEST_CASE("status shows each shop's sync state and cursor") {
  const json status = json::parse(R"({"state": "running", "shops": [
    {"id": "tb-1", "platform": "taobao", "state": "ok", "detail": "", "plugin_version": "1.0.0",
     "sync": {"state": "needs_reauth", "cursor": "2026-11-11T02:00:00Z", "orders_synced": 42,
              "last_error": "needs_reauth: session expired"}}]})");
  const std::string text = render_status(status);
  CHECK(text.find("needs_reauth") != std::string::npos);
  CHECK(text.find("2026-11-11 10:00:00") != std::string::npos);  // the cursor in China time
  CHECK(text.find("session expired") != std::string::npos);
  CHECK(text.find("42") != std::string::npos);
}

TEST_CASE("quarantine and alerts for people") {
  CHECK(render_quarantine(json::array()) == "No quarantined payloads.\n");
  const std::string q = render_quarantine(json::parse(R"([{"id": 3, "received_at": "2026-11-11T02:00:00Z",
    "platform": "taobao", "shop": "tb-1", "order_id": "9001", "payload_bytes": 14, "reason": "no tid"}])"));
  CHECK(q.find("tb-1") != std::string::npos);
  CHECK(q.find("no tid") != std::string::npos);

  CHECK(render_alerts(json::parse(R"({"ok": true, "shops": [], "quarantined": 0, "outbox_dead": 0})")) ==
        "No alerts.\n");
  const std::string a = render_alerts(json::parse(R"({"ok": false, "quarantined": 2, "outbox_dead": 1,
    "shops": [{"shop": "tb-1", "platform": "taobao", "state": "config_error", "last_error": "invalid app key"}]})"));
  CHECK(a.find("config_error") != std::string::npos);
  CHECK(a.find("invalid app key") != std::string::npos);
  CHECK(a.find("2 payload(s)") != std::string::npos);
  CHECK(a.find("1 item(s)") != std::string::npos);
}

namespace {

/// An intercept as the API answers it (docs/api.md#intercepts), with `changes` merged in.
json intercept_json(const json& changes = json::object()) {
  json i = json::parse(R"({"id": 7, "platform": "taobao", "shop": "tb-1", "order_id": "123",
    "lines": [], "whole_order": true, "state": "locked", "open": true, "succeeded": true,
    "source": "api", "requested_by": "operator:alice", "reason": "buyer ordered twice",
    "rule_id": "I4", "message": "the daemon still held the order: locked at once", "suggestion": null,
    "memo": {"text": "拦截发货", "written": false, "written_at": null}, "hold_id": 12,
    "requested_at": "2026-11-11T01:02:03Z", "decided_at": "2026-11-11T01:02:03Z", "ended_at": null,
    "updated_at": "2026-11-11T01:02:03Z"})");
  i.update(changes);
  return i;
}

}  // namespace

TEST_CASE("intercept request outcome: one line per state a merchant understands") {
  CHECK(render_intercept_outcome(intercept_json(), false) ==
        "intercept 7 on taobao/tb-1/123: locked (the daemon still held the order; rule I4)\n");
  CHECK(render_intercept_outcome(intercept_json({{"state", "awaiting_warehouse"}, {"hold_id", nullptr},
                                                 {"succeeded", nullptr}, {"lines", {"2", "3"}},
                                                 {"whole_order", false}}),
                                 false) ==
        "intercept 7 on taobao/tb-1/123 (lines 2, 3): waiting for the warehouse to confirm the lock (the order was "
        "already released to it; rule I4)\n");
  CHECK(render_intercept_outcome(intercept_json({{"state", "memo_only"}, {"hold_id", nullptr}, {"succeeded", false}}),
                                 false) ==
        "intercept 7 on taobao/tb-1/123: memo written only; this shop's orders do not pass through erpd (I8)\n");
  CHECK(render_intercept_outcome(intercept_json({{"state", "too_late"},
                                                 {"open", false},
                                                 {"succeeded", false},
                                                 {"lines", {"2"}},
                                                 {"whole_order", false},
                                                 {"suggestion", "parcel_interception"},
                                                 {"message", "line 2 already shipped (SF100)"}}),
                                 false) ==
        "intercept 7 on taobao/tb-1/123 (line 2): too late: line 2 already shipped (SF100); a paid parcel "
        "interception with the carrier is the remaining way (I9)\n");
  // The daemon's own wording already starts "too late" and names the way left: each is said once.
  CHECK(render_intercept_outcome(intercept_json({{"state", "too_late"},
                                                 {"message", "too late: the order already shipped; a paid parcel "
                                                             "interception with the carrier is the remaining way (I9)"}}),
                                 false) ==
        "intercept 7 on taobao/tb-1/123: too late: the order already shipped; a paid parcel interception with the "
        "carrier is the remaining way (I9)\n");
}

TEST_CASE("a repeated intercept request says nothing new was asked, and who locked it") {
  const std::string daemon = render_intercept_outcome(intercept_json(), true);
  CHECK(daemon.find("locked (the daemon still held the order; rule I4)") != std::string::npos);
  CHECK(daemon.find("already requested 2026-11-11 09:02:03 (UTC+8), nothing new was asked") != std::string::npos);
  const std::string warehouse = render_intercept_outcome(intercept_json({{"hold_id", nullptr}}), true);
  CHECK(warehouse.find("locked (the warehouse confirmed the lock; rule I4)") != std::string::npos);
}

TEST_CASE("intercept renderings tolerate missing fields") {
  CHECK_NOTHROW(render_intercept_outcome(json::object(), false));
  CHECK_NOTHROW(render_intercept_cancelled(json::object()));
  CHECK_NOTHROW(render_intercepts(json::parse(R"([{"id": 1}])"), true));
  CHECK_NOTHROW(render_unlock(json::object(), "x"));
  CHECK(render_intercept_outcome(json::parse(R"({"id": 1, "state": "too_late"})"), false).find("already shipped") !=
        std::string::npos);
  CHECK(intercept_lines(json::object()) == "whole order");
  CHECK(intercept_lines(json::parse(R"({"lines": ["2", 3], "whole_order": false})")) == "2, 3");
}

TEST_CASE("intercept cancel: one line naming the rule") {
  CHECK(render_intercept_cancelled(intercept_json({{"state", "cancelled"}, {"open", false}})) ==
        "intercept 7 on taobao/tb-1/123: cancelled (rule I6); the memo text comes off the platform order and the "
        "order may ship again\n");
}

TEST_CASE("intercepts table: newest first as given, lines, who, when in China time, the result") {
  const json intercepts = json::array(
      {intercept_json({{"id", 8}, {"state", "awaiting_warehouse"}, {"lines", {"2"}}, {"whole_order", false},
                       {"message", "asked the warehouse to lock"}}),
       intercept_json({{"id", 3},
                       {"state", "too_late"},
                       {"open", false},
                       {"source", "memo"},
                       {"requested_by", "platform"},
                       {"reason", nullptr},
                       {"suggestion", "parcel_interception"},
                       {"message", "already shipped"}})});
  const auto lines = lines_of(render_intercepts(intercepts, false));
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].find("ID  STATE") == 0);
  CHECK(lines[0].find("ORDER") == std::string::npos);
  CHECK(lines[1].find("8   awaiting_warehouse  2 ") == 0);
  CHECK(lines[1].find("2026-11-11 09:02:03") != std::string::npos);
  CHECK(lines[1].find("asked the warehouse to lock") != std::string::npos);
  CHECK(lines[2].find("3   too_late            whole order  memo    platform") == 0);
  CHECK(lines[2].find("already shipped; suggestion: paid parcel interception") != std::string::npos);

  const auto listed = lines_of(render_intercepts(intercepts, true));
  CHECK(listed[0].find("ID  ORDER            STATE") == 0);
  CHECK(listed[1].find("8   taobao/tb-1/123  awaiting_warehouse") == 0);
  CHECK(render_intercepts(json::array(), true) == "No intercepts.\n");
}

TEST_CASE("intercept unlock: how many were unlocked, and each one kept with why") {
  const json answer{{"unlocked", json::array({intercept_json({{"state", "unlocked"}, {"open", false}}),
                                              intercept_json({{"id", 9}, {"order_id", "124"}, {"state", "unlocked"}})})},
                    {"kept", json::array({{{"intercept", intercept_json({{"id", 10},
                                                                         {"order_id", "125"},
                                                                         {"lines", {"2"}},
                                                                         {"whole_order", false}})},
                                           {"why", "refund requested on line 2"}}})}};
  const std::string text = render_unlock(answer, "2026-11-12 00:00:00 (UTC+8)");
  CHECK(text.find("Unlocked 2 intercepts requested before 2026-11-12 00:00:00 (UTC+8) (rule I7): their orders may "
                  "ship again.\n") == 0);
  CHECK(text.find("taobao/tb-1/124") != std::string::npos);
  CHECK(text.find("Kept 1 locked:") != std::string::npos);
  CHECK(text.find("10  taobao/tb-1/125  2      refund requested on line 2") != std::string::npos);

  const std::string none = render_unlock(json::parse(R"({"unlocked": [], "kept": []})"), "B");
  CHECK(none == "Unlocked 0 intercepts requested before B (rule I7).\n");
}

TEST_CASE("an order with an open intercept says so in orders show") {
  json order = json::parse(R"({"platform": "taobao", "shop": "tb-1", "order_id": "123", "status": "paid",
    "lines": [], "holds": [], "released": false})");
  CHECK(render_order(order).find("intercept:") == std::string::npos);
  order["intercept"] = intercept_json();
  CHECK(render_order(order).find("intercept:  #7 locked, whole order, requested 2026-11-11 09:02:03 by operator:alice") !=
        std::string::npos);
  order["intercept"] = intercept_json({{"lines", {"2"}}, {"whole_order", false}});
  CHECK(render_order(order).find("intercept:  #7 locked, line 2, requested") != std::string::npos);
  order["intercept"] = nullptr;
  CHECK(render_order(order).find("intercept:") == std::string::npos);
}

// --- gifts (rules G1-G13) ---

namespace {

/// A gift link as the API answers it (docs/api.md#gifts), with `changes` merged in.
json gift_link_json(const json& changes = json::object()) {
  json l = json::parse(R"({"id": 3, "reservation_order_id": "4001", "main_order_id": "5010", "state": "linked",
    "rule": "G2", "source": "tag", "pieces": 1, "waybill": "", "carrier": "", "waybill_tie": false,
    "main_shipped_at": null, "verify_by": null, "outbox_id": null, "created_at": "2026-11-11T04:00:00Z",
    "updated_at": "2026-11-11T04:00:00Z", "ended_at": null, "message": "linked by Tmall's tag"})");
  l.update(changes);
  return l;
}

json reservation_json(const json& changes = json::object()) {
  json r = json::parse(R"({"platform": "tmall", "shop": "tm-1", "order_id": "4001", "state": "linked",
    "recognised_by": "sku", "pieces": 2, "paid_at": "2026-11-01T02:00:00Z", "hold_id": 12,
    "created_at": "2026-11-01T02:00:01Z", "updated_at": "2026-11-11T04:00:00Z", "ended_at": null})");
  r["link"] = gift_link_json();
  r.update(changes);
  return r;
}

}  // namespace

TEST_CASE("gift_G1_list_for_people: order, shop, state, pieces, the main it rides on, waybill, since") {
  const json reservations = json::array(
      {reservation_json(
           {{"order_id", "4002"},
            {"state", "linked"},
            {"link", gift_link_json({{"state", "main_shipped"}, {"waybill", "SF100"}, {"carrier", "SF"}})}}),
       reservation_json({{"order_id", "4003"},
                         {"state", "closed"},
                         {"link", gift_link_json({{"state", "dropped"}, {"main_order_id", "5011"}})}}),
       reservation_json({{"order_id", "4004"}, {"state", "waiting"}, {"link", nullptr}})});
  const auto lines = lines_of(render_gifts(reservations));
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "ORDER  SHOP  STATE    PIECES  LINKED MAIN  WAYBILL   SINCE (UTC+8)");
  CHECK(lines[1] == "4002   tm-1  linked   2       5010         SF SF100  2026-11-11 12:00:00");
  CHECK(lines[2] == "4003   tm-1  closed   2       -            -         2026-11-11 12:00:00");
  CHECK(lines[3] == "4004   tm-1  waiting  2       -            -         2026-11-11 12:00:00");
  CHECK(render_gifts(json::array()) == "No reservation orders.\n");
  CHECK_NOTHROW(render_gifts(json::parse(R"([{"order_id": "1"}])")));
}

TEST_CASE("gift_G4_show_for_people: role, state, links with rule ids and waybills, gift lines") {
  const json reservation{{"order", "tmall/tm-1/4001"},
                         {"role", "reservation"},
                         {"reservation", reservation_json()},
                         {"links", json::array({gift_link_json({{"id", 2},
                                                                {"main_order_id", "5009"},
                                                                {"state", "dropped"},
                                                                {"message", "moved to an earlier repurchase (G7)"}}),
                                                gift_link_json()})},
                         {"gift_lines", json::array()}};
  const std::string r = render_gift(reservation);
  CHECK(r.find("tmall/tm-1/4001\n") == 0);
  CHECK(r.find("role:       1-yuan reservation order (G1), recognised by sku") != std::string::npos);
  CHECK(r.find("state:      linked: its gift line rides on repurchase 5010 (G4), since 2026-11-11 12:00:00") !=
        std::string::npos);
  CHECK(r.find("hold:       #12 RESERVATION") != std::string::npos);
  CHECK(r.find("LINK  MAIN  STATE    RULE  SOURCE") != std::string::npos);
  CHECK(r.find("moved to an earlier repurchase (G7)") != std::string::npos);
  CHECK(r.find("Gift lines") == std::string::npos);

  const json main{{"order", "tmall/tm-1/5010"},
                  {"role", "main"},
                  {"reservation", nullptr},
                  {"links", json::array({gift_link_json({{"state", "main_shipped"},
                                                         {"waybill", "SF100"},
                                                         {"carrier", "SF"},
                                                         {"waybill_tie", true},
                                                         {"main_shipped_at", "2026-11-12T02:00:00Z"}})})},
                  {"gift_lines", json::parse(R"([{"line_id": "gift:4001:4001-1", "outer_sku": "GIFT-1",
                    "title": "赠品", "quantity": 1, "price_fen": 0, "gift": true, "rule": "G4", "fulfils": ["4001"]}])")}};
  const std::string m = render_gift(main);
  CHECK(m.find("role:       repurchase (main) order; 1 reservation order(s) linked") != std::string::npos);
  CHECK(m.find("LINK  RESERVATION  STATE") != std::string::npos);
  CHECK(m.find("SF SF100 (tie, G6)") != std::string::npos);
  CHECK(m.find("2026-11-12 10:00:00") != std::string::npos);
  CHECK(m.find("Gift lines in the parcel (G4):") != std::string::npos);
  CHECK(m.find("gift:4001:4001-1  GIFT-1     赠品   1    G4    4001") != std::string::npos);

  CHECK(render_gift(json::parse(R"({"order": "tmall/tm-1/6001", "role": null, "links": [], "gift_lines": []})")) ==
        "tmall/tm-1/6001: no gift role: not a 1-yuan reservation order, and no reservation order is linked to it.\n");
  CHECK_NOTHROW(render_gift(json::parse(R"({"role": "reservation"})")));
  CHECK_NOTHROW(render_gift(json::parse(R"({"role": "main", "links": [{}], "gift_lines": [{}]})")));
}

TEST_CASE("gift_G5_alerts_for_people_list_the_workflow_alerts_and_how_to_clear_them") {
  const std::string a = render_alerts(json::parse(R"({"ok": false, "shops": [], "quarantined": 0, "outbox_dead": 0,
    "alerts": [{"id": 4, "kind": "gift.not_shipped", "subject": "tmall/tm-1/4001", "platform": "tmall",
                "shop": "tm-1", "order_id": "4001", "rule": "G5", "message": "Tmall has not marked 4001 shipped",
                "detail": {}, "raised_at": "2026-11-12T02:00:00Z", "cleared_at": null}]})"));
  const auto lines = lines_of(a);
  REQUIRE(lines.size() >= 3);
  CHECK(lines[0] == "KIND              SUBJECT          SINCE (UTC+8)        MESSAGE");
  CHECK(lines[1] == "gift.not_shipped  tmall/tm-1/4001  2026-11-12 10:00:00  Tmall has not marked 4001 shipped");
  CHECK(lines[2] == "(once seen to: erpctl alerts clear KIND SUBJECT)");
  CHECK(render_alerts(json::parse(R"({"ok": true, "shops": [], "quarantined": 0, "outbox_dead": 0, "alerts": []})")) ==
        "No alerts.\n");
  CHECK(render_alert_cleared(json::parse(R"({"kind": "gift.not_shipped", "subject": "tmall/tm-1/4001",
    "raised_at": "2026-11-12T02:00:00Z", "cleared_at": "2026-11-12T03:00:00Z"})")) ==
        "Alert gift.not_shipped about tmall/tm-1/4001 cleared (raised 2026-11-12 10:00:00 UTC+8).\n");
}

TEST_CASE("gift_G4_orders_show_names_the_gift_role") {
  json order = json::parse(R"({"platform": "tmall", "shop": "tm-1", "order_id": "5010", "status": "paid",
    "lines": [], "holds": [], "released": false, "gift": null, "gift_lines": []})");
  CHECK(render_order(order).find("gift:") == std::string::npos);
  order["gift"] = json{{"role", "main"}, {"reservation_order_ids", {"4001", "4002"}}, {"state", "linked"}};
  order["gift_lines"] = json::array({json::object(), json::object()});
  CHECK(render_order(order).find("gift:       carries the gift of reservation order(s) 4001, 4002, linked (2 gift "
                                 "line(s)) (erpctl gift show)") != std::string::npos);
  order["gift"] = json{{"role", "reservation"}, {"state", "linked"}, {"main_order_id", "5010"}};
  CHECK(render_order(order).find("gift:       1-yuan reservation order, linked, rides on repurchase 5010") !=
        std::string::npos);
}
