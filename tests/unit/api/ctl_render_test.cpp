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
