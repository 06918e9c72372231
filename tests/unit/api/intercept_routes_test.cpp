// The intercept routes (docs/api.md "Intercepts", rules I1-I9) over HTTP: answers, status codes
// and the JSON errors bad requests get.

#include <doctest/doctest.h>

#include "unit/api/api_fixture.hpp"

using namespace erp::test::api_support;

namespace {

/// An order of shop tb-1 the warehouse already has (the release gate opened for it).
void seed_released(Api& api, const std::string& id) {
  api.seed(make_order("tb-1", id));
  auto tx = api.store->begin();
  REQUIRE(api.gate->evaluate(*tx, OrderKey{"tmall", "tb-1", id}, now_utc()));
  tx->commit();
}

/// An order of shop tb-1 still held by the daemon.
void seed_held(Api& api, const std::string& id) {
  api.seed(make_order("tb-1", id));
  api.workflow_hold(OrderKey{"tmall", "tb-1", id});
}

std::string shipment(const std::string& id, const std::string& line = "") {
  json package{{"waybill", "SF" + id}, {"carrier", "SF"}};
  if (!line.empty()) package["lines"] = {line};
  return json{{"shipment_id", "WMS-" + id}, {"packages", {package}}}.dump();
}

}  // namespace

TEST_CASE("intercept_I4_api_held_order_answers_201_locked_and_the_order_shows_it") {
  Api api;
  seed_held(api, "5001");
  const auto made = api.send("POST", order_path("tb-1", "5001") + "/intercepts",
                             R"({"reason": "buyer ordered twice", "by": "alice"})");
  REQUIRE(made.status == 201);
  const json intercept = made.json_body()["intercept"];
  CHECK(intercept["state"] == "locked");
  CHECK(intercept["succeeded"] == true);
  CHECK(intercept["requested_by"] == "operator:alice");
  CHECK(intercept["whole_order"] == true);
  CHECK(made.json_body()["duplicate"] == false);

  CHECK(api.send("POST", order_path("tb-1", "5001") + "/intercepts", "").status == 200);  // the same one again
  const json order = api.get(order_path("tb-1", "5001")).json_body();
  CHECK(order["intercept"]["id"] == intercept["id"]);
  CHECK(api.get("/v1/intercepts?state=open").json_body()["intercepts"].size() == 1);
  CHECK(api.get(order_path("tb-1", "5001") + "/intercepts").json_body()["intercepts"].size() == 1);

  // The lock refuses shipments and cannot be lifted as a plain hold.
  const auto shipped = api.send("POST", order_path("tb-1", "5001") + "/shipments", shipment("5001"));
  CHECK(shipped.status == 409);
  CHECK(shipped.error_code() == "intercepted");
  const auto lifted = api.send("DELETE", order_path("tb-1", "5001") + "/holds/" + intercept["hold_id"].dump() + "?force=true");
  CHECK(lifted.status == 409);

  const std::string id = intercept["id"].dump();
  const auto cancelled = api.send("POST", "/v1/intercepts/" + id + "/cancel", R"({"reason": "buyer wants it"})");
  REQUIRE(cancelled.status == 200);
  CHECK(cancelled.json_body()["state"] == "cancelled");
  CHECK(api.send("POST", "/v1/intercepts/" + id + "/cancel").status == 409);
  CHECK(api.get(order_path("tb-1", "5001")).json_body()["intercept"].is_null());
}

TEST_CASE("intercept_I4_api_released_order_waits_for_the_warehouse_and_the_race_has_one_winner") {
  Api api;
  seed_released(api, "5002");
  const auto asked = api.send("POST", order_path("tb-1", "5002") + "/intercepts", R"({"lines": ["5002-1"]})");
  REQUIRE(asked.status == 202);
  const std::string id = asked.json_body()["intercept"]["id"].dump();
  CHECK(asked.json_body()["intercept"]["succeeded"].is_null());
  CHECK(api.get("/v1/intercepts?state=awaiting_warehouse").json_body()["intercepts"].size() == 1);
  const auto confirmed = api.send("POST", "/v1/intercepts/" + id + "/confirm", R"({"outcome": "locked", "by": "wms"})");
  REQUIRE(confirmed.status == 200);
  CHECK(confirmed.json_body()["state"] == "locked");
  CHECK(api.send("POST", order_path("tb-1", "5002") + "/shipments", shipment("5002", "5002-1")).status == 409);
  CHECK(api.send("POST", order_path("tb-1", "5002") + "/shipments", shipment("5002b", "5002-2")).status == 202);

  // A shipment that comes first wins; the warehouse's later confirmation is refused.
  seed_released(api, "5003");
  const std::string other = api.send("POST", order_path("tb-1", "5003") + "/intercepts").json_body()["intercept"]["id"].dump();
  const auto won = api.send("POST", order_path("tb-1", "5003") + "/shipments", shipment("5003"));
  REQUIRE(won.status == 202);
  CHECK(won.json_body()["intercept"]["state"] == "too_late");
  CHECK(won.json_body()["intercept"]["suggestion"] == "parcel_interception");
  CHECK(api.send("POST", "/v1/intercepts/" + other + "/confirm", R"({"outcome": "locked"})").status == 409);
}

TEST_CASE("intercept_I1_I2_api_refusals_are_4xx_with_json_errors") {
  Api api;
  seed_held(api, "5004");
  api.seed(make_order("other-shop", "5005"));
  const std::string path = order_path("tb-1", "5004") + "/intercepts";
  CHECK(api.send("POST", order_path("tb-1", "nope") + "/intercepts").status == 404);
  CHECK(api.send("POST", path, R"({"lines": "5004-1"})").error_code() == "invalid_input");
  CHECK(api.send("POST", path, R"({"line": ["5004-1"]})").status == 400);
  CHECK(api.send("POST", path, R"({"lines": ["5004-9"]})").error_message().find("no line '5004-9'") != std::string::npos);
  const auto off = api.send("POST", order_path("other-shop", "5005") + "/intercepts");
  CHECK(off.status == 409);
  CHECK(off.error_code() == "not_enabled");
  CHECK(api.get("/v1/intercepts?state=frozen").status == 400);
  CHECK(api.get("/v1/intercepts/abc").status == 400);
  CHECK(api.get("/v1/intercepts/999").status == 404);
  CHECK(api.send("POST", "/v1/intercepts/unlock", "{}").status == 400);
  CHECK(api.send("POST", "/v1/intercepts/unlock", R"({"before": "tomorrow"})").status == 400);
  CHECK(api.send("POST", "/v1/intercepts/1/confirm", R"({"outcome": "maybe"})").status == 400);

  auto shipped = make_order("tb-1", "5006", erp::sdk::OrderStatus::shipped);
  api.seed(shipped);
  const auto late = api.send("POST", order_path("tb-1", "5006") + "/intercepts");
  CHECK(late.status == 409);
  CHECK(late.error_code() == "too_late");
  CHECK(late.json_body()["intercept"]["suggestion"] == "parcel_interception");
}

TEST_CASE("intercept_I7_api_unlock_before_answers_what_was_unlocked_and_what_was_kept") {
  Api api;
  seed_held(api, "5007");
  REQUIRE(api.send("POST", order_path("tb-1", "5007") + "/intercepts").status == 201);
  const auto report = api.send("POST", "/v1/intercepts/unlock", R"({"before": "2099-01-01 00:00", "by": "alice"})");
  REQUIRE(report.status == 200);
  CHECK(report.json_body()["unlocked"].size() == 1);
  CHECK(report.json_body()["kept"].empty());
  CHECK(report.json_body()["unlocked"][0]["state"] == "unlocked");
}
