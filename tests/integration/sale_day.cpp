#include "integration/sale_day.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "integration/douyin_day.hpp"
#include "integration/fixtures.hpp"
#include "integration/scenario_shop.hpp"
#include "integration/shipments.hpp"

namespace erp::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kInterceptMemo = "拦截发货";
// The history's shops, with order ids the history never uses ("39...", "49...", "6990...").
const ScenarioShop kSaleTaobao{"taobao", kTaobaoShop.id, "39"};
const ScenarioShop kSaleTmall{"tmall", kTmallShop.id, "49"};
const ScenarioShop kSaleDouyin{"douyin", kDouyinShop.id, "6990"};
const std::vector<ScenarioShop> kSaleShops = {kSaleTaobao, kSaleTmall, kSaleDouyin};

/// A port free now, so erpd listens on the same one after every restart and the push URL the
/// platform knows stays valid.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  REQUIRE(bound);
  return ntohs(addr.sin_port);
}

std::string workflows_yaml() {
  return "workflows:\n  release_delay: 0s\n  intercept:\n    memo: \"" + kInterceptMemo +
         "\"\n    flag: 1\n    level: lock\n";
}

/// The day's fault setup: `share` of requests fail (in the mix the sync fault tests use); as many
/// pushes are dropped, and as many sent twice.
json fault_setup(double share) {
  return json{{"server_error", 0.35 * share}, {"rate_limit", 0.25 * share}, {"truncated", 0.25 * share},
              {"timeout", 0.15 * share},      {"push_drop", share},         {"push_duplicate", share}};
}

/// Kill moments, uniformly drawn over the waves and sorted.
std::vector<std::chrono::milliseconds> kill_moments(const SaleDayOptions& o) {
  std::mt19937_64 rng(o.seed);
  const auto span = o.wave_gap.count() * o.waves;
  std::uniform_int_distribution<std::int64_t> at(0, std::max<std::int64_t>(span - 1, 0));
  std::vector<std::chrono::milliseconds> out;
  for (int i = 0; i < o.kills; ++i) out.emplace_back(at(rng));
  std::sort(out.begin(), out.end());
  return out;
}

/// The warehouse's side of the day: ships each released new order, or has it intercepted and
/// confirms the lock erpd asks for. Every call is repeated until erpd answers it (erpd may be down).
class Warehouse {
 public:
  Warehouse(WebhookReceiver& webhook, const TempDir& dir) : webhook_(webhook), dir_(dir) {}

  void plan(const std::string& key, const std::string& action) { plan_[key] = action; }
  const std::map<std::string, std::string>& planned() const { return plan_; }
  std::size_t done() const { return done_.size(); }

  /// One round over the released new orders not yet handled.
  void act() {
    std::set<std::string> released;
    for (const auto& r : webhook_.requests()) {
      if (r.event != "order.released") continue;
      const json body = json::parse(r.body, nullptr, false);
      if (body.is_object() && body.contains("order")) released.insert(key_of(body["order"]));
    }
    for (const auto& [key, action] : plan_) {
      if (done_.count(key) || !released.count(key)) continue;
      const std::string order_id = key.substr(key.rfind('/') + 1);
      if (action == "ship") {
        const int status = post_shipment(dir_, key, shipment_body("S" + order_id, {Parcel{"W" + order_id, {}}}, "SF"));
        if (status == 202 || status == 200) done_.insert(key);
      } else if (intercept_locked(key)) {
        done_.insert(key);
      }
    }
  }

  static std::string key_of(const json& order) {
    return order.value("platform", "") + "/" + order.value("shop", "") + "/" + order.value("order_id", "");
  }

 private:
  /// Asks for the intercept (repeating it answers the open one) and confirms the lock.
  bool intercept_locked(const std::string& key) {
    const std::string api = api_url(dir_), token = api_token(dir_);
    const auto asked = http("POST", api + "/v1/orders/" + key + "/intercepts", token,
                            json{{"reason", "buyer ordered twice"}, {"by", "cs"}}.dump());
    if (asked.status < 200 || asked.status > 202) return false;
    const json intercept = json::parse(asked.body, nullptr, false).value("intercept", json::object());
    if (intercept.value("state", "") == "locked") return true;
    if (intercept.value("state", "") != "awaiting_warehouse") return false;
    const auto confirmed =
        http("POST", api + "/v1/intercepts/" + std::to_string(intercept.value("id", 0)) + "/confirm", token,
             json{{"outcome", "locked"}, {"by", "wms"}, {"note", "taken off the shelf"}}.dump());
    return confirmed.status == 200;
  }

  WebhookReceiver& webhook_;
  const TempDir& dir_;
  std::map<std::string, std::string> plan_;  ///< Key -> "ship" | "intercept".
  std::set<std::string> done_;
};

/// What still keeps the day from its end, or "" when it ended.
std::string unsettled(const TempDir& dir, const Warehouse& warehouse, int expected) {
  if (warehouse.done() < warehouse.planned().size()) {
    return "the warehouse handled " + std::to_string(warehouse.done()) + " of " +
           std::to_string(warehouse.planned().size()) + " new orders";
  }
  const auto stored = stored_order_count(dir);
  if (stored != expected) return "stored " + std::to_string(stored) + " of " + std::to_string(expected) + " orders";
  const auto outbox = http("GET", api_url(dir) + "/v1/outbox?limit=1000", api_token(dir));
  if (outbox.status != 200) return "the outbox did not answer";
  const json items = json::parse(outbox.body)["items"];  // kept: the parsed document is a temporary
  for (const auto& item : items) {
    if (item["state"] != "done") return "outbox item " + item.dump() + " not done";
  }
  const auto orders = stored_orders(dir);
  for (const auto& [key, action] : warehouse.planned()) {
    const json& order = orders.at(key);
    if (action == "ship" && order["status"] != "shipped") {
      return key + " not shown shipped yet: erpd has it " + order["status"].get<std::string>() + " (" +
             order["platform_status"].get<std::string>() + "), modified " + order["modified_at"].dump() +
             "; its history: " + http("GET", api_url(dir) + "/v1/orders/" + key + "/why", api_token(dir)).body;
    }
    if (action == "intercept" && (order["memo"] != kInterceptMemo || !order["intercept"].is_object() ||
                                  order["intercept"]["state"] != "locked")) {
      return key + " not shown intercepted yet: " + order["intercept"].dump() + ", memo " + order["memo"].dump();
    }
  }
  return "";
}

void strip_instants(json& j) {
  if (j.is_array()) {
    for (auto& item : j) strip_instants(item);
    return;
  }
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end();) {
    const std::string& key = it.key();
    const bool instant = key == "ship_by" || (key.size() > 3 && key.compare(key.size() - 3, 3, "_at") == 0);
    if (instant || key == "id" || key == "hold_id") {
      it = j.erase(it);
    } else {
      strip_instants(*it);
      ++it;
    }
  }
}

}  // namespace

json settled_state(json order) {
  json holds = json::array();
  for (const auto& hold : order["holds"]) holds.push_back(hold["reason_code"]);
  std::sort(holds.begin(), holds.end());
  order["holds"] = holds;
  strip_instants(order);
  return order;
}

SaleDayEnd run_sale_day(const SaleDayOptions& o) {
  SaleDayEnd end;
  TempDir sim_dir;
  PlatformSim sim(sim_dir.path());
  REQUIRE(sim.start());
  const DayPlan history = load_trading_day(sim, o.history_orders);
  end.expected_orders = history.total() + load_douyin_day(sim, o.history_orders, {kDouyinShop});
  // Loading the history set the simulator's clock, which then stands still. The sale happens
  // now: without this every new order and shipment would carry the loading's instant, older
  // with each second than erpd's poll overlap, and only pushes could show them.
  const json clock = sim_admin(sim, "POST", "/admin/clock", json{{"follow_real_time", true}}.dump());
  REQUIRE(clock["follows_real_time"] == true);

  WebhookReceiver webhook;
  webhook.fail_one_in = o.warehouse_fail_one_in;
  TempDir dir;
  ConfigOptions options = with_webhook(webhook.url());
  const std::string listen = "127.0.0.1:" + std::to_string(free_port());
  options.api_listen = listen;
  options.shops_yaml = top_shops_yaml(sim, {kTaobaoShop, kTmallShop}) + douyin_shop_yaml(sim, kDouyinShop);
  options.outbox_yaml = "  max_attempts: 100\n  backoff_initial: 200ms\n  backoff_max: 2s\n";
  options.extra_yaml = day_sync_yaml() + workflows_yaml();
  write_config(dir, options);
  if (o.platform_faults > 0) sim_admin(sim, "POST", "/admin/faults", fault_setup(o.platform_faults).dump());
  // Douyin pushes every change of the shop's orders to erpd from now on.
  sim_admin(sim, "POST", "/admin/scenario?name=push.yaml",
            "shops:\n" + kSaleDouyin.scenario_shop("http://" + listen + "/push/" + kSaleDouyin.id));

  auto erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
  REQUIRE_MESSAGE(erpd->start(), erpd->log());
  const auto started = Clock::now();

  // Kills at random moments of the waves, each followed by a restart on the same database.
  std::atomic<bool> restart_failed{false};
  std::atomic<int> kills{0};
  std::thread killer([&] {
    for (const auto moment : kill_moments(o)) {
      std::this_thread::sleep_until(started + moment);
      erpd->kill9();
      erpd = std::make_unique<Erpd>(dir / "erpd.yaml", dir.path());
      if (!erpd->start(30s)) {
        restart_failed = true;
        return;
      }
      ++kills;
    }
  });

  Warehouse warehouse(webhook, dir);
  int next_order = 1;
  for (int wave = 0; wave < o.waves && !restart_failed; ++wave) {
    std::string events;
    for (const auto& shop : kSaleShops) {
      for (int i = 0; i < o.wave_orders; ++i) {
        const int n = next_order + i;
        const std::string order_id = shop.order_id(n);
        events += shop.order_event(order_id, 1 + n % 3);
        warehouse.plan(shop.key(order_id), n % 5 == 0 ? "intercept" : "ship");
      }
    }
    next_order += o.wave_orders;
    const json applied = sim_admin(sim, "POST", "/admin/scenario?name=wave.yaml", "events:\n" + events);
    CHECK_MESSAGE(applied["refused"].empty(), applied.dump());
    const auto wave_end = started + o.wave_gap * (wave + 1);
    while (Clock::now() < wave_end) {
      warehouse.act();
      std::this_thread::sleep_for(300ms);
    }
  }
  killer.join();
  end.kills = kills;
  end.expected_orders += static_cast<int>(warehouse.planned().size());
  REQUIRE_MESSAGE(!restart_failed, erpd->log());

  const auto deadline = Clock::now() + o.settle_within;
  while (Clock::now() < deadline) {
    warehouse.act();
    end.unsettled = unsettled(dir, warehouse, end.expected_orders);
    if (end.unsettled.empty()) break;
    for (const auto& shop : kSaleShops) http("POST", api_url(dir) + "/v1/shops/" + shop.id + "/sync", api_token(dir));
    std::this_thread::sleep_for(1s);
  }
  end.settled = end.unsettled.empty();
  end.seconds = std::chrono::duration<double>(Clock::now() - started).count();

  for (auto& [key, order] : stored_orders(dir)) end.orders[key] = settled_state(order);
  std::vector<std::string> keys;
  for (const auto& [key, order] : end.orders) keys.push_back(key);
  end.received = received_counts(dir, keys);
  std::map<std::string, std::set<std::string>> release_keys;
  for (const auto& r : webhook.requests()) {
    if (r.event != "order.released") continue;
    const json body = json::parse(r.body, nullptr, false);
    if (body.is_object() && body.contains("order"))
      release_keys[Warehouse::key_of(body["order"])].insert(r.idempotency_key);
  }
  for (const auto& [key, distinct] : release_keys) end.release_keys[key] = static_cast<int>(distinct.size());
  end.new_orders = warehouse.planned();
  end.counters = sim_admin(sim, "GET", "/admin/counters");
  const std::string log = erpd->log();
  end.log_tail = log.substr(log.size() > 6000 ? log.size() - 6000 : 0);
  erpd->signal(SIGTERM);
  CHECK(erpd->wait() == 0);
  return end;
}

void check_handled_once(const SaleDayEnd& end) {
  INFO("erpd's log ends:\n" << end.log_tail);
  REQUIRE_MESSAGE(end.settled, end.unsettled);
  CHECK(end.orders.size() == static_cast<std::size_t>(end.expected_orders));
  for (const auto& [key, received] : end.received) {
    INFO(key);
    CHECK(received == 1);
  }
  for (const auto& [key, distinct] : end.release_keys) {
    INFO(key);
    CHECK(distinct == 1);
  }
  const auto count = [&](const char* kind, const std::string& order_id) {
    const auto it = end.counters.find(kind);
    return it != end.counters.end() && it->is_object() ? it->value(order_id, 0) : 0;
  };
  for (const auto& [key, action] : end.new_orders) {
    INFO(key << " (" << action << ")");
    const std::string order_id = key.substr(key.rfind('/') + 1);
    CHECK(count("ship.upload", order_id) == (action == "ship" ? 1 : 0));
    CHECK(count("memo", order_id) == (action == "intercept" ? 1 : 0));
  }
}

void check_same_end(const SaleDayEnd& quiet, const SaleDayEnd& day) {
  REQUIRE(day.orders.size() == quiet.orders.size());
  for (const auto& [key, order] : quiet.orders) {
    INFO(key);
    REQUIRE(day.orders.count(key) == 1);
    CHECK(day.orders.at(key).dump() == order.dump());
  }
}

SaleDayOptions sale_day_from_env(SaleDayOptions o) {
  const auto number = [](const char* name, int fallback) {
    const char* text = std::getenv(name);
    return text && *text ? std::stoi(text) : fallback;
  };
  o.kills = number("ERP_SALE_DAY_KILLS", o.kills);
  o.waves = number("ERP_SALE_DAY_WAVES", o.waves);
  o.wave_orders = number("ERP_SALE_DAY_WAVE_ORDERS", o.wave_orders);
  o.history_orders = number("ERP_SALE_DAY_HISTORY", o.history_orders);
  return o;
}

}  // namespace erp::test
