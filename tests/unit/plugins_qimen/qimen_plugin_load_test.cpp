// erp-qimen.so loads through the daemon's PluginHost as a warehouse plugin, takes its options
// through the daemon's warehouse host context (app_secret as a secret, defaults filled in by the
// host) and works across the plugin boundary.

#include <doctest/doctest.h>

#include <deque>
#include <memory>

#include "config/config.hpp"
#include "erp/memory_state.hpp"
#include "plugin_host/host_context.hpp"
#include "plugin_host/plugin_host.hpp"

using erp::daemon::plugin_host::PluginHost;
using namespace erp::sdk;

namespace {

/// Keeps the requests; answers every call with Qimen's success.
class RecordingHttp final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) noexcept override {
    requests.push_back(request);
    HttpResponse response;
    response.status = 200;
    response.body = R"(<?xml version="1.0" encoding="utf-8"?><response><flag>success</flag><code>0</code></response>)";
    return response;
  }
  std::deque<HttpRequest> requests;
};

erp::daemon::config::WarehouseConfig qimen_warehouse() {
  erp::daemon::config::WarehouseConfig warehouse;
  warehouse.connector = "qimen";
  warehouse.options = {{"url", "http://127.0.0.1:9/qimen", 1},
                       {"app_key", "23456789", 2},
                       {"app_secret", "qimen-secret-42", 3},
                       {"customer_id", "c1001", 4},
                       {"owner_code", "OWNER1", 5},
                       {"method_prefix", "false", 6}};
  return warehouse;
}

}  // namespace

TEST_CASE("the qimen module loads as a warehouse plugin and its connector cancels through the host") {
  PluginHost plugins(ERP_PLUGIN_DIR);
  auto plugin = plugins.load("qimen");
  REQUIRE_MESSAGE(plugin.ok(), (plugin.ok() ? std::string() : plugin.error().message));
  CHECK((*plugin)->name() == "qimen");
  CHECK((*plugin)->kind() == PluginKind::warehouse);
  const auto keys = (*plugin)->config_keys();
  REQUIRE(keys.size() == 21);
  CHECK(keys[2].name == "app_secret");
  CHECK(keys[2].type == ConfigType::secret);

  auto http = std::make_shared<RecordingHttp>();
  auto context = erp::daemon::plugin_host::make_warehouse_host_context(qimen_warehouse(), keys, http, nullptr);
  auto connector = (*plugin)->create_warehouse_connector(context);
  REQUIRE_MESSAGE(connector.ok(), (connector.ok() ? std::string() : connector.error().message));

  LockRequest request;
  request.order_id = "5010";
  request.intercept_id = 3;
  request.delivery_codes = {"5010"};
  const auto outcome = (*connector)->lock(request);
  REQUIRE(outcome.ok());
  CHECK(*outcome == LockOutcome::locked);
  REQUIRE(http->requests.size() == 1);
  CHECK(http->requests[0].url.rfind("http://127.0.0.1:9/qimen?method=order.cancel&", 0) == 0);
  // The host filled in the declared defaults (warehouse_code OTHER, timeout 10s).
  CHECK(http->requests[0].body.find("<warehouseCode>OTHER</warehouseCode>") != std::string::npos);
  CHECK(http->requests[0].timeout == std::chrono::milliseconds(10000));

  // Without the secret the connector is refused, naming the key.
  auto without_secret = qimen_warehouse();
  without_secret.options.erase(without_secret.options.begin() + 2);
  auto refused = (*plugin)->create_warehouse_connector(
      erp::daemon::plugin_host::make_warehouse_host_context(without_secret, keys, http, nullptr));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::config_error);
  CHECK(refused.error().message == "plugin qimen: qimen option app_secret: is required");
}

// The daemon's guard around a plugin's connector (plugin_host/guarded_objects.cpp) must forward the
// ABI 6 calls too: without them the connector answers with the WarehouseConnector defaults.
TEST_CASE("the qimen module's inbound path and lock_cancels_delivery reach the plugin through the daemon's guard") {
  PluginHost plugins(ERP_PLUGIN_DIR);
  auto plugin = plugins.load("qimen");
  REQUIRE(plugin.ok());
  auto http = std::make_shared<RecordingHttp>();
  auto connector = (*plugin)->create_warehouse_connector(erp::daemon::plugin_host::make_warehouse_host_context(
      qimen_warehouse(), (*plugin)->config_keys(), http, nullptr));
  REQUIRE(connector.ok());
  CHECK((*connector)->lock_cancels_delivery());
  WarehouseCall call;
  call.query = "method=deliveryorder.confirm&format=xml";
  call.body = "<request/>";
  const auto parsed = (*connector)->parse_inbound(call);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().message == "signature missing: the call has no sign");
  CHECK((*connector)->inbound_reply(call, InboundOutcome{}).content_type == "text/xml;charset=utf-8");
}

TEST_CASE("a cancel the WMS accepted is kept in the host's state: a connector made again does not ask again") {
  // erpd gives the connector a state store in its database (app/warehouse_setup.cpp), so a lock
  // retried after a restart does not cancel the same delivery twice.
  PluginHost plugins(ERP_PLUGIN_DIR);
  auto plugin = plugins.load("qimen");
  REQUIRE(plugin.ok());
  auto state = std::make_shared<MemoryStateStore>();
  auto http = std::make_shared<RecordingHttp>();
  LockRequest request;
  request.order_id = "5010";
  request.idempotency_key = "warehouse.lock:tmall/tm-1/5010#intercept-3";
  request.intercept_id = 3;
  request.delivery_codes = {"5010"};
  for (int run = 0; run < 2; ++run) {
    auto context = erp::daemon::plugin_host::make_warehouse_host_context(qimen_warehouse(), (*plugin)->config_keys(),
                                                                         http, nullptr, state);
    auto connector = (*plugin)->create_warehouse_connector(context);
    REQUIRE(connector.ok());
    const auto outcome = (*connector)->lock(request);
    REQUIRE(outcome.ok());
    CHECK(*outcome == LockOutcome::locked);
  }
  CHECK(http->requests.size() == 1);
}
