// erpctl as an operator runs it: the real binary against a Server in this process, found
// through a config file exactly like the daemon's.

#include <sys/stat.h>

#include <fstream>

#include "integration/harness.hpp"
#include "unit/api/api_fixture.hpp"

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
