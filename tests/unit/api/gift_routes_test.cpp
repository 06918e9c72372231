// The gift routes (docs/api.md "Gifts", rules G1-G13) and the workflow's alerts over HTTP: what a
// client sees of reservations, links and gift lines the store holds, and the JSON errors bad
// requests get. The rows are written with the store calls directly, as the gift workflow would.

#include <doctest/doctest.h>

#include "unit/api/api_fixture.hpp"

using namespace erp::test::api_support;

namespace {

using erp::sdk::OrderStatus;
using erp::sdk::RefundStatus;

constexpr const char* kShop = "tm-1";

Instant at(const char* text) { return *parse_rfc3339(text); }

OrderKey key_of(const std::string& id, const std::string& shop = kShop) { return OrderKey{"tmall", shop, id}; }

/// A 1-yuan reservation order with `lines` gift lines (GIFT-1, GIFT-2 ...).
erp::sdk::Order reservation_order(const std::string& id, int lines, const std::string& shop = kShop) {
  auto o = make_order(shop, id);
  o.total.fen = 100 * lines;
  o.lines.resize(static_cast<std::size_t>(lines));
  for (int i = 0; i < lines; ++i) {
    auto& line = o.lines[static_cast<std::size_t>(i)];
    line.item_id = "7001";
    line.outer_sku = "GIFT-" + std::to_string(i + 1);
    line.title = "赠品";
    line.price.fen = 100;
    line.paid.fen = 100;
  }
  return o;
}

void put(Api& api, const store::GiftReservation& reservation) {
  auto tx = api.store->begin();
  api.store->put_reservation(*tx, reservation);
  tx->commit();
}

store::GiftReservation reservation(const std::string& id, store::ReservationState state, Instant created,
                                   const std::string& shop = kShop) {
  store::GiftReservation r;
  r.key = key_of(id, shop);
  r.buyer_ref = "buyer-1";
  r.paid_at = at("2026-11-01T02:00:00Z");
  r.pieces = 1;
  r.state = state;
  r.recognised_by = "sku";
  r.created_at = created;
  r.updated_at = created;
  return r;
}

std::int64_t link(Api& api, const std::string& reservation_id, const std::string& main_id, Instant created,
                  store::GiftLinkState state = store::GiftLinkState::linked) {
  store::GiftLink l;
  l.reservation = key_of(reservation_id);
  l.main = key_of(main_id);
  l.rule_id = "G2";
  l.source = "tag";
  l.pieces = 1;
  l.created_at = created;
  l.updated_at = created;
  l.detail = "linked by Tmall's tag";
  auto tx = api.store->begin();
  l.id = api.store->add_gift_link(*tx, l);
  if (state != store::GiftLinkState::linked) {
    l.state = state;
    l.ended_at = created;
    l.detail = "the reservation was refunded (G11)";
    api.store->update_gift_link(*tx, l);
  }
  tx->commit();
  return l.id;
}

void raise(Api& api, const std::string& kind, const std::string& subject, std::optional<OrderKey> key,
           const std::string& message) {
  auto tx = api.store->begin();
  REQUIRE(api.store->raise_alert(*tx, store::NewAlert{kind, subject, std::move(key), "G5", message, {}}, now_utc()));
  tx->commit();
}

/// Main order 5010 with reservations 4001 (one line) and 4002 (two lines, the second refunded)
/// linked by Tmall's tag, and 4003 whose link was dropped (refunded, G11).
void seed_main_with_two_reservations(Api& api) {
  api.seed(make_order(kShop, "5010"));
  api.seed(reservation_order("4001", 1));
  auto two = reservation_order("4002", 2);
  two.lines[1].refund_status = RefundStatus::refunded;
  api.seed(two);
  api.seed(reservation_order("4003", 1));
  put(api, reservation("4001", store::ReservationState::linked, at("2026-11-01T02:00:01Z")));
  put(api, reservation("4002", store::ReservationState::linked, at("2026-11-02T02:00:01Z")));
  put(api, reservation("4003", store::ReservationState::closed, at("2026-11-03T02:00:01Z")));
  link(api, "4003", "5010", at("2026-11-11T03:00:00Z"), store::GiftLinkState::dropped);
  link(api, "4001", "5010", at("2026-11-11T04:00:00Z"));
  link(api, "4002", "5010", at("2026-11-11T04:00:00Z"));
}

}  // namespace

TEST_CASE("gift_G1_reservations_are_listed_newest_first_and_filtered") {
  Api api;
  seed_main_with_two_reservations(api);
  api.seed(reservation_order("4101", 1, "tm-2"));
  put(api, reservation("4101", store::ReservationState::waiting, at("2026-11-04T02:00:01Z"), "tm-2"));

  const auto all = api.get("/v1/gifts");
  REQUIRE(all.status == 200);
  const json reservations = all.json_body()["reservations"];
  REQUIRE(reservations.size() == 4);
  CHECK(reservations[0]["order_id"] == "4101");
  CHECK(reservations[3]["order_id"] == "4001");
  const json& first = reservations[3];
  CHECK(first["platform"] == "tmall");
  CHECK(first["shop"] == kShop);
  CHECK(first["state"] == "linked");
  CHECK(first["recognised_by"] == "sku");
  CHECK(first["pieces"] == 1);
  CHECK(first["paid_at"] == "2026-11-01T02:00:00Z");
  CHECK(first["hold_id"].is_null());
  CHECK(first["ended_at"].is_null());
  CHECK(first["link"]["main_order_id"] == "5010");
  CHECK(first["link"]["state"] == "linked");
  CHECK(first["link"]["rule"] == "G2");
  // A reservation whose only link was dropped shows that latest link.
  CHECK(reservations[1]["order_id"] == "4003");
  CHECK(reservations[1]["link"]["state"] == "dropped");
  CHECK(reservations[0]["link"].is_null());

  const json waiting = api.get("/v1/gifts?state=waiting").json_body()["reservations"];
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0]["order_id"] == "4101");
  CHECK(api.get("/v1/gifts?shop=tm-1").json_body()["reservations"].size() == 3);
  CHECK(api.get("/v1/gifts?shop=tm-1&state=closed").json_body()["reservations"].size() == 1);
  CHECK(api.get("/v1/gifts?platform=taobao").json_body()["reservations"].empty());
  const json one = api.get("/v1/gifts?limit=1").json_body()["reservations"];
  REQUIRE(one.size() == 1);
  CHECK(one[0]["order_id"] == "4101");
}

TEST_CASE("gift_G1_list_refuses_a_bad_state_limit_or_parameter_with_json_errors") {
  Api api;
  const auto bad_state = api.get("/v1/gifts?state=held");
  CHECK(bad_state.status == 400);
  CHECK(bad_state.error_code() == "invalid_input");
  CHECK(bad_state.error_message().find("waiting, linked, shipped, closed") != std::string::npos);
  CHECK(api.get("/v1/gifts?limit=0").status == 400);
  CHECK(api.get("/v1/gifts?limit=ten").error_message().find("limit:") == 0);
  CHECK(api.get("/v1/gifts?states=waiting").status == 400);
  CHECK(api.send("POST", "/v1/gifts").status == 405);
}

TEST_CASE("gift_G4_order_json_carries_gift_lines_with_provenance") {
  Api api;
  seed_main_with_two_reservations(api);

  const json main = api.get(order_path(kShop, "5010")).json_body();
  CHECK(main["gift"]["role"] == "main");
  CHECK(main["gift"]["reservation_order_ids"] == json::array({"4001", "4002"}));
  CHECK(main["gift"]["state"] == "linked");
  const json lines = main["gift_lines"];
  REQUIRE(lines.size() == 2);  // 4002's refunded line is left out, 4003's link was dropped
  CHECK(lines[0]["line_id"] == "gift:4001:4001-1");
  CHECK(lines[0]["outer_sku"] == "GIFT-1");
  CHECK(lines[0]["gift"] == true);
  CHECK(lines[0]["rule"] == "G4");
  CHECK(lines[0]["fulfils"] == json::array({"4001"}));
  CHECK(lines[0]["price_fen"] == 0);
  CHECK(lines[0]["paid_fen"] == 0);
  CHECK(lines[1]["line_id"] == "gift:4002:4002-1");
  CHECK(lines[1]["fulfils"] == json::array({"4002"}));
  CHECK(main["lines"].size() == 3);  // the platform's own lines stay as they are

  // The listing serves the same order JSON.
  const json listed = api.get("/v1/orders?order_id=5010").json_body()["orders"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["gift_lines"].size() == 2);

  // The reservation side: its state and the repurchase it rides on; it carries no gift line.
  const json reservation = api.get(order_path(kShop, "4001")).json_body();
  CHECK(reservation["gift"] == json{{"role", "reservation"}, {"state", "linked"}, {"main_order_id", "5010"}});
  CHECK(reservation["gift_lines"] == json::array());
  const json closed = api.get(order_path(kShop, "4003")).json_body();
  CHECK(closed["gift"]["state"] == "closed");
  CHECK(closed["gift"]["main_order_id"].is_null());

  // The main's gift route lists every link, the dropped one too, oldest first.
  const auto gift = api.get(order_path(kShop, "5010") + "/gift");
  REQUIRE(gift.status == 200);
  const json answer = gift.json_body();
  CHECK(answer["order"] == "tmall/tm-1/5010");
  CHECK(answer["role"] == "main");
  CHECK(answer["reservation"].is_null());
  REQUIRE(answer["links"].size() == 3);
  CHECK(answer["links"][0]["reservation_order_id"] == "4003");
  CHECK(answer["links"][0]["state"] == "dropped");
  CHECK(answer["links"][0]["ended_at"].is_string());
  CHECK(answer["links"][1]["reservation_order_id"] == "4001");
  CHECK(answer["links"][1]["main_order_id"] == "5010");
  CHECK(answer["links"][1]["source"] == "tag");
  CHECK(answer["links"][1]["waybill"] == "");
  CHECK(answer["links"][1]["waybill_tie"] == false);
  CHECK(answer["links"][1]["outbox_id"].is_null());
  CHECK(answer["links"][1]["message"] == "linked by Tmall's tag");
  CHECK(answer["gift_lines"] == lines);
}

TEST_CASE("gift_G5_main_state_follows_its_least_advanced_link") {
  Api api;
  seed_main_with_two_reservations(api);
  for (const char* id : {"4001", "4002"}) {
    auto l = *api.store->active_gift_link(key_of(id));
    l.state = store::GiftLinkState::main_shipped;
    l.waybill = "SF100";
    l.carrier_code = "SF";
    l.main_shipped_at = at("2026-11-12T02:00:00Z");
    auto tx = api.store->begin();
    api.store->update_gift_link(*tx, l);
    tx->commit();
  }
  CHECK(api.get(order_path(kShop, "5010")).json_body()["gift"]["state"] == "main_shipped");
  const json listed = api.get("/v1/gifts?state=linked").json_body()["reservations"];
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["link"]["waybill"] == "SF100");
  CHECK(listed[0]["link"]["carrier"] == "SF");
  CHECK(listed[0]["link"]["main_shipped_at"] == "2026-11-12T02:00:00Z");
}

TEST_CASE("gift_G1_gift_route_for_a_reservation_an_unrelated_order_and_an_unknown_one") {
  Api api;
  seed_main_with_two_reservations(api);
  const json reservation = api.get(order_path(kShop, "4002") + "/gift").json_body();
  CHECK(reservation["role"] == "reservation");
  CHECK(reservation["reservation"]["order_id"] == "4002");
  CHECK(reservation["reservation"]["state"] == "linked");
  CHECK(reservation["reservation"]["link"]["main_order_id"] == "5010");
  REQUIRE(reservation["links"].size() == 1);
  CHECK(reservation["links"][0]["main_order_id"] == "5010");
  CHECK(reservation["gift_lines"] == json::array());

  api.seed(make_order(kShop, "6001"));
  const auto plain = api.get(order_path(kShop, "6001") + "/gift");
  REQUIRE(plain.status == 200);
  CHECK(plain.json_body() == json{{"order", "tmall/tm-1/6001"},
                                  {"role", nullptr},
                                  {"reservation", nullptr},
                                  {"links", json::array()},
                                  {"gift_lines", json::array()}});
  const json order = api.get(order_path(kShop, "6001")).json_body();
  CHECK(order["gift"].is_null());
  CHECK(order["gift_lines"] == json::array());

  const auto unknown = api.get(order_path(kShop, "9999") + "/gift");
  CHECK(unknown.status == 404);
  CHECK(unknown.error_code() == "not_found");
}

TEST_CASE("gift_G5_workflow_alerts_are_listed_and_make_ok_false") {
  Api api;
  api.seed(reservation_order("4001", 1));
  CHECK(api.get("/v1/alerts").json_body()["alerts"] == json::array());
  raise(api, "gift.not_shipped", "tmall/tm-1/4001", key_of("4001"), "Tmall has not marked 4001 shipped");
  raise(api, "gift.stock_exhausted", "rule:vip", std::nullopt, "gift rule vip gave its whole stock");

  const json alerts = api.get("/v1/alerts").json_body();
  CHECK(alerts["ok"] == false);
  CHECK(alerts["shops"].empty());
  const json& open = alerts["alerts"];
  REQUIRE(open.size() == 2);
  CHECK(open[0]["kind"] == "gift.stock_exhausted");  // newest first
  CHECK(open[0]["subject"] == "rule:vip");
  CHECK(open[0]["platform"].is_null());
  CHECK(open[0]["order_id"].is_null());
  CHECK(open[1]["kind"] == "gift.not_shipped");
  CHECK(open[1]["platform"] == "tmall");
  CHECK(open[1]["shop"] == kShop);
  CHECK(open[1]["order_id"] == "4001");
  CHECK(open[1]["rule"] == "G5");
  CHECK(open[1]["message"] == "Tmall has not marked 4001 shipped");
  CHECK(open[1]["detail"] == json::object());
  CHECK(open[1]["raised_at"].is_string());
  CHECK(open[1]["cleared_at"].is_null());
}

TEST_CASE("gift_G5_an_alert_is_cleared_once_and_noted_in_its_order_history") {
  Api api;
  api.seed(reservation_order("4001", 1));
  raise(api, "gift.not_shipped", "tmall/tm-1/4001", key_of("4001"), "Tmall has not marked 4001 shipped");
  raise(api, "gift.stock_exhausted", "rule:vip", std::nullopt, "gift rule vip gave its whole stock");

  const std::string body = R"({"kind": "gift.not_shipped", "subject": "tmall/tm-1/4001", "by": "alice"})";
  const auto cleared = api.send("POST", "/v1/alerts/clear", body);
  REQUIRE(cleared.status == 200);
  CHECK(cleared.json_body()["kind"] == "gift.not_shipped");
  CHECK(cleared.json_body()["order_id"] == "4001");
  CHECK(cleared.json_body()["cleared_at"].is_string());
  const auto again = api.send("POST", "/v1/alerts/clear", body);
  CHECK(again.status == 404);
  CHECK(again.error_code() == "not_found");

  const json left = api.get("/v1/alerts").json_body()["alerts"];
  REQUIRE(left.size() == 1);
  CHECK(left[0]["subject"] == "rule:vip");
  const auto events = api.store->events(key_of("4001"));
  REQUIRE_FALSE(events.empty());
  CHECK(events.back().kind == "alert.cleared");
  CHECK(events.back().actor == "operator:alice");
  CHECK(events.back().rule_id == "G5");

  // An alert about no order clears the same way; with none open, ok is true again.
  CHECK(api.send("POST", "/v1/alerts/clear", R"({"kind": "gift.stock_exhausted", "subject": "rule:vip"})").status ==
        200);
  CHECK(api.get("/v1/alerts").json_body()["ok"] == true);
}

TEST_CASE("gift_G5_a_bad_clear_body_is_a_400_json_error") {
  Api api;
  for (const char* body : {"", "[]", "{", R"({"kind": "gift.tag_late"})", R"({"subject": "tmall/tm-1/1"})",
                           R"({"kind": 1, "subject": "x"})", R"({"kind": " ", "subject": "x"})",
                           R"({"kind": "gift.tag_late", "subject": "x", "by": 7})",
                           R"({"kind": "gift.tag_late", "subject": "x", "why": "done"})"}) {
    CAPTURE(body);
    const auto answer = api.send("POST", "/v1/alerts/clear", body);
    CHECK(answer.status == 400);
    CHECK(answer.error_code() == "invalid_input");
  }
  CHECK(api.send("POST", "/v1/alerts/clear", R"({"kind": "gift.tag_late", "subject": "x"})").status == 404);
  CHECK(api.get("/v1/alerts/clear").status == 405);
}
