// erpctl as an operator runs it: the real binary against a Server in this process, found
// through a config file exactly like the daemon's.

#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "integration/harness.hpp"
#include "unit/api/api_fixture.hpp"
#include "unit/api/ctl_dropship_fixture.hpp"
#include "unit/api/ctl_deadline_fixture.hpp"

using namespace erp::test::api_support;
using erp::test::TempDir;
namespace fs = std::filesystem;

namespace {

using Run = erp::test::CommandResult;

/// A config naming this API: listen address, token file (0600) and the other required keys.
fs::path write_config(const TempDir& dir, const std::string& listen, const std::string& token = kToken) {
  const fs::path token_file = dir.path() / "api.token";
  std::ofstream(token_file) << token << "\n";
  ::chmod(token_file.c_str(), 0600);
  const fs::path config = dir.path() / "erpd.yaml";
  std::ofstream(config) << "database:\n  path: " << (dir.path() / "erpd.db").string() << "\n"
                        << "plugins:\n  dir: " << dir.path().string() << "\n"
                        << "api:\n  listen: " << listen << "\n  token_file: " << token_file.string() << "\n"
                        << "shops: []\n";
  return config;
}

Run erpctl(const fs::path& config, std::vector<std::string> args) {
  args.insert(args.begin(), {erp::test::erpctl_binary().string(), "--config", config.string()});
  return erp::test::run(args, {{"SUDO_USER", "alice"}});
}

struct Setup {
  Api api;
  TempDir dir;
  fs::path config;
  Setup() { config = write_config(dir, "127.0.0.1:" + std::to_string(api.server->port())); }
  Run operator()(std::vector<std::string> args) { return erpctl(config, std::move(args)); }
};

}  // namespace

TEST_CASE("erpctl status: people get a summary, scripts get the API's JSON") {
  Setup ctl;
  const auto status = ctl({"status"});
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  CHECK(status.out.find("erpd 0.1.0: running") == 0);
  const auto j = ctl({"status", "--json"});
  REQUIRE(j.exit_code == 0);
  CHECK(json::parse(j.out) == ctl.api.status);
}

TEST_CASE("erpctl orders list, show and why, with ORDER in full or as a bare id") {
  Setup ctl;
  ctl.api.seed(make_order("s1", "3001"));
  ctl.api.seed(make_order("s1", "3002"));
  ctl.api.workflow_hold(OrderKey{"tmall", "s1", "3002"});

  const auto list = ctl({"orders", "list"});
  CHECK_MESSAGE(list.exit_code == 0, list.err);
  CHECK(list.out.find("ORDER") == 0);
  CHECK(list.out.find("tmall/s1/3001") != std::string::npos);
  CHECK(list.out.find("held (TAG_WINDOW)") != std::string::npos);

  const auto held = json::parse(ctl({"orders", "list", "--state", "held", "--json"}).out);
  REQUIRE(held["orders"].size() == 1);
  CHECK(held["orders"][0]["order_id"] == "3002");

  const auto paged = json::parse(ctl({"orders", "list", "--limit", "1", "--all", "--json"}).out);
  CHECK(paged["orders"].size() == 2);

  const auto show = ctl({"orders", "show", "3001"});
  CHECK_MESSAGE(show.exit_code == 0, show.err);
  CHECK(show.out.find("tmall/s1/3001") == 0);
  CHECK(show.out.find("138****5678") != std::string::npos);
  CHECK(show.out.find(kCiphertext) == std::string::npos);
  CHECK(json::parse(ctl({"orders", "show", "tmall/s1/3001", "--json"}).out)["order_id"] == "3001");
  CHECK(json::parse(ctl({"orders", "show", "s1/3001", "--json"}).out)["order_id"] == "3001");

  const auto why = ctl({"why", "3002"});
  CHECK_MESSAGE(why.exit_code == 0, why.err);
  CHECK(why.out.find("tmall/s1/3002: Held by the gift workflow (rule G2): waiting for the reservation tag.") == 0);
  CHECK(why.out.find("Order received from the platform") != std::string::npos);
  CHECK(ctl({"orders", "why", "3002", "--json"}).exit_code == 0);
}

TEST_CASE("erpctl hold and release: the operator is recorded, the last release lets the order go") {
  Setup ctl;
  ctl.api.seed(make_order("s1", "4001"));
  const auto hold = ctl({"hold", "4001", "--reason", "check the address", "--until", "2026-11-12 10:00:00", "--json"});
  REQUIRE_MESSAGE(hold.exit_code == 0, hold.err);
  const json placed = json::parse(hold.out);
  CHECK(placed["owner"] == "operator:alice");  // the login behind sudo
  CHECK(placed["auto_release_at"] == "2026-11-12T02:00:00Z");

  const auto refused = ctl({"hold", "4001"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--reason") != std::string::npos);
  CHECK(ctl({"hold", "4001", "--reason", "x", "--until", "soon"}).exit_code == 2);

  const auto release = ctl({"release", "tmall/s1/4001", std::to_string(placed["id"].get<long>()), "--reason", "fine"});
  CHECK_MESSAGE(release.exit_code == 0, release.err);
  CHECK(release.out.find("lifted") != std::string::npos);
  CHECK(release.out.find("released to the warehouse") != std::string::npos);
  CHECK(json::parse(ctl({"orders", "show", "4001", "--json"}).out)["released"] == true);

  const auto again = ctl({"release", "4001", std::to_string(placed["id"].get<long>())});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already released") != std::string::npos);
}

TEST_CASE("erpctl: a workflow hold needs --force") {
  Setup ctl;
  ctl.api.seed(make_order("s1", "4002"));
  const auto id = std::to_string(ctl.api.workflow_hold(OrderKey{"tmall", "s1", "4002"}));
  const auto refused = ctl({"release", "4002", id});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("force") != std::string::npos);
  CHECK(ctl({"release", "4002", id, "--force"}).exit_code == 0);
}

TEST_CASE("erpctl: unknown and ambiguous orders, daemon errors and usage errors have their own exit codes") {
  Setup ctl;
  ctl.api.seed(make_order("s1", "5001"));
  ctl.api.seed(make_order("s2", "5001"));

  const auto missing = ctl({"orders", "show", "tmall/s1/nope"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("not found") != std::string::npos);
  CHECK(ctl({"orders", "show", "nope"}).exit_code == 1);

  const auto ambiguous = ctl({"why", "5001"});
  CHECK(ambiguous.exit_code == 2);
  CHECK(ambiguous.err.find("tmall/s1/5001") != std::string::npos);
  CHECK(ambiguous.err.find("tmall/s2/5001") != std::string::npos);

  CHECK(ctl({"release", "tmall/s1/5001", "999999"}).exit_code == 1);
  CHECK(ctl({"orders", "list", "--state", "lost"}).exit_code == 1);
  CHECK(ctl({"frobnicate"}).exit_code == 2);
  CHECK(ctl({"orders"}).exit_code == 2);
  CHECK(ctl({"orders", "show"}).exit_code == 2);
  CHECK(ctl({"status", "--force"}).exit_code == 2);
  CHECK(ctl({"status", "--bogus"}).exit_code == 2);
  const auto help = ctl({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("Usage: erpctl") == 0);
  const auto command_help = ctl({"release", "--help"});
  CHECK(command_help.exit_code == 0);
  CHECK(command_help.out.find("--force") != std::string::npos);
}

TEST_CASE("erpctl: a wrong token is the daemon's error; no daemon is unreachable, naming the address") {
  Setup ctl;
  TempDir other;
  const auto wrong =
      erpctl(write_config(other, "127.0.0.1:" + std::to_string(ctl.api.server->port()), "wrong"), {"status"});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.find("invalid bearer token") != std::string::npos);

  TempDir nobody;
  const auto down = erpctl(write_config(nobody, "127.0.0.1:1"), {"status"});
  CHECK(down.exit_code == 3);
  CHECK(down.err.find("127.0.0.1:1") != std::string::npos);

  const auto bad_config = erpctl(nobody.path() / "missing.yaml", {"status"});
  CHECK(bad_config.exit_code == 2);
  CHECK(bad_config.err.find("missing.yaml") != std::string::npos);
}

TEST_CASE("erpctl outbox list and retry") {
  Setup ctl;
  ctl.api.seed(make_order("s1", "6001"));
  std::int64_t id = 0;
  {
    auto tx = ctl.api.store->begin();
    id = ctl.api.store->enqueue(*tx,
                                store::NewOutboxItem{"warehouse.deliver:tmall/s1/6001", "warehouse.deliver",
                                                     "warehouse", OrderKey{"tmall", "s1", "6001"}, json::object()},
                                now_utc());
    tx->commit();
  }
  ctl.api.store->mark_failed(id, "HTTP 422", std::nullopt, true, now_utc());

  const auto table = ctl({"outbox", "list", "--state", "dead"});
  CHECK_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out.find("warehouse.deliver") != std::string::npos);
  CHECK(table.out.find("HTTP 422") != std::string::npos);
  CHECK(json::parse(ctl({"outbox", "list", "--json"}).out)["items"].size() == 1);

  const auto retry = ctl({"outbox", "retry", std::to_string(id)});
  CHECK_MESSAGE(retry.exit_code == 0, retry.err);
  CHECK(retry.out.find("pending again") != std::string::npos);
  CHECK(ctl.api.wakes == 1);
  CHECK(ctl({"outbox", "retry", "424242"}).exit_code == 1);
}

TEST_CASE("erpctl still reaches the daemon when the config file has since gone bad elsewhere") {
  Setup ctl;
  std::ofstream(ctl.config, std::ios::app) << "bogus_key: 1\n";
  const auto status = ctl({"status", "--json"});
  CHECK_MESSAGE(status.exit_code == 0, status.err);
  CHECK(json::parse(status.out)["state"] == "running");
  CHECK(status.err.find("check-config") != std::string::npos);

  // A broken api section is a config error naming the key.
  TempDir dir;
  const fs::path bad = write_config(dir, "127.0.0.1:notaport");
  const auto refused = erpctl(bad, {"status"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("api.listen") != std::string::npos);
}

TEST_CASE("erpctl intercept: usage errors are caught before anything is asked, and help lists the commands") {
  Setup ctl;
  for (const char* sub : {"request", "status", "cancel"}) {
    const auto missing = ctl({"intercept", sub});
    CHECK_MESSAGE(missing.exit_code == 2, sub);
    CHECK(missing.err.find("missing arguments") != std::string::npos);
    CHECK(missing.err.find(std::string("intercept ") + sub + " ORDER") != std::string::npos);
  }
  const auto no_before = ctl({"intercept", "unlock"});
  CHECK(no_before.exit_code == 2);
  CHECK(no_before.err.find("--before") != std::string::npos);
  const auto bad_before = ctl({"intercept", "unlock", "--before", "tomorrow"});
  CHECK(bad_before.exit_code == 2);
  CHECK(bad_before.err.find("'tomorrow' is not a time") != std::string::npos);
  CHECK(ctl({"intercept", "unlock", "tmall/s1/1", "--before", "2026-11-12"}).exit_code == 2);  // no ORDER here

  for (const char* lines : {"", ",", "2,,3", "2 3", "2,"}) {
    const auto bad = ctl({"intercept", "request", "tmall/s1/9001", "--lines", lines});
    CHECK_MESSAGE(bad.exit_code == 2, lines);
    CHECK(bad.err.find("is not a list of line ids") != std::string::npos);
  }
  CHECK(ctl({"intercept", "request", "tmall/s1/9001", "--lines"}).exit_code == 2);  // no value
  CHECK(ctl({"intercept", "request", "tmall/s1/9001", "--before", "2026-11-12"}).exit_code == 2);
  CHECK(ctl({"intercept", "list", "--lines", "2"}).exit_code == 2);
  CHECK(ctl({"intercept", "status", "tmall/s1/9001", "extra"}).exit_code == 2);

  const auto unknown = ctl({"intercept", "stop"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown subcommand 'stop'") != std::string::npos);

  const auto help = ctl({"--help"});
  REQUIRE(help.exit_code == 0);
  for (const char* usage : {"intercept request ORDER [--lines L1,L2] [--reason TEXT] [--by NAME]",
                            "intercept status ORDER", "intercept cancel ORDER [--reason TEXT] [--by NAME]",
                            "intercept unlock --before DATETIME [--shop S] [--by NAME]",
                            "intercept list [--state S] [--shop S] [--platform P] [--limit N]"}) {
    CHECK_MESSAGE(help.out.find(usage) != std::string::npos, usage);
  }
  const auto group = ctl({"intercept", "--help"});
  CHECK(group.exit_code == 0);
  CHECK(group.out.find("intercept unlock --before DATETIME") != std::string::npos);
  const auto request_help = ctl({"help", "intercept", "request"});
  CHECK(request_help.exit_code == 0);
  CHECK(request_help.out.find("parcel interception") != std::string::npos);
  CHECK(request_help.out.find("(I8)") != std::string::npos);
}

TEST_CASE("erpctl gift list, gift show and alerts clear (rules G1, G4, G5)") {
  Setup ctl;
  auto reservation = make_order("s1", "4001");
  reservation.lines.resize(1);
  ctl.api.seed(reservation);
  ctl.api.seed(make_order("s1", "5010"));
  {
    auto tx = ctl.api.store->begin();
    store::GiftReservation r;
    r.key = OrderKey{"tmall", "s1", "4001"};
    r.pieces = 1;
    r.state = store::ReservationState::linked;
    r.recognised_by = "sku";
    r.created_at = r.updated_at = now_utc();
    ctl.api.store->put_reservation(*tx, r);
    store::GiftLink link;
    link.reservation = r.key;
    link.main = OrderKey{"tmall", "s1", "5010"};
    link.rule_id = "G2";
    link.source = "tag";
    link.pieces = 1;
    link.created_at = link.updated_at = now_utc();
    ctl.api.store->add_gift_link(*tx, link);
    REQUIRE(ctl.api.store->raise_alert(
        *tx, store::NewAlert{"gift.not_shipped", "tmall/s1/4001", r.key, "G5", "Tmall has not marked 4001 shipped", {}},
        now_utc()));
    tx->commit();
  }

  const auto list = ctl({"gift", "list", "--state", "linked"});
  CHECK_MESSAGE(list.exit_code == 0, list.err);
  CHECK(list.out.find("ORDER  SHOP  STATE   PIECES  LINKED MAIN") == 0);
  CHECK(list.out.find("4001   s1    linked  1       5010") != std::string::npos);
  CHECK(ctl({"gift", "list", "--state", "frozen"}).exit_code == 1);
  const auto listed = ctl({"gift", "list", "--json"});
  REQUIRE(listed.exit_code == 0);
  CHECK(json::parse(listed.out)["reservations"][0]["link"]["main_order_id"] == "5010");

  const auto main = ctl({"gift", "show", "5010"});
  CHECK_MESSAGE(main.exit_code == 0, main.err);
  CHECK(main.out.find("tmall/s1/5010\n") == 0);
  CHECK(main.out.find("repurchase (main) order; 1 reservation order(s) linked") != std::string::npos);
  CHECK(main.out.find("gift:4001:4001-1") != std::string::npos);
  const auto shown = ctl({"gift", "show", "tmall/s1/4001", "--json"});
  REQUIRE(shown.exit_code == 0);
  CHECK(json::parse(shown.out)["role"] == "reservation");
  CHECK(ctl({"gift", "show", "9999"}).exit_code == 1);
  CHECK(ctl({"gift", "show"}).exit_code == 2);

  const auto alerts = ctl({"alerts"});
  CHECK(alerts.out.find("gift.not_shipped  tmall/s1/4001") != std::string::npos);
  const auto cleared = ctl({"alerts", "clear", "gift.not_shipped", "tmall/s1/4001"});
  CHECK_MESSAGE(cleared.exit_code == 0, cleared.err);
  CHECK(cleared.out.find("Alert gift.not_shipped about tmall/s1/4001 cleared") == 0);
  CHECK(ctl.api.store->events(OrderKey{"tmall", "s1", "4001"}).back().actor == "operator:alice");
  const auto again = ctl({"alerts", "clear", "gift.not_shipped", "tmall/s1/4001"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("no open alert") != std::string::npos);
  CHECK(ctl({"alerts", "clear", "gift.not_shipped"}).exit_code == 2);
  CHECK(ctl({"alerts"}).out == "No alerts.\n");

  const auto help = ctl({"--help"});
  for (const char* usage : {"gift list [--state S] [--shop S] [--platform P] [--limit N]", "gift show ORDER",
                            "alerts clear KIND SUBJECT [--by NAME]"}) {
    CHECK_MESSAGE(help.out.find(usage) != std::string::npos, usage);
  }
}

// --- erpctl dropship (rules D1-D11, docs/dropship.md) -------------------------------------------

namespace {

/// erpctl against an API with the dropship hub (tests/unit/api/ctl_dropship_fixture.hpp).
struct DropshipSetup {
  DropshipApi api;
  TempDir dir;
  fs::path config;
  DropshipSetup() { config = write_config(dir, "127.0.0.1:" + std::to_string(api.server->port())); }
  Run operator()(std::vector<std::string> args) { return erpctl(config, std::move(args)); }
};

/// The output line holding `needle` ("" when none): one table row.
std::string row_with(const std::string& out, const std::string& needle) {
  std::size_t start = 0;
  while (start < out.size()) {
    const auto end = std::min(out.find('\n', start), out.size());
    const std::string line = out.substr(start, end - start);
    if (line.find(needle) != std::string::npos) return line;
    start = end + 1;
  }
  return {};
}

bool has(const std::string& text, const std::string& needle) { return text.find(needle) != std::string::npos; }

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

/// An order of shop s1 created after the bindings of DropshipApi::bind took effect (D3).
erp::sdk::Order dropship_order(const std::string& id, const std::string& shop = "s1") { return make_order(shop, id); }

}  // namespace

TEST_CASE("D2 erpctl dropship factories lists each factory with its bindings") {
  DropshipSetup ctl;
  ctl.api.bind("s1", "acme");
  REQUIRE(ctl.api.service->request_binding("s2", "acme", now_utc()).ok());

  const auto table = ctl({"dropship", "factories"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out.find("ID    NAME        DOUYIN SHOP  OWN SHOP  NOTIFIES    BINDINGS") == 0);
  const auto acme = row_with(table.out, "acme");
  CHECK(has(acme, "Acme Shoes"));
  CHECK(has(acme, "yes"));
  CHECK(has(acme, "s2 requested, s1 bound"));
  const auto bolt = row_with(table.out, "bolt");
  CHECK(has(bolt, "7000002"));
  CHECK(has(bolt, "no (polls)"));
  CHECK(has(bolt, "none"));

  const auto j = ctl({"dropship", "factories", "--json"});
  REQUIRE(j.exit_code == 0);
  const json factories = json::parse(j.out)["factories"];
  REQUIRE(factories.size() == 2);
  CHECK(factories[0]["id"] == "acme");
  CHECK(factories[0]["notifies"] == true);
  CHECK(factories[0]["bindings"].size() == 2);
  CHECK(factories[1]["douyin_shop_id"] == "7000002");
}

TEST_CASE("D2 erpctl dropship bind and bindings") {
  DropshipSetup ctl;
  const auto bind = ctl({"dropship", "bind", "s1", "acme"});
  REQUIRE_MESSAGE(bind.exit_code == 0, bind.err);
  CHECK(bind.out.find("Binding 1: shop s1 with factory acme is requested.\n") == 0);
  CHECK(has(bind.out, "the factory confirms it through the factory API (D2)"));

  const auto again = ctl({"dropship", "bind", "s1", "acme"});
  CHECK(again.exit_code == 1);
  CHECK(has(again.err, "shop s1 already has binding 1 with factory acme (requested) (HTTP 409)"));
  const auto factory_shop = ctl({"dropship", "bind", "dy-f", "acme"});  // D1: a factory binds nothing
  CHECK(factory_shop.exit_code == 1);
  CHECK(has(factory_shop.err, "(D1)"));
  const auto unknown = ctl({"dropship", "bind", "s1", "nobody"});
  CHECK(unknown.exit_code == 1);
  CHECK(has(unknown.err, "no factory 'nobody'"));
  CHECK(has(unknown.err, "(HTTP 404)"));

  const auto second = ctl({"dropship", "bind", "s2", "bolt", "--json"});
  REQUIRE_MESSAGE(second.exit_code == 0, second.err);
  const json requested = json::parse(second.out);
  CHECK(requested["state"] == "requested");
  CHECK(requested["shop"] == "s2");
  const auto bolt_binding = requested["id"].get<std::int64_t>();

  // The factory confirms with its own token (D2).
  const auto confirmed = ctl.api.factory("POST", "/v1/factory/bindings/1/confirm");
  REQUIRE(confirmed.status == 200);

  const auto table = ctl({"dropship", "bindings"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out.find("ID  PLATFORM  SHOP  FACTORY  STATE      REQUESTED (UTC+8)") == 0);
  CHECK(has(row_with(table.out, "acme"), "bound"));
  CHECK(has(row_with(table.out, "acme"), "confirmed by the factory"));
  CHECK(has(row_with(table.out, "bolt"), "requested"));
  CHECK(line_count(table.out) == 3);
  CHECK(line_count(ctl({"dropship", "bindings", "--state", "bound"}).out) == 2);
  const auto filtered = ctl({"dropship", "bindings", "--factory", "bolt", "--shop", "s2", "--json"});
  REQUIRE(filtered.exit_code == 0);
  REQUIRE(json::parse(filtered.out)["bindings"].size() == 1);
  CHECK(json::parse(filtered.out)["bindings"][0]["id"] == bolt_binding);
  CHECK(ctl({"dropship", "bindings", "--shop", "nope"}).out == "No bindings.\n");
  const auto bad_state = ctl({"dropship", "bindings", "--state", "lost"});
  CHECK(bad_state.exit_code == 1);
  CHECK(has(bad_state.err, "state: must be requested, bound or unbound (HTTP 400)"));

  const auto unbind = ctl({"dropship", "unbind", "1"});
  REQUIRE_MESSAGE(unbind.exit_code == 0, unbind.err);
  CHECK(unbind.out.find("Binding 1: shop s1 with factory acme is unbound.\nunbound by the merchant (D2)\n") == 0);
  CHECK(has(unbind.out, "taken back from factory acme"));
  CHECK(has(row_with(ctl({"dropship", "bindings", "--state", "unbound"}).out, "acme"), "unbound"));
  CHECK(ctl({"dropship", "unbind", "1"}).exit_code == 0);  // ending an ended binding changes nothing
  const auto missing = ctl({"dropship", "unbind", "999"});
  CHECK(missing.exit_code == 1);
  CHECK(has(missing.err, "no binding 999 (HTTP 404)"));
  CHECK(ctl({"dropship", "unbind", "one"}).exit_code == 1);
  // A new binding may be asked for once the old one ended.
  CHECK(ctl({"dropship", "bind", "s1", "acme"}).exit_code == 0);
}

TEST_CASE("D4 erpctl dropship assign prints each line's outcome and exits non-zero on a refusal") {
  DropshipSetup ctl;
  ctl.api.bind("s1", "acme");
  ctl.api.seed(dropship_order("4001"));
  ctl.api.seed(dropship_order("4002"));
  auto old = dropship_order("3999");
  old.created_at = *parse_rfc3339("2026-10-20T00:00:00Z");  // before the binding took effect
  ctl.api.seed(old);
  ctl.api.seed(dropship_order("4101", "s2"));  // s2 has no binding

  const auto one = ctl({"dropship", "assign", "acme", "tmall/s1/4001:4001-1"});
  REQUIRE_MESSAGE(one.exit_code == 0, one.err);
  CHECK(one.out.find("ORDER          LINE    OUTCOME   DROPSHIP LINE  MESSAGE") == 0);
  CHECK(has(row_with(one.out, "4001-1"), "assigned"));
  CHECK(has(row_with(one.out, "4001-1"), "assigned to factory acme (D4)"));
  CHECK(has(one.out, "1 assigned, 0 refused.\n"));

  const auto batch = ctl({"dropship", "assign", "acme", "4001:4001-1,4001-2", "s1/4002", "3999", "tmall/s2/4101"});
  CHECK(batch.exit_code == 1);
  CHECK(has(row_with(batch.out, "4001-1"), "refused (already_assigned)"));
  CHECK(has(row_with(batch.out, "4001-2"), "assigned"));
  for (const char* line : {"4002-1", "4002-2", "4002-3"})
    CHECK_MESSAGE(has(row_with(batch.out, line), "assigned"), line);
  const auto before = row_with(batch.out, "tmall/s1/3999");
  CHECK(has(before, "(order)"));
  CHECK(has(before, "refused (conflict)"));
  CHECK(has(before, "(D3)"));
  const auto unbound = row_with(batch.out, "tmall/s2/4101");
  CHECK(has(unbound, "refused (conflict)"));
  CHECK(has(unbound, "no binding in force with factory acme (D2)"));
  CHECK(has(batch.out, "4 assigned, 3 refused.\n"));

  const auto j = ctl({"dropship", "assign", "acme", "4001:4001-9", "--json"});
  CHECK(j.exit_code == 1);
  const json results = json::parse(j.out)["results"];
  REQUIRE(results.size() == 1);
  CHECK(results[0]["refusal"] == "not_found");
  CHECK(results[0]["order"] == "tmall/s1/4001");

  // Every line of 4002 is a factory's: held as DROPSHIP, the warehouse gets nothing (D6).
  const json held = json::parse(ctl({"orders", "show", "4002", "--json"}).out);
  REQUIRE(held["holds"].size() == 1);
  CHECK(held["holds"][0]["reason_code"] == "DROPSHIP");
  // 4001-3 is left for the merchant's warehouse: no hold, the order goes there without the rest.
  CHECK(json::parse(ctl({"orders", "show", "4001", "--json"}).out)["holds"].empty());

  // An ORDER that does not resolve assigns nothing at all.
  const auto lines_before = ctl.api.store->dropship_lines_of(OrderKey{"tmall", "s1", "4001"}).size();
  const auto typo = ctl({"dropship", "assign", "acme", "4001:4001-3", "9999"});
  CHECK(typo.exit_code == 1);
  CHECK(has(typo.err, "order 9999 not found"));
  CHECK(ctl.api.store->dropship_lines_of(OrderKey{"tmall", "s1", "4001"}).size() == lines_before);

  CHECK(ctl({"dropship", "assign", "acme"}).exit_code == 2);
  for (const char* bad : {"4001:", "4001:4001-1,,4001-2", "4001:4001-1 4001-2", ":4001-1"}) {
    const auto refused = ctl({"dropship", "assign", "acme", bad});
    CHECK_MESSAGE(refused.exit_code == 2, bad);
    CHECK(has(refused.err, "is not ORDER[:LINE[,LINE...]]"));
  }
}

TEST_CASE("D7 D8 erpctl dropship lines, show and unassign") {
  DropshipSetup ctl;
  ctl.api.bind("s1", "acme");
  ctl.api.seed(dropship_order("4001"));
  ctl.api.seed(dropship_order("4002"));
  const auto ids = ctl.api.assign(OrderKey{"tmall", "s1", "4001"}, "acme");
  REQUIRE(ids.size() == 3);
  REQUIRE(ctl.api.service->factory_ship(ids[0], "acme", "SF", "SF100", now_utc()).ok());  // D5
  {
    auto line = *ctl.api.store->get_dropship_line(ids[1]);
    line.buyer_cancelled = true;  // D8: stays assigned, must not ship
    line.detail = "the buyer cancelled; it stays assigned but must not ship (D8)";
    auto tx = ctl.api.store->begin();
    ctl.api.store->update_dropship_line(*tx, line);
    tx->commit();
  }

  const auto table = ctl({"dropship", "lines"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out.find("ID  ORDER          LINE    FACTORY  STATE     CANCELLED  WAYBILL             MESSAGE") == 0);
  CHECK(has(row_with(table.out, "4001-1"), "shipped"));
  CHECK(has(row_with(table.out, "4001-1"), "SF SF100 (factory)"));
  CHECK(has(row_with(table.out, "4001-2"), "yes"));
  CHECK(has(row_with(table.out, "4001-2"), "must not ship (D8)"));
  CHECK(has(row_with(table.out, "4001-3"), "assigned"));
  CHECK(line_count(table.out) == 4);
  CHECK(!has(table.out, kCiphertext));
  CHECK(!has(table.out, "138****5678"));

  const auto shipped = ctl({"dropship", "lines", "--state", "shipped", "--json"});
  REQUIRE(shipped.exit_code == 0);
  REQUIRE(json::parse(shipped.out)["lines"].size() == 1);
  CHECK(json::parse(shipped.out)["lines"][0]["waybill"] == "SF100");
  CHECK(line_count(ctl({"dropship", "lines", "--order", "4001", "--factory", "acme", "--shop", "s1"}).out) == 4);
  CHECK(ctl({"dropship", "lines", "--factory", "bolt"}).out == "No dropship lines.\n");
  const auto bad_state = ctl({"dropship", "lines", "--state", "lost"});
  CHECK(bad_state.exit_code == 1);
  CHECK(has(bad_state.err, "state: must be assigning, assigned, shipped, unassigned or refused"));

  const auto show = ctl({"dropship", "show", "4001"});
  REQUIRE_MESSAGE(show.exit_code == 0, show.err);
  CHECK(show.out.find("tmall/s1/4001\nID  ORDER") == 0);
  CHECK(line_count(show.out) == 5);
  CHECK(json::parse(ctl({"dropship", "show", "tmall/s1/4001", "--json"}).out)["lines"].size() == 3);
  CHECK(ctl({"dropship", "show", "4002"}).out ==
        "tmall/s1/4002: no line of this order was ever assigned to a factory; the merchant ships it.\n");
  CHECK(ctl({"dropship", "show", "9999"}).exit_code == 1);

  const auto unassign = ctl({"dropship", "unassign", std::to_string(ids[2])});
  REQUIRE_MESSAGE(unassign.exit_code == 0, unassign.err);
  CHECK(unassign.out == "Dropship line " + std::to_string(ids[2]) +
                            " (tmall/s1/4001 line 4001-3, factory acme) is unassigned: taken back by the merchant.\n");
  const auto too_late = ctl({"dropship", "unassign", std::to_string(ids[0])});  // D7: it shipped
  CHECK(too_late.exit_code == 1);
  CHECK(has(too_late.err, "shipped already; it cannot be taken back (D7) (HTTP 409)"));
  CHECK(ctl({"dropship", "unassign", "999"}).exit_code == 1);
  CHECK(has(row_with(ctl({"dropship", "lines"}).out, "4001-3"), "unassigned"));
}

TEST_CASE("D4 erpctl dropship lines follows next_after through every page") {
  DropshipSetup ctl;
  ctl.api.bind("s1", "acme");
  auto big = dropship_order("4200");
  big.lines.clear();
  for (int i = 1; i <= 205; ++i) {
    erp::sdk::OrderLine line;
    line.line_id = "4200-" + std::to_string(i);
    line.sku = "sku";
    line.title = "袜子";
    line.quantity = 1;
    line.status = erp::sdk::OrderStatus::paid;
    big.lines.push_back(line);
  }
  ctl.api.seed(big);
  REQUIRE(ctl.api.assign(OrderKey{"tmall", "s1", "4200"}, "acme").size() == 205);

  const auto j = ctl({"dropship", "lines", "--json"});
  REQUIRE_MESSAGE(j.exit_code == 0, j.err);
  const json all = json::parse(j.out);
  CHECK(all["lines"].size() == 205);
  CHECK(all["next_after"].is_null());
  CHECK(all["lines"].back()["line_id"] == "4200-205");
  const auto table = ctl({"dropship", "lines"});
  CHECK(line_count(table.out) == 206);
}

TEST_CASE("D10 erpctl dropship audit lists receiver hand-outs, never a receiver") {
  DropshipSetup ctl;
  ctl.api.bind("s1", "acme");
  ctl.api.seed(dropship_order("4001"));
  const auto ids = ctl.api.assign(OrderKey{"tmall", "s1", "4001"}, "acme", {"4001-1"});
  // The factory asks for the receiver: no running adapter for the Tmall shop here, so none is
  // handed out, and the attempt is on record.
  const auto asked = ctl.api.factory("POST", "/v1/factory/lines/" + std::to_string(ids[0]) + "/receiver");
  CHECK(asked.status == 503);
  CHECK(asked.error_code() == "unavailable");
  {
    auto tx = ctl.api.store->begin();
    ctl.api.store->log_receiver_access(
        *tx, store::ReceiverAccess{0, "bolt", 77, "douyin", "dy-f", "6930001", "decrypted", now_utc()});
    tx->commit();
  }

  const auto table = ctl({"dropship", "audit"});
  REQUIRE_MESSAGE(table.exit_code == 0, table.err);
  CHECK(table.out.find("ID  AT (UTC+8)           FACTORY  DROPSHIP LINE  ORDER                OUTCOME") == 0);
  CHECK(has(row_with(table.out, "acme"), "tmall/s1/4001"));
  CHECK(has(row_with(table.out, "acme"), "unavailable"));
  CHECK(has(row_with(table.out, "bolt"), "douyin/dy-f/6930001"));
  CHECK(has(row_with(table.out, "bolt"), "decrypted"));
  CHECK(line_count(table.out) == 3);
  CHECK(table.out.find("bolt") < table.out.find("acme"));  // newest first
  for (const char* secret : {kCiphertext, "138****5678", "张*"}) CHECK_MESSAGE(!has(table.out, secret), secret);

  const auto acme = ctl({"dropship", "audit", "--factory", "acme", "--json"});
  REQUIRE(acme.exit_code == 0);
  const json accesses = json::parse(acme.out)["accesses"];
  REQUIRE(accesses.size() == 1);
  CHECK(accesses[0]["dropship_line"] == ids[0]);
  CHECK(!has(acme.out, kCiphertext));
  CHECK(ctl({"dropship", "audit", "--factory", "nobody"}).out ==
        "No receiver was handed to a factory, nor asked for.\n");
}

TEST_CASE("D11 erpctl dropship reconcile, and a daemon without the dropship workflow") {
  DropshipSetup ctl;
  const auto reconcile = ctl({"dropship", "reconcile"});
  REQUIRE_MESSAGE(reconcile.exit_code == 0, reconcile.err);
  CHECK(reconcile.out.find("Reconciliation started (D11)") == 0);
  CHECK(ctl.api.reconciles == 1);
  const auto j = ctl({"dropship", "reconcile", "--json"});
  REQUIRE(j.exit_code == 0);
  CHECK(json::parse(j.out) == json{{"reconciling", true}});
  CHECK(ctl.api.reconciles == 2);

  Setup plain;  // no DropshipService, no reconciliation
  const auto factories = plain({"dropship", "factories"});
  CHECK(factories.exit_code == 1);
  CHECK(has(factories.err, "the dropship workflow is not running (HTTP 503)"));
  const auto none = plain({"dropship", "reconcile"});
  CHECK(none.exit_code == 1);
  CHECK(has(none.err, "dropship reconciliation is not running (HTTP 503)"));
}

TEST_CASE("erpctl dropship: usage errors are caught before anything is asked, and help lists the commands") {
  Setup ctl;
  CHECK(ctl({"dropship"}).exit_code == 2);
  const auto unknown = ctl({"dropship", "ship"});
  CHECK(unknown.exit_code == 2);
  CHECK(has(unknown.err, "unknown subcommand 'ship'"));
  CHECK(ctl({"dropship", "bind", "s1"}).exit_code == 2);
  CHECK(ctl({"dropship", "bind", "s1", "acme", "extra"}).exit_code == 2);
  CHECK(ctl({"dropship", "unbind"}).exit_code == 2);
  CHECK(ctl({"dropship", "unassign"}).exit_code == 2);
  CHECK(ctl({"dropship", "show"}).exit_code == 2);
  CHECK(ctl({"dropship", "lines", "--order"}).exit_code == 2);  // no value
  const auto wrong_option = ctl({"dropship", "audit", "--state", "bound"});
  CHECK(wrong_option.exit_code == 2);
  CHECK(has(wrong_option.err, "option --state does not apply here"));
  CHECK(ctl({"dropship", "reconcile", "now"}).exit_code == 2);

  const auto help = ctl({"--help"});
  REQUIRE(help.exit_code == 0);
  for (const char* usage :
       {"dropship factories", "dropship bindings [--shop S] [--factory F] [--state ST]", "dropship bind SHOP FACTORY",
        "dropship unbind BINDING_ID", "dropship assign FACTORY ORDER[:LINE[,LINE...]] ...", "dropship unassign LINE_ID",
        "dropship lines [--factory F] [--shop S] [--state ST] [--order ORDER_ID]", "dropship show ORDER",
        "dropship audit [--factory F]", "dropship reconcile"}) {
    CHECK_MESSAGE(has(help.out, usage), usage);
  }
  const auto group = ctl({"dropship", "--help"});
  CHECK(group.exit_code == 0);
  CHECK(has(group.out, "dropship assign FACTORY"));
  const auto assign_help = ctl({"help", "dropship", "assign"});
  CHECK(assign_help.exit_code == 0);
  CHECK(has(assign_help.out, "(D3)"));
  CHECK(has(assign_help.out, "DROPSHIP"));
}

// --- erpctl deadline (rules S1-S13, docs/deadlines.md) -------------------------------------------

namespace {

/// erpctl against an API with the deadline engine (tests/unit/api/ctl_deadline_fixture.hpp).
struct DeadlineSetup {
  DeadlineApi api;
  TempDir dir;
  fs::path config;
  DeadlineSetup() { config = write_config(dir, "127.0.0.1:" + std::to_string(api.server->port())); }
  Run operator()(std::vector<std::string> args) { return erpctl(config, std::move(args)); }
};

/// A Tmall order of shop s1 paid at `paid` (RFC 3339) with no ship-by of the platform's own, so
/// the promised 48 h or a holiday window decides (S1, S5-S7).
erp::sdk::Order deadline_order(const std::string& id, const std::string& paid = "2026-11-11T02:00:03Z",
                               erp::sdk::OrderStatus status = erp::sdk::OrderStatus::paid) {
  auto order = make_order("s1", id, status);
  order.paid_at = *parse_rfc3339(paid);
  order.created_at = *order.paid_at;
  order.modified_at = *order.paid_at;
  order.ship_by.reset();
  return order;
}

}  // namespace

TEST_CASE("S1 erpctl deadline show") {
  DeadlineSetup ctl;
  const auto paid = *parse_rfc3339("2026-11-11T02:00:03Z");
  ctl.api.seed(deadline_order("6001"), paid + std::chrono::hours{1});
  // S7: paid in the 2024 Spring Festival window of config/calendars.
  ctl.api.seed(deadline_order("6002", "2024-02-05T04:00:00Z"), *parse_rfc3339("2024-02-05T05:00:00Z"));
  {
    auto tx = ctl.api.store->begin();
    ctl.api.store->upsert_order(*tx, deadline_order("6004"), paid);  // stored, never shown to the engine
    tx->commit();
  }

  const auto show = ctl({"deadline", "show", "6001"});
  REQUIRE_MESSAGE(show.exit_code == 0, show.err);
  CHECK(show.out.find("tmall/s1/6001\n") == 0);
  CHECK(has(show.out, "Ship by:        2026-11-13 10:00:03 UTC+8 (rule S1: paid time + the promised 48 h)"));
  CHECK(has(show.out, "State:          open: not shipped; the ship-by is ahead"));
  CHECK_FALSE(has(show.out, "Holiday window"));
  CHECK_FALSE(has(show.out, "Pickup due"));
  CHECK(has(show.out, "No reports (S4)."));
  CHECK(has(show.out, "No tracking events."));

  const auto holiday = ctl({"deadline", "show", "tmall/s1/6002"});
  REQUIRE_MESSAGE(holiday.exit_code == 0, holiday.err);
  CHECK(has(holiday.out, "Ship by:        2024-02-19 23:59:59 UTC+8 (rule S7: paid in 天猫 2024 春节"));
  CHECK(has(holiday.out, "Holiday window: tmall-2024-spring-festival"));

  const auto j = ctl({"deadline", "show", "s1/6002", "--json"});
  REQUIRE_MESSAGE(j.exit_code == 0, j.err);
  const json answer = json::parse(j.out);
  CHECK(answer["order"] == "tmall/s1/6002");
  CHECK(answer["deadline"]["ship_by"] == "2024-02-19T15:59:59Z");
  CHECK(answer["deadline"]["rule"] == "S7");
  CHECK(answer["deadline"]["window"] == "tmall-2024-spring-festival");
  CHECK(answer["reports"].empty());

  const auto unseen = ctl({"deadline", "show", "6004"});
  REQUIRE_MESSAGE(unseen.exit_code == 0, unseen.err);
  CHECK(has(unseen.out, "The deadline engine has not seen this order yet"));
  CHECK(json::parse(ctl({"deadline", "show", "6004", "--json"}).out)["deadline"].is_null());

  const auto missing = ctl({"deadline", "show", "tmall/s1/nope"});
  CHECK(missing.exit_code == 1);
  CHECK(has(missing.err, "not found"));
  CHECK(ctl({"deadline", "show"}).exit_code == 2);
  CHECK(ctl({"deadline", "show", "6001", "--kind", "pickup"}).exit_code == 2);  // not an option of show
  CHECK(ctl({"deadline"}).exit_code == 2);

  const auto help = ctl({"--help"});
  REQUIRE(help.exit_code == 0);
  for (const char* usage : {"deadline show ORDER",
                            "deadline report ORDER --kind K (--waive | --move-to TIME) --note TEXT [--by NAME]",
                            "deadline track ORDER --waybill W --kind KIND --at TIME [--source S]"}) {
    CHECK_MESSAGE(has(help.out, usage), usage);
  }
  CHECK(has(ctl({"help", "deadline", "report"}).out, "force_majeure"));
}

TEST_CASE("S4 erpctl deadline report waives and moves") {
  DeadlineSetup ctl;
  ctl.api.seed(deadline_order("7001"));

  // Every usage error is caught before anything is asked.
  CHECK(ctl({"deadline", "report", "7001", "--waive", "--note", "x"}).exit_code == 2);  // no --kind
  const auto bad_kind = ctl({"deadline", "report", "7001", "--kind", "storm", "--waive", "--note", "x"});
  CHECK(bad_kind.exit_code == 2);
  CHECK(has(bad_kind.err, "force_majeure, address or buyer_delay (not 'storm')"));
  const auto neither = ctl({"deadline", "report", "7001", "--kind", "address", "--note", "x"});
  CHECK(neither.exit_code == 2);
  CHECK(has(neither.err, "not neither"));
  const auto both = ctl({"deadline", "report", "7001", "--kind", "address", "--waive", "--move-to", "2026-12-20",
                         "--note", "x"});
  CHECK(both.exit_code == 2);
  CHECK(has(both.err, "not both"));
  CHECK(ctl({"deadline", "report", "7001", "--kind", "address", "--waive"}).exit_code == 2);  // no --note
  const auto bad_time =
      ctl({"deadline", "report", "7001", "--kind", "address", "--move-to", "next week", "--note", "x"});
  CHECK(bad_time.exit_code == 2);
  CHECK(has(bad_time.err, "--move-to 'next week' is not a time"));
  CHECK(ctl.api.store->deadline_reports(OrderKey{"tmall", "s1", "7001"}).empty());

  const auto moved = ctl({"deadline", "report", "7001", "--kind", "buyer_delay", "--move-to", "2026-12-20 18:00:00",
                          "--note", "the buyer asked to ship after the move"});
  REQUIRE_MESSAGE(moved.exit_code == 0, moved.err);
  CHECK(moved.out.find("Report recorded (S4, buyer_delay): its ship-by is moved to 2026-12-20 18:00:00 UTC+8.\n"
                       "tmall/s1/7001\n") == 0);
  CHECK(has(moved.out, "(rule S4: moved by a buyer_delay report: the buyer asked to ship after the move)"));
  auto d = ctl.api.store->get_deadline(OrderKey{"tmall", "s1", "7001"});
  REQUIRE(d.has_value());
  CHECK(d->ship_by == parse_rfc3339("2026-12-20T10:00:00Z"));
  CHECK(d->rule_id == "S4");

  const auto waived = ctl({"deadline", "report", "s1/7001", "--kind", "force_majeure", "--waive", "--note",
                           "typhoon: the warehouse is closed", "--by", "bob", "--json"});
  REQUIRE_MESSAGE(waived.exit_code == 0, waived.err);
  const json answer = json::parse(waived.out);
  CHECK(answer["state"] == "waived");
  CHECK(answer["rule"] == "S4");

  const auto show = ctl({"deadline", "show", "7001"});
  REQUIRE_MESSAGE(show.exit_code == 0, show.err);
  CHECK(has(show.out, "State:          waived: an approved report waived the ship-by (S4)"));
  CHECK(has(show.out, "Reports (S4, the latest decides):"));
  const auto first = row_with(show.out, "operator:alice");  // the login behind sudo
  CHECK(has(first, "buyer_delay"));
  CHECK(has(first, "move"));
  CHECK(has(first, "2026-12-20 18:00:00"));
  const auto second = row_with(show.out, "operator:bob");
  CHECK(has(second, "force_majeure"));
  CHECK(has(second, "waive"));
  CHECK(has(second, "typhoon"));

  const auto unknown = ctl({"deadline", "report", "9999", "--kind", "address", "--waive", "--note", "x"});
  CHECK(unknown.exit_code == 1);
  CHECK(has(unknown.err, "not found"));

  Setup plain;  // no DeadlineService
  plain.api.seed(make_order("s1", "7002"));
  const auto off = plain({"deadline", "report", "7002", "--kind", "address", "--waive", "--note", "x"});
  CHECK(off.exit_code == 1);
  CHECK(has(off.err, "the deadline engine is not running (HTTP 503)"));
}

TEST_CASE("S2 erpctl deadline track records a pickup") {
  DeadlineSetup ctl;
  auto order = deadline_order("8001", "2026-11-11T02:00:03Z", erp::sdk::OrderStatus::shipped);
  for (auto& line : order.lines) line.shipped_at = *parse_rfc3339("2026-11-11T06:00:00Z");
  ctl.api.seed(order);

  const auto shipped = ctl({"deadline", "show", "8001"});
  REQUIRE_MESSAGE(shipped.exit_code == 0, shipped.err);
  CHECK(has(shipped.out, "Shipped:        2026-11-11 14:00:00 UTC+8"));
  CHECK(has(shipped.out, "Pickup due:     2026-11-12 14:00:00 UTC+8 (rule S2)"));
  CHECK(has(shipped.out, "Picked up:      not yet"));

  CHECK(ctl({"deadline", "track", "8001", "--waybill", "SF100", "--kind", "pickup"}).exit_code == 2);  // no --at
  const auto bad_kind =
      ctl({"deadline", "track", "8001", "--waybill", "SF100", "--kind", "scan", "--at", "2026-11-12 09:00:00"});
  CHECK(bad_kind.exit_code == 2);
  CHECK(has(bad_kind.err, "pickup, hub_arrival, hub_departure, transit or delivered (not 'scan')"));
  CHECK(ctl({"deadline", "track", "8001", "--waybill", "SF100", "--kind", "pickup", "--at", "soon"}).exit_code == 2);
  CHECK(ctl({"deadline", "track", "8001", "--kind", "pickup", "--at", "2026-11-12 09:00:00"}).exit_code == 2);
  CHECK(ctl.api.store->tracking_events(OrderKey{"tmall", "s1", "8001"}).empty());

  const auto pickup =
      ctl({"deadline", "track", "8001", "--waybill", "SF100", "--kind", "pickup", "--at", "2026-11-12 09:00:00"});
  REQUIRE_MESSAGE(pickup.exit_code == 0, pickup.err);
  CHECK(pickup.out.find("Tracking recorded: pickup of waybill SF100 at 2026-11-12 09:00:00 UTC+8.\n"
                        "tmall/s1/8001\n") == 0);
  CHECK(has(pickup.out, "Picked up:      2026-11-12 09:00:00 UTC+8"));

  // S3: the first sorting centre more than 24 h after pickup, outside any holiday window.
  const auto hub = ctl({"deadline", "track", "tmall/s1/8001", "--waybill", "SF100", "--kind", "hub_arrival", "--at",
                        "2026-11-13T10:00:00Z", "--source", "carrier:sf", "--json"});
  REQUIRE_MESSAGE(hub.exit_code == 0, hub.err);
  const json answer = json::parse(hub.out);
  CHECK(answer["picked_up_at"] == "2026-11-12T01:00:00Z");
  CHECK(answer["first_hub_at"] == "2026-11-13T10:00:00Z");
  CHECK(has(row_with(ctl({"alerts"}).out, "deadline.fake_shipping_risk"), "tmall/s1/8001"));

  const auto show = ctl({"deadline", "show", "8001"});
  REQUIRE_MESSAGE(show.exit_code == 0, show.err);
  CHECK(has(show.out, "First hub:      2026-11-13 18:00:00 UTC+8"));
  CHECK(has(show.out, "Tracking:\n"));
  const auto picked = row_with(show.out, "SF100");  // the first tracking row
  CHECK(has(picked, "pickup"));
  CHECK(has(picked, "2026-11-12 09:00:00"));
  CHECK(has(picked, "warehouse"));  // the default source
  CHECK(has(row_with(show.out, "carrier:sf"), "hub_arrival"));
  const json shown = json::parse(ctl({"deadline", "show", "8001", "--json"}).out);
  REQUIRE(shown["tracking"].size() == 2);
  CHECK(shown["tracking"][0]["kind"] == "pickup");
}

TEST_CASE("S10 erpctl deadline after-sale starts and ends a step's timer through the API") {
  DeadlineSetup ctl;
  auto order = deadline_order("8101", "2024-01-28T02:00:00Z", erp::sdk::OrderStatus::shipped);
  for (auto& line : order.lines) line.shipped_at = *parse_rfc3339("2024-01-29T02:00:00Z");
  ctl.api.seed(order, *parse_rfc3339("2024-01-29T02:00:01Z"));
  const std::string line = order.lines.at(0).line_id;

  // Usage errors are caught before anything is asked.
  CHECK(ctl({"deadline", "after-sale", "8101", "--step", "buyer_amend"}).exit_code == 2);  // no --line
  const auto bad_step = ctl({"deadline", "after-sale", "8101", "--line", line, "--step", "shrug"});
  CHECK(bad_step.exit_code == 2);
  CHECK(has(bad_step.err, "exchange_auto_confirm (not 'shrug')"));

  // A returned parcel arrived in the 2024 window: the merchant has 15 days to confirm it.
  const auto started = ctl({"deadline", "after-sale", "8101", "--line", line, "--step", "merchant_confirm_return",
                            "--at", "2024-02-03 10:00:00"});
  REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  CHECK(started.out.find("Started: merchant_confirm_return of line " + line + " (S10).\ntmall/s1/8101\n") == 0);
  const auto row = row_with(started.out, "tmall-2024-spring-festival");  // the table's one row
  CHECK(has(row, "merchant_confirm_return"));
  CHECK(has(row, " merchant "));
  CHECK(has(row, "2024-02-03 10:00:00"));
  CHECK(has(row, "2024-02-18 10:00:00"));
  CHECK(has(row, "tmall-2024-spring-festival"));

  // After the window the platform's everyday timeouts apply, which erpd does not know: refused.
  const auto outside = ctl({"deadline", "after-sale", "8101", "--line", line, "--step", "buyer_amend", "--at",
                            "2024-02-17 00:00:00"});
  CHECK(outside.exit_code == 1);
  CHECK(has(outside.err, "no holiday notice of tmall gives buyer_amend a response time then (S10)"));

  const json shown = json::parse(ctl({"deadline", "show", "8101", "--json"}).out);
  REQUIRE(shown["after_sale"].size() == 1);
  CHECK(shown["after_sale"][0]["due_at"] == "2024-02-18T02:00:00Z");
  CHECK(shown["after_sale"][0]["owed_by"] == "merchant");
  CHECK(has(ctl({"deadline", "show", "8101"}).out, "After-sale timers (S10):"));

  const auto ended =
      ctl({"deadline", "after-sale", "8101", "--line", line, "--step", "merchant_confirm_return", "--end", "--json"});
  REQUIRE_MESSAGE(ended.exit_code == 0, ended.err);
  CHECK_FALSE(json::parse(ended.out)["after_sale"][0]["ended_at"].is_null());
  const auto again = ctl({"deadline", "after-sale", "8101", "--line", line, "--step", "merchant_confirm_return", "--end"});
  CHECK(again.exit_code == 1);
  CHECK(has(again.err, "no running merchant_confirm_return timer"));
  CHECK(has(ctl({"--help"}).out, "deadline after-sale ORDER --line L --step STEP [--at TIME] [--end]"));
}
