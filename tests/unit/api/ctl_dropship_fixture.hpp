#pragma once
// The API with the dropship hub wired in as daemon/app/daemon.cpp does it (rules D1-D11): a
// Server whose ApiDeps reach a real DropshipService over a temp-dir Store with the real
// HoldService and ReleaseGate, for erpctl's dropship commands. The config it applies:
//   shops      s1, s2 (tmall, merchant), dy-f (douyin, factory: D1)
//   factories  acme "Acme Shoes" (notify_url set, token kAcmeToken), bolt (douyin_shop_id
//              7000002, polls)
// No shop has a running adapter, so a factory's receiver request is answered "unavailable".

#include <atomic>

#include "unit/api/api_fixture.hpp"
#include "workflows/dropship/dropship_service.hpp"

namespace erp::test::api_support {

namespace dropship = erp::daemon::workflows::dropship;

inline constexpr const char* kAcmeToken = "acme-factory-token-0123456789";

struct DropshipApi : ServedApi {
  TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<holds::ReleaseGate> gate;
  std::unique_ptr<holds::HoldService> holds;
  std::unique_ptr<dropship::DropshipService> service;
  metrics::Registry metrics;
  std::atomic<int> wakes{0};
  std::atomic<int> releases{0};
  std::atomic<int> reconciles{0};

  static dropship::Settings settings() {
    namespace config = erp::daemon::config;
    dropship::Settings s;
    config::FactoryConfig acme;
    acme.id = "acme";
    acme.name = "Acme Shoes";
    acme.notify_url = "http://127.0.0.1:9/hook";
    config::FactoryConfig bolt;
    bolt.id = "bolt";
    bolt.douyin_shop_id = "7000002";
    s.config.factories = {acme, bolt};
    s.shops["s1"] = {"tmall", config::DropshipRole::merchant, false};
    s.shops["s2"] = {"tmall", config::DropshipRole::merchant, false};
    s.shops["dy-f"] = {"douyin", config::DropshipRole::factory, false};
    return s;
  }

  DropshipApi() {
    auto opened = store::Store::open(dir.path() / "erpd.db");
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    store = std::move(opened).value();
    gate = std::make_unique<holds::ReleaseGate>(*store,
                                                [this](store::Tx&, const store::StoredOrder&, Instant) { ++releases; });
    holds = std::make_unique<holds::HoldService>(*store, *gate);
    service = std::make_unique<dropship::DropshipService>(*store, *gate, dropship::Hooks{[this] { ++wakes; }});
    service->apply(settings());
    REQUIRE(service->settle_roles(now_utc()).empty());
    auto status = [] { return json{{"state", "running"}}; };
    erp::daemon::api::ApiDeps deps{*store, *holds, metrics, status, [this] { ++wakes; }};
    deps.dropship = service.get();
    deps.factory_for_token = [](std::string_view token) -> std::optional<std::string> {
      if (token == kAcmeToken) return std::string("acme");
      return std::nullopt;
    };
    deps.dropship_reconcile = [this] { ++reconciles; };
    serve(std::move(deps));
  }
  ~DropshipApi() { stop(); }

  /// A request to the factory API with this factory token.
  Reply factory(const std::string& method, const std::string& path, const std::string& token = kAcmeToken,
                const std::string& body = "") {
    return HttpClient().request(method, url(path), token, body);
  }

  void seed(const erp::sdk::Order& order) {
    auto tx = store->begin();
    store->upsert_order(*tx, order, now_utc());
    tx->commit();
  }

  /// A binding of `shop` with `factory` in force since `bound_at` (D2): requested by the
  /// merchant, confirmed by the factory.
  std::int64_t bind(const std::string& shop, const std::string& factory,
                    Instant bound_at = *parse_rfc3339("2026-11-01T00:00:00Z")) {
    auto requested = service->request_binding(shop, factory, bound_at);
    REQUIRE_MESSAGE(requested.ok(), requested.error().message);
    auto confirmed = service->confirm_binding(requested->id, factory, bound_at);
    REQUIRE_MESSAGE(confirmed.ok(), confirmed.error().message);
    return confirmed->id;
  }

  /// Assigns the order's lines (all of them when `lines` is empty) to `factory`: their dropship
  /// line ids, in the order's line order.
  std::vector<std::int64_t> assign(const OrderKey& key, const std::string& factory,
                                   const std::vector<std::string>& lines = {}) {
    auto outcomes = service->assign(key, lines, factory, "manual", now_utc());
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.error().message);
    std::vector<std::int64_t> ids;
    for (const auto& o : *outcomes) {
      REQUIRE_MESSAGE(o.line.has_value(), o.message);
      ids.push_back(o.line->id);
    }
    return ids;
  }
};

}  // namespace erp::test::api_support
