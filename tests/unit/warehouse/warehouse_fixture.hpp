#pragma once
// A released Tmall order in a fresh store, with the intercept workflow told that the warehouse is
// pushed to (so lock requests go through the outbox), for the warehouse connector's tests.

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "holds/release_gate.hpp"
#include "unit/store/store_fixture.hpp"
#include "workflows/intercept/intercept_service.hpp"

namespace erp::test {

struct ReleasedOrderFixture {
  TempDir dir;
  std::unique_ptr<daemon::store::Store> store = std::move(daemon::store::Store::open(dir / "erpd.db")).value();
  daemon::holds::ReleaseGate gate{*store, [](daemon::store::Tx&, const daemon::store::StoredOrder&, Instant) {}};
  daemon::workflows::intercept::ShopSettings settings;
  daemon::workflows::intercept::InterceptService intercepts{
      *store, gate, [this](const std::string&) { return std::optional(settings); },
      daemon::workflows::intercept::ServiceHooks{{}, [] { return true; }, {}}};
  OrderKey key{"tmall", "tmall-flagship", "1001"};

  ReleasedOrderFixture() {
    settings.enabled = true;
    settings.memo = "拦截发货";
    auto tx = store->begin();
    store->upsert_order(*tx, sample_order("1001"), daemon::now_utc());
    store->mark_released(*tx, key, daemon::now_utc());
    tx->commit();
  }

  /// The outbox items of `kind`, oldest first.
  std::vector<daemon::store::OutboxItem> items(const std::string& kind) {
    std::vector<daemon::store::OutboxItem> out;
    for (const auto& item : store->list_outbox(std::nullopt, 200)) {
      if (item.kind == kind) out.insert(out.begin(), item);
    }
    return out;
  }

  /// Asks to intercept the whole order (or `lines`): the warehouse has it, so it awaits its answer.
  daemon::store::Intercept request_intercept(std::vector<std::string> lines = {}) {
    daemon::workflows::intercept::NewRequest request;
    request.key = key;
    request.line_ids = std::move(lines);
    request.requested_by = "operator:test";
    auto decided = intercepts.request(request, daemon::now_utc());
    REQUIRE(decided.value.has_value());
    REQUIRE(decided.value->intercept.state == daemon::store::InterceptState::awaiting_warehouse);
    return decided.value->intercept;
  }
};

}  // namespace erp::test
