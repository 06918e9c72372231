// The Qimen module inside the simulator, over HTTP, driven the way erpd's tests drive it: a
// scenario registers the WMS (platform qimen) and its settings, the ERP's calls go to
// /router/qimen/service, events are applied now through POST /admin/scenario, and
// GET /admin/state and /admin/counters show what happened (the syntax tests/sim/README.md gives).

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>

#include "core/modules.hpp"
#include "core/sim_server.hpp"
#include "core/simulator.hpp"
#include "qimen_fixture.hpp"
#include "qimen_receiver.hpp"
#include "unit/sim_core/sim_fixture.hpp"

using namespace erp::sim;
using namespace erp::sim::qimen;
using namespace erp::sim::qimen::test;

namespace {

struct QimenSim {
  Simulator sim;
  boost::asio::io_context io;
  std::unique_ptr<SimServer> server;
  std::vector<std::thread> threads;

  QimenSim() {
    sim.add_module(make_qimen_module(sim.context()));
    server = std::make_unique<SimServer>(io, sim);
    if (auto error = server->listen("127.0.0.1", 0)) throw std::runtime_error(*error);
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~QimenSim() {
    server->stop();
    io.stop();
    for (auto& t : threads) t.join();
  }
  erp::sim::testing::HttpResult call(const std::string& method, const std::string& target,
                                     const std::string& body = "") {
    return erp::sim::testing::http_call(server->port(), method, target, body);
  }
  /// The ERP's signed call, sent over HTTP.
  erp::sim::testing::HttpResult erp_call(const std::string& method, const std::string& body) {
    Params query = {{"method", method},
                    {"timestamp", "2026-11-11 10:00:00"},
                    {"format", "xml"},
                    {"app_key", kAppKey},
                    {"v", "2.0"},
                    {"sign_method", "md5"},
                    {"customerId", kCustomer}};
    query.emplace_back("sign", sign(query, body, kSecret, SignMethod::md5));
    std::string target = "/router/qimen/service";
    char separator = '?';
    for (const auto& [name, value] : query) {
      std::string encoded;
      for (const char c : value) encoded += c == ' ' ? std::string("%20") : std::string(1, c);
      target += separator + name + "=" + encoded;
      separator = '&';
    }
    return call("POST", target, body);
  }
};

}  // namespace

TEST_CASE("a WMS registered by scenario takes creates over HTTP and ships when an admin event says so") {
  Receiver erp;
  QimenSim s;
  const std::string scenario = R"(
shops:
  - id: C100
    platform: qimen
    app_key: qimen-app
    app_secret: test-secret-qimen
    push_url: )" + erp.url() + R"(
events:
  - {at: "+0s", shop: C100, type: settings, format: xml, cancel_mode: sync, auto_ship: false}
)";
  const auto loaded = s.call("POST", "/admin/scenario", scenario);
  REQUIRE(loaded.status == 200);
  CHECK(loaded.json()["applied"] == 1);

  const auto created = s.erp_call("deliveryorder.create", two_line_order("DO-H"));
  CHECK(created.status == 200);
  const auto answer = parse_answer(created.body);
  REQUIRE(answer);
  CHECK(answer->flag == "success");

  // Trigger now: JSON is YAML, so tests can post events as JSON.
  const auto shipped = s.call("POST", "/admin/scenario",
                              R"({"events":[{"at":"+0s","shop":"C100","type":"ship","code":"DO-H",)"
                              R"("packages":[{"carrier":"SF","waybill":"SF9","lines":["1","2"]}]}]})");
  REQUIRE(shipped.status == 200);
  CHECK(shipped.json()["applied"] == 1);
  const auto refused =
      s.call("POST", "/admin/scenario", R"({"events":[{"at":"+0s","shop":"C100","type":"ship","code":"DO-H"}]})");
  CHECK(refused.json()["refused"][0]["message"].get<std::string>().find("nothing left") != std::string::npos);

  // The call is made in the background: poll the state until the answer is recorded.
  json wms;
  for (int i = 0; i < 100; ++i) {
    wms = s.call("GET", "/admin/state").json()["modules"]["qimen"]["wms"]["C100"];
    if (!wms["calls"].empty() && wms["calls"][0]["state"] == "answered") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(wms["push_url"] == erp.url());
  CHECK(wms["settings"]["cancel_mode"] == "sync");
  CHECK(wms["delivery_orders"]["DO-H"]["status"] == "DELIVERED");
  CHECK(wms["delivery_orders"]["DO-H"]["parcels"][0]["waybill"] == "SF9");
  REQUIRE(wms["calls"].size() == 1);
  CHECK(wms["calls"][0]["method"] == "taobao.qimen.deliveryorder.confirm");
  CHECK(wms["calls"][0]["flag"] == "success");
  CHECK(wms["received"][0]["method"] == "deliveryorder.create");
  CHECK(wms["received"][0]["order_code"] == "DO-H");
  REQUIRE(erp.received().size() == 1);
  CHECK(erp.received()[0].param("method") == "taobao.qimen.deliveryorder.confirm");

  const json counters = s.call("GET", "/admin/counters?order_id=DO-H").json();
  CHECK(counters["qimen.create"]["DO-H"] == 1);
  CHECK(counters["qimen.confirm"]["DO-H"] == 1);

  // A reset forgets orders and settings; the WMS stays registered.
  REQUIRE(s.call("POST", "/admin/reset").status == 200);
  wms = s.call("GET", "/admin/state").json()["modules"]["qimen"]["wms"]["C100"];
  CHECK(wms["delivery_orders"].empty());
  CHECK(wms["push_url"] == erp.url());
}
