// The words `erpctl why` prints: what a merchant reads to understand an order.

#include "api/why_text.hpp"

#include <doctest/doctest.h>

#include "core/time_format.hpp"

using namespace erp::daemon;
using namespace erp::daemon::api::why;

namespace {

Instant at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

store::Hold manual_hold(std::int64_t id, const char* by, const char* note) {
  store::Hold h;
  h.id = id;
  h.key = OrderKey{"tmall", "lux", "1001"};
  h.reason_code = "MANUAL";
  h.owner = std::string("operator:") + by;
  h.note = note;
  h.created_at = at("2026-11-11T02:00:00Z");
  return h;
}

store::Event event(const char* kind, const char* actor, const char* reason,
                   nlohmann::json detail = nlohmann::json::object()) {
  store::Event e;
  e.kind = kind;
  e.actor = actor;
  e.reason = reason;
  e.detail = std::move(detail);
  e.at = at("2026-11-11T02:00:00Z");
  return e;
}

store::StoredOrder paid_order() {
  store::StoredOrder o;
  o.order.platform = "tmall";
  o.order.shop = "lux";
  o.order.order_id = "1001";
  o.order.status = erp::sdk::OrderStatus::paid;
  return o;
}

}  // namespace

TEST_CASE("actors are named the way a merchant says them") {
  CHECK(describe_actor("operator:alice") == "operator alice");
  CHECK(describe_actor("workflow:gift") == "the gift workflow");
  CHECK(describe_actor("platform") == "the platform");
  CHECK(describe_actor("daemon") == "erpd");
  CHECK(describe_actor("") == "erpd");
  CHECK(describe_actor("warehouse") == "the warehouse");
}

TEST_CASE("a hold reads as who, which rule, why and until when") {
  CHECK(describe_hold(manual_hold(1, "alice", "check address")) == "operator alice: check address");
  store::Hold gift = manual_hold(2, "x", "waiting for the reservation tag");
  gift.owner = "workflow:gift";
  gift.reason_code = "TAG_WINDOW";
  gift.rule_id = "G2";
  gift.auto_release_at = at("2026-11-11T06:00:00Z");
  CHECK(describe_hold(gift) ==
        "the gift workflow (rule G2): waiting for the reservation tag, until 2026-11-11 14:00:00 (UTC+8)");
  gift.note.clear();
  CHECK(describe_hold(gift).find(": TAG_WINDOW") != std::string::npos);
}

TEST_CASE("order received: status, lines and total in yuan") {
  CHECK(event_text(
            event("order.received", "platform", "", {{"status", "paid"}, {"line_count", 3}, {"total_fen", 12300}})) ==
        "Order received from the platform: paid, 3 lines, 123.00 yuan");
  CHECK(event_text(event("order.received", "platform", "",
                         {{"status", "pending_payment"}, {"lines", {1}}, {"total_fen", 5}})) ==
        "Order received from the platform: waiting for payment, 1 line, 0.05 yuan");
  // The store's own sentence stands in when the detail lacks lines and total.
  CHECK(event_text(event("order.received", "platform", "received from the platform: paid, 3 lines, total 123.00",
                         {{"status", "paid"}})) == "Order received from the platform: paid, 3 lines, total 123.00");
}

TEST_CASE("order updated repeats what changed") {
  CHECK(event_text(event("order.updated", "platform", "status paid -> shipped; seller memo changed")) ==
        "Order updated by the platform: status paid -> shipped; seller memo changed");
}

TEST_CASE("hold added and lifted name the operator and the note") {
  const store::Hold hold = manual_hold(7, "alice", "check address");
  CHECK(event_text(event("hold.added", "operator:alice", "held (MANUAL): check address", {{"hold_id", 7}}), &hold) ==
        "Held by operator alice: check address");
  store::Hold lifted = hold;
  lifted.released_at = at("2026-11-11T03:00:00Z");
  lifted.released_by = "operator:bob";
  lifted.release_reason = "address confirmed";
  CHECK(
      event_text(event("hold.released", "operator:bob", "hold (MANUAL) released: address confirmed", {{"hold_id", 7}}),
                 &lifted) == "Hold #7 (check address) lifted by operator bob: address confirmed");
  // Without the hold row the store's reason is shown.
  CHECK(event_text(event("hold.released", "daemon", "auto-release time reached", {{"hold_id", 8}})) ==
        "Hold #8 lifted by erpd: auto-release time reached");
}

TEST_CASE("a hold that lifts itself says when, in China time") {
  store::Hold hold = manual_hold(3, "alice", "wait for the buyer");
  hold.auto_release_at = at("2026-11-12T02:00:00Z");
  CHECK(event_text(event("hold.added", "operator:alice", "", {{"hold_id", 3}}), &hold) ==
        "Held by operator alice: wait for the buyer (lifts itself at 2026-11-12 10:00:00 (UTC+8))");
}

TEST_CASE("the release reads as handed to the warehouse because no hold remains") {
  CHECK(event_text(event("order.released", "daemon", "no hold remains; handed to the warehouse")) ==
        "Released to the warehouse: no hold remains");
  CHECK(event_text(event("order.released", "daemon", "")) == "Released to the warehouse: no hold remains");
}

TEST_CASE("events this version has no words for still read sensibly") {
  CHECK(event_text(event("intercept.requested", "platform", "buyer asked to stop the parcel")) ==
        "Intercept requested: buyer asked to stop the parcel");
}

TEST_CASE("summary: held by whom, released when, or what it waits for") {
  auto order = paid_order();
  order.holds.push_back(manual_hold(1, "alice", "check address"));
  CHECK(summary(order) == "Held by operator alice: check address.");
  order.holds.push_back(manual_hold(2, "bob", "buyer asked to wait"));
  CHECK(summary(order) == "Held by 2 holds: operator alice: check address; operator bob: buyer asked to wait.");

  order.holds.clear();
  order.released = true;
  order.released_at = at("2026-11-11T02:00:03Z");
  CHECK(summary(order) == "Released to the warehouse at 2026-11-11 10:00:03 (UTC+8).");
  order.order.status = erp::sdk::OrderStatus::shipped;
  CHECK(summary(order) == "Released to the warehouse at 2026-11-11 10:00:03 (UTC+8); the platform now says shipped.");

  auto unpaid = paid_order();
  unpaid.order.status = erp::sdk::OrderStatus::pending_payment;
  CHECK(summary(unpaid) == "Not released: the buyer has not paid yet.");
  auto closed = paid_order();
  closed.order.status = erp::sdk::OrderStatus::closed;
  CHECK(summary(closed) == "Not released: the order was closed on the platform.");
}

TEST_CASE("why_json: order key, summary and entries with UTC and China times") {
  auto order = paid_order();
  const store::Hold hold = manual_hold(5, "alice", "check address");
  order.holds.push_back(hold);
  auto added = event("hold.added", "operator:alice", "held (MANUAL): check address", {{"hold_id", 5}});
  added.rule_id = "";
  const auto j = why_json(order, {added}, {hold});
  CHECK(j["order"] == "tmall/lux/1001");
  CHECK(j["summary"] == "Held by operator alice: check address.");
  REQUIRE(j["entries"].size() == 1);
  const auto& e = j["entries"][0];
  CHECK(e["at"] == "2026-11-11T02:00:00Z");
  CHECK(e["at_local"] == "2026-11-11 10:00:00");
  CHECK(e["kind"] == "hold.added");
  CHECK(e["actor"] == "operator:alice");
  CHECK(e["rule_id"] == "");
  CHECK(e["text"] == "Held by operator alice: check address");
}
