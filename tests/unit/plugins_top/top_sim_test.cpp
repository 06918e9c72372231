// The adapter end to end against the TOP simulator (tests/sim/top), in process: the real gateway
// checks our signatures, timestamps and parameters, and its counters prove how often we shipped.

#include <doctest/doctest.h>

#include <cctype>
#include <set>

#include "plugins/top/top_adapter.hpp"
#include "plugins/top/top_time.hpp"
#include "top_fakes.hpp"
#include "unit/sim_top/top_fixture.hpp"

namespace {

using namespace erp::sdk;
using erp::plugins::top::AdapterOptions;
using erp::plugins::top::TopAdapter;
namespace fakes = erp::plugins::top::testing;

/// Routes the host's HttpClient into PlatformModule::handle, turning `hang` into the host's
/// timeout error and `truncate` into a cut body, as the real transport would.
class SimHttp final : public HttpClient {
 public:
  explicit SimHttp(erp::sim::PlatformModule& module) : module_(module) {}
  Result<HttpResponse> send(const HttpRequest& request) noexcept override {
    erp::sim::Request r;
    r.method = request.method;
    r.path = "/router/rest";
    r.target = "/router/rest";
    for (const auto& [name, value] : request.headers) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[lower] = value;
    }
    r.body = request.body;
    const auto answer = module_.handle(r);
    ++calls;
    if (answer.hang) return fail(ErrorCode::transient, "timed out");
    HttpResponse out;
    out.status = answer.status;
    out.body = answer.truncate ? answer.body.substr(0, answer.body.size() / 2) : answer.body;
    return out;
  }
  int calls = 0;

 private:
  erp::sim::PlatformModule& module_;
};

class SimClock final : public Clock {
 public:
  explicit SimClock(const erp::sim::Clock& clock) : clock_(clock) {}
  Instant now() const noexcept override { return clock_.now(); }

 private:
  const erp::sim::Clock& clock_;
};

class SimHost final : public HostContext {
 public:
  SimHost(sim_top_test::Fixture& sim, const erp::sim::Shop& shop) : http_(*sim.module), clock_(sim.clock) {
    cfg.values = {{"id", shop.id}, {"base_url", "http://sim/router/rest"}, {"app_key", shop.app_key}};
    keys.values = {{"app_secret", shop.app_secret}, {"session", shop.session}};
  }
  Logger& logger() noexcept override { return log; }
  HttpClient& http() noexcept override { return http_; }
  const Clock& clock() const noexcept override { return clock_; }
  const Secrets& secrets() const noexcept override { return keys; }
  const ConfigView& config() const noexcept override { return cfg; }
  StateStore& state() noexcept override { return saved; }

  SimHttp http_;
  SimClock clock_;
  fakes::FakeConfig cfg;
  fakes::FakeSecrets keys;
  erp::sdk::MemoryStateStore saved;
  fakes::FakeLogger log;
};

struct SimCase : sim_top_test::Fixture {
  Instant at(const char* china) { return *erp::plugins::top::parse_china_time(china); }
  ModifiedWindow last_hour() {
    return ModifiedWindow{clock.now() - std::chrono::hours{1}, clock.now() + std::chrono::seconds{1}};
  }
};

std::set<std::string> drain(TopAdapter& adapter, const ModifiedWindow& window, std::size_t* rejected = nullptr) {
  std::set<std::string> seen;
  std::string token;
  int guard = 0;
  do {
    auto page = adapter.list_modified(window, token);
    REQUIRE_MESSAGE(page.ok(), (page.ok() ? std::string() : page.error().message));
    for (const auto& o : page->orders) seen.insert(o.order_id);
    if (rejected != nullptr) *rejected += page->rejected.size();
    token = page->next_page;
  } while (!token.empty() && ++guard < 50);
  return seen;
}

}  // namespace

TEST_CASE_FIXTURE(SimCase, "sim: every sign method is accepted by the gateway") {
  must(taobao, sim_top_test::paid_order("100", 2));
  for (const char* method : {"md5", "hmac", "hmac-sha256"}) {
    CAPTURE(method);
    SimHost host(*this, taobao);
    host.cfg.values["sign_method"] = method;
    TopAdapter adapter(host, AdapterOptions{false});
    auto order = adapter.get_order("100");
    REQUIRE_MESSAGE(order.ok(), (order.ok() ? std::string() : order.error().message));
    CHECK(order->lines.size() == 2);
    CHECK(order->status == OrderStatus::paid);
    CHECK(order->total.fen == 2100);
  }
}

TEST_CASE_FIXTURE(SimCase, "sim: list_modified pages backwards through every trade of the window") {
  for (int i = 0; i < 7; ++i) must(taobao, sim_top_test::paid_order(std::to_string(200 + i), 1));
  SimHost host(*this, taobao);
  host.cfg.values["page_size"] = "3";
  TopAdapter adapter(host, AdapterOptions{false});
  advance(std::chrono::seconds{5});
  std::size_t rejected = 0;
  const auto seen = drain(adapter, last_hour(), &rejected);
  CHECK(rejected == 0);
  CHECK(seen.size() == 7);
  CHECK(seen.count("200") == 1);
  CHECK(seen.count("206") == 1);
}

TEST_CASE_FIXTURE(SimCase, "sim: Tmall Global bonded and step trades come back (type lists tmall_i18n and step)") {
  must(tmall,
       "type: order\ntid: \"300\"\npaid: true\ncross_border: bonded_import\nlines:\n  - {sku: A, price: \"100.00\"}\n");
  must(tmall,
       "type: order\ntid: \"301\"\npaid: true\ncross_border: direct_mail\nlines:\n  - {sku: A, price: \"100.00\"}\n");
  must(tmall, "type: order\ntid: \"302\"\nstep: true\nlines:\n  - {sku: B, price: \"50.00\"}\n");
  SimHost host(*this, tmall);
  TopAdapter adapter(host, AdapterOptions{true});
  advance(std::chrono::seconds{5});
  auto page = adapter.list_modified(last_hour(), "");
  REQUIRE(page.ok());
  CHECK(page->rejected.empty());
  std::map<std::string, Order> by_id;
  for (auto& o : page->orders) by_id[o.order_id] = o;
  REQUIRE(by_id.size() == 3);
  CHECK(by_id["300"].cross_border == CrossBorderType::bonded_import);
  CHECK(by_id["301"].cross_border == CrossBorderType::direct_mail);
  CHECK(by_id["302"].kind == OrderKind::presale);
  CHECK(by_id["300"].platform == "tmall");
  CHECK(by_id["300"].receiver.masked_name.find('*') != std::string::npos);
  CHECK_FALSE(by_id["300"].receiver.ciphertext.empty());  // oaid: the five receiver fields were asked for
}

TEST_CASE_FIXTURE(SimCase, "G2: the reservation tag arrives on a later listing of the main order") {
  must(tmall, "type: order\ntid: \"400\"\npaid: true\none_yuan: true\nlines:\n  - {sku: G, price: \"1.00\"}\n");
  must(tmall, "type: order\ntid: \"401\"\npaid: true\none_yuan: true\nlines:\n  - {sku: G, price: \"1.00\"}\n");
  must(tmall,
       "type: order\ntid: \"410\"\npaid: true\nreservations: [\"400\", \"401\"]\ntag_delay: 3h\n"
       "lines:\n  - {sku: M, price: \"2999.00\"}\n");
  SimHost host(*this, tmall);
  TopAdapter adapter(host, AdapterOptions{true});
  auto before = adapter.get_order("410");
  REQUIRE(before.ok());
  CHECK(before->reservation_order_ids.empty());
  advance(std::chrono::hours{3} + std::chrono::minutes{1});
  auto after = adapter.get_order("410");
  REQUIRE(after.ok());
  CHECK(after->reservation_order_ids == std::vector<std::string>{"400", "401"});
}

TEST_CASE_FIXTURE(SimCase, "sim: an upload that times out is read back and never uploaded twice") {
  must(taobao, sim_top_test::paid_order("500", 1));
  SimHost host(*this, taobao);
  TopAdapter adapter(host, AdapterOptions{false});
  faults.only_methods({"taobao.logistics.offline.send"});
  faults.set(erp::sim::Fault::timeout, 1.0);
  const Shipment shipment{"500", {Package{"YT500", "YTO", {}}}, "k500"};
  auto receipt = adapter.ship(shipment);
  REQUIRE_MESSAGE(receipt.ok(), (receipt.ok() ? std::string() : receipt.error().message));
  CHECK_FALSE(receipt->already_shipped);
  CHECK(counters.count("ship.upload", "500") == 1);
  faults.clear();
  auto again = adapter.ship(shipment);  // the host's retry after it lost the answer
  REQUIRE(again.ok());
  CHECK(again->already_shipped);
  CHECK(counters.count("ship.upload", "500") == 1);
}

TEST_CASE_FIXTURE(SimCase, "sim: truncated upload answers are read back too") {
  must(taobao, sim_top_test::paid_order("510", 2));
  SimHost host(*this, taobao);
  TopAdapter adapter(host, AdapterOptions{false});
  faults.only_methods({"taobao.logistics.offline.send"});
  faults.set(erp::sim::Fault::truncated, 1.0);
  auto receipt = adapter.ship(Shipment{"510", {Package{"YT5101", "YTO", {"5101"}}}, "k"});
  REQUIRE_MESSAGE(receipt.ok(), (receipt.ok() ? std::string() : receipt.error().message));
  CHECK(counters.count("ship.upload", "510") == 1);
  CHECK(counters.count("ship", "510", "5101") == 1);
  CHECK(counters.count("ship", "510", "5102") == 0);
}

TEST_CASE_FIXTURE(SimCase, "sim: shipped elsewhere with another waybill -> already_shipped (B04)") {
  must(taobao, sim_top_test::paid_order("520", 1));
  must(taobao, "type: ship\ntid: \"520\"\ncompany: SF\nout_sid: SF520\n");
  SimHost host(*this, taobao);
  TopAdapter adapter(host, AdapterOptions{false});
  auto receipt = adapter.ship(Shipment{"520", {Package{"YT520", "YTO", {}}}, "k"});
  REQUIRE_FALSE(receipt.ok());
  CHECK(receipt.error().code == ErrorCode::already_shipped);
  CHECK(counters.count("ship.upload", "520") == 0);
}

TEST_CASE_FIXTURE(SimCase, "G8: a split shipment gives each line its own waybill and ship time on the order") {
  must(taobao, sim_top_test::paid_order("530", 3));
  must(taobao, sim_top_test::paid_order("540", 2));
  SimHost host(*this, taobao);
  TopAdapter adapter(host, AdapterOptions{false});
  const Instant first = clock.now();
  REQUIRE(adapter.ship(Shipment{"530", {Package{"YT5301", "YTO", {"5301"}}}, "k1"}).ok());
  REQUIRE(adapter.ship(Shipment{"540", {Package{"YT540", "YTO", {}}}, "k3"}).ok());  // whole trade
  advance(std::chrono::hours{2});
  REQUIRE(adapter.ship(Shipment{"530", {Package{"SF5302", "SF", {"5302"}}}, "k2"}).ok());
  advance(std::chrono::minutes{30});
  // The platform side (web console) ships the last line: the same facts, not counted as ours.
  must(taobao, "type: ship\ntid: \"530\"\noid: \"5303\"\ncompany: ZTO\nout_sid: ZT5303\n");

  auto order = adapter.get_order("530");
  REQUIRE_MESSAGE(order.ok(), (order.ok() ? std::string() : order.error().message));
  CHECK(order->status == OrderStatus::shipped);
  REQUIRE(order->lines.size() == 3);
  const struct {
    const char* waybill;
    const char* carrier;
    Instant at;
  } expected[] = {{"YT5301", "YTO", first},
                  {"SF5302", "SF", first + std::chrono::hours{2}},
                  {"ZT5303", "ZTO", first + std::chrono::hours{2} + std::chrono::minutes{30}}};
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const auto& line = order->lines[i];
    CHECK(line.waybill == expected[i].waybill);
    CHECK(line.carrier == expected[i].carrier);
    REQUIRE(line.shipped_at);
    CHECK(*line.shipped_at == expected[i].at);
  }
  CHECK(order->extras.count("consign_time_unreadable.5301") == 0);

  auto whole = adapter.get_order("540");
  REQUIRE(whole.ok());
  for (const auto& line : whole->lines) {
    CHECK(line.waybill == "YT540");
    CHECK(line.carrier == "YTO");
    CHECK(line.shipped_at == std::optional<Instant>(first));
  }
}

TEST_CASE_FIXTURE(SimCase, "I3: write_memo lands on the trade") {
  must(taobao, sim_top_test::paid_order("600", 1));
  SimHost host(*this, taobao);
  TopAdapter adapter(host, AdapterOptions{false});
  REQUIRE(adapter.write_memo(MemoUpdate{"600", "拦截中", 3}).ok());
  auto order = adapter.get_order("600");
  REQUIRE(order.ok());
  CHECK(order->memo == "拦截中");
  CHECK(order->memo_flag == 3);
  REQUIRE(adapter.write_memo(MemoUpdate{"600", "", 0}).ok());
  CHECK(adapter.get_order("600")->memo.empty());
}

TEST_CASE_FIXTURE(SimCase, "sim: faults and bad credentials are classified") {
  must(taobao, sim_top_test::paid_order("700", 1));
  SimHost host(*this, taobao);
  TopAdapter adapter(host, AdapterOptions{false});
  faults.set(erp::sim::Fault::rate_limit, 1.0);
  auto limited = adapter.get_order("700");
  REQUIRE_FALSE(limited.ok());
  CHECK(limited.error().code == ErrorCode::rate_limited);
  REQUIRE(limited.error().retry_after);
  CHECK(limited.error().retry_after->count() == 1);
  faults.clear();
  faults.set(erp::sim::Fault::server_error, 1.0);
  CHECK(adapter.get_order("700").error().code == ErrorCode::transient);
  faults.clear();
  CHECK(adapter.get_order("999").error().code == ErrorCode::not_found);

  host.keys.values["app_secret"] = "WRONG";
  auto bad_sign = adapter.get_order("700");
  CHECK(bad_sign.error().code == ErrorCode::config_error);
  CHECK(bad_sign.error().message.find("app_secret") != std::string::npos);
  host.keys.values["app_secret"] = taobao.app_secret;
  host.keys.values["session"] = "NOT-A-SESSION";
  CHECK(adapter.get_order("700").error().code == ErrorCode::needs_reauth);
  for (const auto& line : host.log.lines) CHECK(line.find("NOT-A-SESSION") == std::string::npos);
}
