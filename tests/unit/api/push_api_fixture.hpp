#pragma once
// The API as the daemon wires it for pushes and receiver decryption: a Server whose ApiDeps reach
// a real PushIntake and fake shop adapters (tests/unit/sync/push_fakes.hpp), over a temp-dir
// Store with the real pipeline. Shops: dy-1 (pushes on /push/dy-1, decrypts) and tb-1 (a
// TOP-like adapter: neither).

#include <curl/curl.h>

#include <mutex>

#include "sync/push_intake.hpp"
#include "unit/api/api_fixture.hpp"
#include "unit/sync/push_fakes.hpp"
#include "workflows/order_pipeline.hpp"

namespace erp::test::api_support {

namespace push = erp::test::push;

struct PushApi {
  TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<holds::ReleaseGate> gate;
  std::unique_ptr<holds::HoldService> holds;
  std::unique_ptr<erp::daemon::workflows::OrderPipeline> pipeline;
  metrics::Registry metrics;
  std::mutex adapters_mutex;
  std::map<std::string, std::shared_ptr<push::FakePushAdapter>> adapters;
  std::unique_ptr<erp::daemon::sync::PushIntake> intake;
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::unique_ptr<erp::daemon::api::Server> server;
  std::vector<std::thread> threads;

  PushApi() {
    auto opened = store::Store::open(dir.path() / "erpd.db");
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    store = std::move(opened).value();
    gate = std::make_unique<holds::ReleaseGate>(*store, [](store::Tx&, const store::StoredOrder&, Instant) {});
    holds = std::make_unique<holds::HoldService>(*store, *gate);
    pipeline = std::make_unique<erp::daemon::workflows::OrderPipeline>(*store, *gate);
    adapters["dy-1"] = std::make_shared<push::FakePushAdapter>();
    adapters["tb-1"] = std::make_shared<push::FakePushAdapter>();
    adapters["tb-1"]->pushes = false;
    adapters["tb-1"]->decrypts = false;
    auto lookup = [this](const std::string& shop) -> std::shared_ptr<erp::sdk::PlatformAdapter> {
      std::lock_guard lock(adapters_mutex);
      auto it = adapters.find(shop);
      return it == adapters.end() ? nullptr : it->second;
    };
    erp::daemon::sync::PushOptions options;
    options.first_backoff = std::chrono::milliseconds{5};
    intake = std::make_unique<erp::daemon::sync::PushIntake>(
        erp::daemon::sync::PushDeps{*store, *pipeline, metrics, lookup},
        std::make_shared<erp::daemon::sync::SystemSyncClock>(), options);
    intake->configure({{"douyin", "dy-1", "/push/dy-1"}, {"taobao", "tb-1", "/push/tb-1"}});
    server = std::make_unique<erp::daemon::api::Server>(
        io,
        erp::daemon::api::ApiDeps{*store, *holds, metrics, [] { return json::object(); }, [] {},
                                  [] { return json::array(); }, [](const std::string&) { return false; },
                                  [this](const std::string& path) { return intake->is_push_path(path); },
                                  [this](const std::string& path, const erp::sdk::PushRequest& request) {
                                    return intake->receive(path, request);
                                  },
                                  lookup},
        kToken);
    auto listening = server->listen("127.0.0.1", 0);
    REQUIRE_MESSAGE(listening.ok(), listening.error().message);
    work.emplace(io.get_executor());
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  ~PushApi() {
    server->stop();
    work.reset();
    io.stop();
    for (auto& t : threads) t.join();
    intake->stop();
  }

  push::FakePushAdapter& adapter(const std::string& shop = "dy-1") {
    std::lock_guard lock(adapters_mutex);
    return *adapters.at(shop);
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(server->port()) + path; }

  /// One request with these extra header lines ("Name: value") and, when given, the bearer token.
  Reply request(const std::string& method, const std::string& path, const std::vector<std::string>& header_lines,
                const std::string& body = "", const std::optional<std::string>& token = std::nullopt) {
    Reply reply;
    CURL* curl = curl_easy_init();
    curl_slist* headers = nullptr;
    for (const auto& line : header_lines) headers = curl_slist_append(headers, line.c_str());
    const std::string auth = token ? "Authorization: Bearer " + *token : std::string();
    if (token) headers = curl_slist_append(headers, auth.c_str());
    const std::string target = url(path);
    curl_easy_setopt(curl, CURLOPT_URL, target.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    if (!body.empty() || method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_easy_cleanup(curl);
    REQUIRE_MESSAGE(rc == CURLE_OK, curl_easy_strerror(rc));
    return reply;
  }

  /// A push as the fake platform sends it (no bearer token).
  Reply push(const std::string& path, const std::string& body, const std::string& sign = "app-secret-1") {
    return request("POST", path, {"Content-Type: application/json", "Event-Sign: " + sign}, body);
  }
  Reply get(const std::string& path) { return request("GET", path, {}, "", std::string(kToken)); }
  Reply post(const std::string& path, const std::string& body) {
    return request("POST", path, {"Content-Type: application/json"}, body, std::string(kToken));
  }

  void seed(const erp::sdk::Order& order) {
    auto tx = store->begin();
    store->upsert_order(*tx, order, now_utc());
    tx->commit();
  }
  /// A stored Douyin order of shop dy-1 (or `shop`) with the fake's ciphertext.
  erp::sdk::Order seed_order(const std::string& id, const std::string& shop = "dy-1",
                             const std::string& platform = "douyin") {
    auto order = push::FakePushAdapter::order(id);
    order.platform = platform;
    order.shop = shop;
    seed(order);
    return order;
  }
};

}  // namespace erp::test::api_support
