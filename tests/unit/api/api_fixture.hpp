#pragma once
// A running API for tests: a Server on 127.0.0.1 port 0 over a fresh temp-dir Store with the
// real HoldService and ReleaseGate, a libcurl client, and sample orders.

#include <curl/curl.h>
#include <doctest/doctest.h>
#include <stdlib.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/http_util.hpp"
#include "api/server.hpp"
#include "core/time_format.hpp"
#include "holds/release_gate.hpp"
#include "test_support/temp_dir.hpp"

namespace erp::test::api_support {

using erp::daemon::Instant;
using erp::daemon::now_utc;
using erp::daemon::OrderKey;
using erp::daemon::parse_rfc3339;
using nlohmann::json;
namespace store = erp::daemon::store;
namespace holds = erp::daemon::holds;
namespace metrics = erp::daemon::metrics;

inline constexpr const char* kToken = "test-token-0123456789abcdef";
inline constexpr const char* kCiphertext = "~CIPHERTEXT-OF-THE-RECEIVER~";

struct Reply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< Lower-case names.
  long new_connections = -1;

  json json_body() const { return json::parse(body); }
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  std::string error_code() const { return json_body()["error"]["code"].get<std::string>(); }
  std::string error_message() const { return json_body()["error"]["message"].get<std::string>(); }
};

inline std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

inline std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  std::string line(data, size * n);
  if (auto colon = line.find(':'); colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

/// One libcurl handle; reusing it reuses the connection (keep-alive).
class HttpClient {
 public:
  HttpClient() : curl_(curl_easy_init()) {}
  ~HttpClient() { curl_easy_cleanup(curl_); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Reply request(const std::string& method, const std::string& url, const std::optional<std::string>& token,
                const std::string& body = "") {
    Reply reply;
    curl_easy_reset(curl_);
    curl_slist* headers = nullptr;
    const std::string auth = token ? "Authorization: Bearer " + *token : std::string();
    if (token) headers = curl_slist_append(headers, auth.c_str());
    if (!body.empty()) headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl_, CURLOPT_PROXY, "");
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &reply.headers);
    if (!body.empty() || method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    const CURLcode rc = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    REQUIRE_MESSAGE(rc == CURLE_OK, curl_easy_strerror(rc));
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &reply.new_connections);
    return reply;
  }

 private:
  CURL* curl_;
};

inline erp::sdk::Order make_order(const std::string& shop, const std::string& id,
                                  erp::sdk::OrderStatus status = erp::sdk::OrderStatus::paid) {
  erp::sdk::Order o;
  o.platform = "tmall";
  o.shop = shop;
  o.order_id = id;
  o.status = status;
  o.platform_status = "WAIT_SELLER_SEND_GOODS";
  o.created_at = *parse_rfc3339("2026-11-11T01:59:00Z");
  o.paid_at = *parse_rfc3339("2026-11-11T02:00:03Z");
  o.modified_at = *o.paid_at;
  o.total.fen = 12300;
  for (int i = 1; i <= 3; ++i) {
    erp::sdk::OrderLine line;
    line.line_id = id + "-" + std::to_string(i);
    line.sku = "sku" + std::to_string(i);
    line.outer_sku = "OUT-" + std::to_string(i);
    line.title = "围巾";
    line.quantity = 1;
    line.price.fen = 4100;
    line.paid.fen = 4100;
    line.status = status;
    o.lines.push_back(line);
  }
  o.receiver.ciphertext = kCiphertext;
  o.receiver.masked_name = "张*";
  o.receiver.masked_phone = "138****5678";
  o.receiver.masked_address = "浙江省杭州市西湖区****";
  o.receiver.province = "浙江省";
  o.memo = "gift wrap";
  o.ship_by = *parse_rfc3339("2026-11-13T02:00:03Z");
  return o;
}

/// The serving half every API fixture shares: a Server on 127.0.0.1 (any free port) run by two
/// threads. A fixture calls serve() last in its constructor and stop() first in its destructor,
/// before the store and services the server's handlers use go away.
struct ServedApi {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::unique_ptr<erp::daemon::api::Server> server;
  std::vector<std::thread> threads;

  void serve(erp::daemon::api::ApiDeps deps, erp::daemon::api::ServerOptions options = {}) {
    server = std::make_unique<erp::daemon::api::Server>(io, std::move(deps), kToken, options);
    auto listening = server->listen("127.0.0.1", 0);
    REQUIRE_MESSAGE(listening.ok(), listening.error().message);
    REQUIRE(server->port() != 0);
    work.emplace(io.get_executor());
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io.run(); });
  }
  void stop() {
    if (!server) return;
    server->stop();
    work.reset();
    io.stop();
    for (auto& t : threads) t.join();
    threads.clear();
  }
  ~ServedApi() { stop(); }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(server->port()) + path; }
};

/// A running API over a fresh store.
struct Api : ServedApi {
  TempDir dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<holds::ReleaseGate> gate;
  std::unique_ptr<holds::HoldService> holds;
  /// Shop "tb-1" has intercept on with memo "拦截发货"; tests change it in place.
  std::map<std::string, erp::daemon::workflows::intercept::ShopSettings> intercept_shops;
  std::unique_ptr<erp::daemon::workflows::intercept::InterceptService> intercepts;
  metrics::Registry metrics;
  std::atomic<int> wakes{0};
  std::atomic<int> releases{0};
  json status{{"state", "running"}, {"version", "0.1.0"}};
  json alerts = json::array();        ///< What the daemon's sync_alerts would answer.
  std::atomic<int> sync_requests{0};  ///< "Sync now" calls; shop "tb-1" has a worker.

  explicit Api(erp::daemon::api::ServerOptions options = {}) {
    auto opened = store::Store::open(dir.path() / "erpd.db");
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    store = std::move(opened).value();
    gate = std::make_unique<holds::ReleaseGate>(*store,
                                                [this](store::Tx&, const store::StoredOrder&, Instant) { ++releases; });
    holds = std::make_unique<holds::HoldService>(*store, *gate);
    erp::daemon::workflows::intercept::ShopSettings settings;
    settings.enabled = true;
    settings.memo = "拦截发货";
    intercept_shops["tb-1"] = settings;
    intercepts = std::make_unique<erp::daemon::workflows::intercept::InterceptService>(
        *store, *gate,
        [this](const std::string& shop) -> std::optional<erp::daemon::workflows::intercept::ShopSettings> {
          const auto it = intercept_shops.find(shop);
          if (it == intercept_shops.end()) return std::nullopt;
          return it->second;
        },
        erp::daemon::workflows::intercept::ServiceHooks{[this] { ++wakes; }, [] { return true; }, {}});
    erp::daemon::api::ApiDeps deps{*store, *holds, metrics, [this] { return status; }, [this] { ++wakes; },
                                   [this] { return alerts; },
                                   [this](const std::string& shop) {
                                     ++sync_requests;
                                     return shop == "tb-1";
                                   }};
    deps.intercepts = intercepts.get();
    serve(std::move(deps), options);
  }
  ~Api() { stop(); }

  Reply get(const std::string& path, const std::optional<std::string>& token = std::string(kToken)) {
    return HttpClient().request("GET", url(path), token);
  }
  Reply send(const std::string& method, const std::string& path, const std::string& body = "") {
    return HttpClient().request(method, url(path), std::string(kToken), body);
  }

  void seed(const erp::sdk::Order& order) {
    auto tx = store->begin();
    store->upsert_order(*tx, order, now_utc());
    tx->commit();
  }
  std::int64_t workflow_hold(const OrderKey& key) {
    auto tx = store->begin();
    const auto id = store->add_hold(
        *tx, key, store::NewHold{"TAG_WINDOW", "workflow:gift", "G2", "waiting for the reservation tag", {}},
        now_utc());
    tx->commit();
    return id;
  }
};

inline std::string order_path(const std::string& shop, const std::string& id) {
  return "/v1/orders/tmall/" + erp::daemon::api::percent_encode(shop) + "/" + erp::daemon::api::percent_encode(id);
}

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
  ~CurlGlobal() { curl_global_cleanup(); }
};
inline CurlGlobal curl_global;

}  // namespace erp::test::api_support
