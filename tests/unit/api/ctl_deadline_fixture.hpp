#pragma once
// The API with the deadline engine wired in as daemon/app/daemon.cpp does it (rules S1-S13): a
// Server whose ApiDeps reach a real DeadlineService over a temp-dir Store with the real
// HoldService and ReleaseGate, for erpctl's deadline commands. The settings it applies: the
// DeadlineConfig defaults (promised 48 h, at risk 4 h before) and the shipped holiday calendars
// (config/calendars: Tmall 2023 and 2024 Spring Festival). No order is a reservation (G1).

#include <atomic>

#include "config/calendar_file.hpp"
#include "unit/api/api_fixture.hpp"
#include "workflows/deadline/deadline_service.hpp"

namespace erp::test::api_support {

namespace deadline = erp::daemon::workflows::deadline;

struct DeadlineApi : ServedApi {
  TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<holds::ReleaseGate> gate;
  std::unique_ptr<holds::HoldService> holds;
  std::unique_ptr<deadline::DeadlineService> service;
  metrics::Registry metrics;
  std::atomic<int> wakes{0};
  std::atomic<int> releases{0};

  static deadline::Settings settings() {
    auto loaded = erp::daemon::config::load_calendars(ERP_SOURCE_DIR "/config/calendars");
    REQUIRE(loaded.issues.empty());
    REQUIRE(loaded.calendar.windows.size() == 3);
    deadline::Settings s;
    s.calendar = std::move(loaded.calendar);
    return s;
  }

  DeadlineApi() {
    auto opened = store::Store::open(dir.path() / "erpd.db");
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    store = std::move(opened).value();
    gate = std::make_unique<holds::ReleaseGate>(*store,
                                                [this](store::Tx&, const store::StoredOrder&, Instant) { ++releases; });
    holds = std::make_unique<holds::HoldService>(*store, *gate);
    service = std::make_unique<deadline::DeadlineService>(*store, deadline::Hooks{});
    service->apply(settings());
    auto status = [] { return json{{"state", "running"}}; };
    erp::daemon::api::ApiDeps deps{*store, *holds, metrics, status, [this] { ++wakes; }};
    deps.deadlines = service.get();
    serve(std::move(deps));
  }
  ~DeadlineApi() { stop(); }

  /// Stores the order and shows it to the deadline service in the same transaction, as the
  /// pipeline does.
  void seed(const erp::sdk::Order& order, Instant now = now_utc()) {
    auto tx = store->begin();
    store->upsert_order(*tx, order, now);
    const auto stored = store->get_order(*tx, OrderKey{order.platform, order.shop, order.order_id});
    REQUIRE(stored.has_value());
    service->on_order_changed(*tx, *stored, now);
    tx->commit();
  }
};

}  // namespace erp::test::api_support
