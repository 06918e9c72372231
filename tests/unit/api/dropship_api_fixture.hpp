#pragma once
// The API as the daemon wires it for dropship (rules D1-D11): a Server whose ApiDeps reach a real
// DropshipService (with the order pipeline running its workflow), factory tokens, and a fake shop
// adapter that decrypts receivers (rule D10), over a temp-dir Store. Shop tm-1 is a merchant on
// TOP; factories fac-a (notifies) and fac-b (polls) ship its lines with their own tokens.

#include <mutex>

#include "unit/api/api_fixture.hpp"
#include "workflows/dropship/dropship_service.hpp"
#include "workflows/dropship/dropship_workflow.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::test::api_support {

namespace dropship = erp::daemon::workflows::dropship;

inline constexpr const char* kMerchantShop = "tm-1";
inline constexpr const char* kFactoryAToken = "factory-a-token-0123456789";
inline constexpr const char* kFactoryBToken = "factory-b-token-0123456789";
/// A token the daemon still knows for a factory no longer in the config.
inline constexpr const char* kStaleToken = "factory-gone-token-0123456";
/// What the fake platform decrypts every receiver to; never to be found in the store.
inline constexpr const char* kPlainName = "李四";
inline constexpr const char* kPlainPhone = "13900139000";
inline constexpr const char* kPlainAddress = "学院路 7 号 2 单元 302";

/// A platform adapter that only decrypts receivers (and counts what it was asked).
class FakeDecryptAdapter final : public erp::sdk::PlatformAdapter {
 public:
  erp::sdk::Capabilities capabilities() const override {
    erp::sdk::Capabilities c;
    c.receiver_decrypt = true;
    return c;
  }
  erp::sdk::Result<erp::sdk::OrderPage> list_modified(const erp::sdk::ModifiedWindow&, const std::string&) override {
    return erp::sdk::OrderPage{};
  }
  erp::sdk::Result<erp::sdk::Order> get_order(const std::string&) override {
    return erp::sdk::fail(erp::sdk::ErrorCode::not_found, "no such order");
  }
  erp::sdk::Result<std::vector<erp::sdk::PlainReceiver>> decrypt_receivers(
      const std::vector<erp::sdk::ReceiverCipher>& ciphers) override {
    std::lock_guard lock(mutex_);
    seen_.insert(seen_.end(), ciphers.begin(), ciphers.end());
    std::vector<erp::sdk::PlainReceiver> out;
    for (const auto& c : ciphers)
      out.push_back(erp::sdk::PlainReceiver{c.order_id, kPlainName, kPlainPhone, kPlainAddress, ""});
    return out;
  }
  std::vector<erp::sdk::ReceiverCipher> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::vector<erp::sdk::ReceiverCipher> seen_;
};

/// A running API with the dropship hub over a fresh store.
struct DropshipApi : ServedApi {
  TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<holds::ReleaseGate> gate;
  std::unique_ptr<holds::HoldService> holds;
  std::unique_ptr<dropship::DropshipService> service;
  std::unique_ptr<erp::daemon::workflows::OrderPipeline> pipeline;
  std::shared_ptr<FakeDecryptAdapter> adapter = std::make_shared<FakeDecryptAdapter>();
  metrics::Registry metrics;
  std::atomic<int> reconciles{0};

  DropshipApi() {
    auto opened = store::Store::open(dir.path() / "erpd.db");
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    store = std::move(opened).value();
    gate = std::make_unique<holds::ReleaseGate>(*store, [](store::Tx&, const store::StoredOrder&, Instant) {});
    holds = std::make_unique<holds::HoldService>(*store, *gate);
    service = std::make_unique<dropship::DropshipService>(*store, *gate, dropship::Hooks{});
    dropship::Settings settings;
    for (const char* id : {"fac-a", "fac-b"}) {
      erp::daemon::config::FactoryConfig f;
      f.id = id;
      f.token_file = dir.path() / (std::string(id) + ".token");
      if (f.id == "fac-a") f.notify_url = "https://fac-a.example/erpd";
      settings.config.factories.push_back(f);
    }
    settings.shops[kMerchantShop] = dropship::ShopFacts{"tmall", erp::daemon::config::DropshipRole::merchant, false};
    service->apply(settings);
    pipeline = std::make_unique<erp::daemon::workflows::OrderPipeline>(*store, *gate);
    pipeline->add(std::make_shared<dropship::DropshipWorkflow>(*service));

    erp::daemon::api::ApiDeps deps{*store, *holds, metrics, [] { return json::object(); }, [] {}};
    deps.adapter = [this](const std::string& shop) -> std::shared_ptr<erp::sdk::PlatformAdapter> {
      return shop == kMerchantShop ? adapter : nullptr;
    };
    deps.dropship = service.get();
    deps.factory_for_token = [](std::string_view token) -> std::optional<std::string> {
      if (token == kFactoryAToken) return "fac-a";
      if (token == kFactoryBToken) return "fac-b";
      if (token == kStaleToken) return "fac-gone";
      return std::nullopt;
    };
    deps.dropship_reconcile = [this] { ++reconciles; };
    serve(std::move(deps));
  }
  ~DropshipApi() { stop(); }

  /// One request with `token` as the bearer token (none when nullopt).
  Reply call(const std::string& method, const std::string& path, const std::optional<std::string>& token,
             const std::string& body = "") {
    return HttpClient().request(method, url(path), token, body);
  }
  /// The merchant, with the daemon's token.
  Reply merchant(const std::string& method, const std::string& path, const std::string& body = "") {
    return call(method, path, std::string(kToken), body);
  }

  /// Stores the order through the pipeline (the dropship workflow sees it).
  void ingest(const erp::sdk::Order& order) { pipeline->ingest(order, now_utc()); }

  /// A binding of tm-1 with `factory` in force since well before the sample orders were created.
  store::DropshipBinding bind(const std::string& factory) {
    const Instant since = *parse_rfc3339("2026-01-01T00:00:00Z");
    auto requested = service->request_binding(kMerchantShop, factory, since);
    REQUIRE_MESSAGE(requested.ok(), requested.error().message);
    auto confirmed = service->confirm_binding(requested->id, factory, since);
    REQUIRE_MESSAGE(confirmed.ok(), confirmed.error().message);
    return *confirmed;
  }

  /// Assigns one line of a stored order and returns its dropship line.
  store::DropshipLine assign(const OrderKey& key, const std::string& line_id, const std::string& factory) {
    auto outcomes = service->assign(key, {line_id}, factory, "manual", now_utc());
    REQUIRE_MESSAGE(outcomes.ok(), outcomes.error().message);
    REQUIRE(outcomes->size() == 1);
    REQUIRE_MESSAGE((*outcomes)[0].line.has_value(), (*outcomes)[0].message);
    return *(*outcomes)[0].line;
  }

  std::size_t outbox_count(const std::string& kind) {
    std::size_t n = 0;
    for (const auto& item : store->list_outbox(std::nullopt, 1000)) n += item.kind == kind ? 1U : 0U;
    return n;
  }
};

inline std::string line_path(std::int64_t id, const std::string& rest = "") {
  return "/v1/factory/lines/" + std::to_string(id) + rest;
}

}  // namespace erp::test::api_support
