// The example module answers exactly the API the plugin template reads (the comment at the top of
// sdk/template/example_plugin.cpp): bearer token, modified window, paging, get by id, faults.

#include "example/example_module.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/simulator.hpp"

namespace {

using erp::sim::Request;
using erp::sim::Response;
using nlohmann::json;

struct ExampleSim {
  erp::sim::Simulator sim;
  std::string token;
  long long now_s = 0;

  explicit ExampleSim(int orders) {
    sim.add_module(erp::sim::make_example_module(sim.context()));
    const auto shop = sim.generate("example", 1, orders)["shops"][0];
    token = shop["api_token"].get<std::string>();
    CHECK(shop["base_path"] == "/example");
    now_s = std::chrono::duration_cast<std::chrono::seconds>(sim.clock().now().time_since_epoch()).count();
  }

  Response get(const std::string& path, std::vector<std::pair<std::string, std::string>> query = {},
               const std::string& bearer = "") {
    Request request;
    request.method = "GET";
    request.path = path;
    request.target = path;
    request.query = std::move(query);
    request.headers["authorization"] = "Bearer " + (bearer.empty() ? token : bearer);
    return sim.handle(request);
  }

  Response list(long long from, long long to, const std::string& page = "") {
    return get("/example/orders",
               {{"modified_from", std::to_string(from)}, {"modified_to", std::to_string(to)}, {"page", page}});
  }
};

}  // namespace

TEST_CASE("example platform: a window lists each order once, oldest first, 20 a page, then the token ends") {
  ExampleSim sim(45);
  std::set<std::string> ids;
  long long last_modified = 0;
  std::string page;
  int pages = 0;
  do {
    const auto response = sim.list(sim.now_s - 3599, sim.now_s + 1, page);
    REQUIRE(response.status == 200);
    const auto body = json::parse(response.body);
    CHECK(body["orders"].size() <= 20);
    for (const auto& order : body["orders"]) {
      CHECK(ids.insert(order["id"].get<std::string>()).second);
      CHECK(order["modified_at"].get<long long>() >= last_modified);
      last_modified = order["modified_at"].get<long long>();
    }
    page = body["next_page"].get<std::string>();
    ++pages;
  } while (!page.empty());
  CHECK(ids.size() == 45);
  CHECK(pages == 3);
}

TEST_CASE("example platform: get by id, and the refusals the template classifies") {
  ExampleSim sim(3);
  const auto listed = json::parse(sim.list(sim.now_s - 3599, sim.now_s + 1).body)["orders"];
  REQUIRE(listed.size() == 3);
  const std::string id = listed[0]["id"];
  const auto single = sim.get("/example/orders/" + id);
  CHECK(single.status == 200);
  CHECK(json::parse(single.body) == listed[0]);
  CHECK(sim.get("/example/orders/1").status == 404);
  CHECK(sim.get("/example/orders/" + id, {}, "not-a-token").status == 401);
  CHECK(sim.list(sim.now_s - 3601, sim.now_s).status == 400);  // longer than the 3600 s window
  CHECK(sim.list(sim.now_s, sim.now_s - 1).status == 400);
  CHECK(sim.list(sim.now_s - 60, sim.now_s, "p999x").status == 400);
}

TEST_CASE("example platform: faults answer 503, 429 with Retry-After, 401, and a hang") {
  ExampleSim sim(1);
  sim.sim.faults().set(erp::sim::Fault::server_error, 1.0);
  CHECK(sim.get("/example/orders/1").status == 503);
  sim.sim.faults().clear();
  sim.sim.faults().set(erp::sim::Fault::rate_limit, 1.0);
  const auto throttled = sim.list(sim.now_s - 60, sim.now_s);
  CHECK(throttled.status == 429);
  CHECK(throttled.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}});
  sim.sim.faults().clear();
  sim.sim.faults().set(erp::sim::Fault::expired_session, 1.0);
  CHECK(sim.list(sim.now_s - 60, sim.now_s).status == 401);
  sim.sim.faults().clear();
  sim.sim.faults().set(erp::sim::Fault::timeout, 1.0);
  CHECK(sim.list(sim.now_s - 60, sim.now_s).hang);
}
