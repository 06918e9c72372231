#include "outbox/dispatcher.hpp"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <thread>

#include "core/time_format.hpp"
#include "test_support/temp_dir.hpp"

using namespace erp::daemon;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A side effect whose outcome the test scripts, counting every attempt.
class ScriptedHandler : public outbox::Handler {
 public:
  std::vector<erp::sdk::Result<void>> script;
  std::atomic<int> calls{0};
  erp::sdk::Result<void> execute(const store::OutboxItem&) noexcept override {
    const auto i = static_cast<std::size_t>(calls++);
    return i < script.size() ? script[i] : erp::sdk::Result<void>{};
  }
};

struct Fixture {
  erp::test::TempDir tmp{"erpd-outbox"};
  fs::path dir = tmp.path();
  std::unique_ptr<store::Store> store;
  metrics::Registry metrics;
  boost::asio::io_context io;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work;
  std::thread thread;

  Fixture() {
    store = std::move(store::Store::open(dir / "erpd.db")).value();
  }
  ~Fixture() {
    work.reset();
    io.stop();
    if (thread.joinable()) thread.join();
  }
  std::int64_t enqueue(const std::string& key) {
    auto tx = store->begin();
    const auto id = store->enqueue(*tx, {key, "test.effect", "warehouse", std::nullopt, {}}, now_utc());
    tx->commit();
    return id;
  }
  void run() {
    work = std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
        boost::asio::make_work_guard(io));
    thread = std::thread([this] { io.run(); });
  }
  store::OutboxState state_of(std::int64_t id) { return store->get_outbox_item(id)->state; }
  bool eventually(const std::function<bool()>& f) {
    for (int i = 0; i < 200; ++i) {
      if (f()) return true;
      std::this_thread::sleep_for(20ms);
    }
    return f();
  }
};

config::OutboxConfig fast_policy(int attempts) {
  config::OutboxConfig p;
  p.max_attempts = attempts;
  p.backoff_initial = 10ms;
  p.backoff_max = 40ms;
  return p;
}

}  // namespace

TEST_CASE("a transient failure is retried with backoff until the effect succeeds, then the item is done") {
  Fixture f;
  auto handler = std::make_shared<ScriptedHandler>();
  handler->script = {erp::sdk::fail(erp::sdk::ErrorCode::transient, "503"),
                     erp::sdk::fail(erp::sdk::ErrorCode::transient, "503"), {}};
  outbox::Dispatcher dispatcher(f.io, *f.store, f.metrics);
  dispatcher.configure(fast_policy(5), {{"test.effect", handler}});
  const auto id = f.enqueue("k1");
  f.run();
  dispatcher.start();
  CHECK(f.eventually([&] { return f.state_of(id) == store::OutboxState::done; }));
  CHECK(handler->calls == 3);
  CHECK(f.store->get_outbox_item(id)->attempts == 3);  // two failures and the success
  CHECK(dispatcher.stop(1s));
}

TEST_CASE("after max_attempts, or at once for a permanent error, the item goes dead with the reason") {
  Fixture f;
  auto flaky = std::make_shared<ScriptedHandler>();
  flaky->script.assign(10, erp::sdk::fail(erp::sdk::ErrorCode::transient, "timeout"));
  auto refused = std::make_shared<ScriptedHandler>();
  refused->script = {erp::sdk::fail(erp::sdk::ErrorCode::invalid_input, "warehouse refused")};
  outbox::Dispatcher dispatcher(f.io, *f.store, f.metrics);
  dispatcher.configure(fast_policy(3), {{"test.effect", flaky}, {"test.refused", refused}});
  const auto flaky_id = f.enqueue("k2");
  std::int64_t refused_id;
  {
    auto tx = f.store->begin();
    refused_id = f.store->enqueue(*tx, {"k3", "test.refused", "warehouse", std::nullopt, {}}, now_utc());
    tx->commit();
  }
  f.run();
  dispatcher.start();
  CHECK(f.eventually([&] { return f.state_of(flaky_id) == store::OutboxState::dead; }));
  CHECK(f.eventually([&] { return f.state_of(refused_id) == store::OutboxState::dead; }));
  CHECK(flaky->calls == 3);
  CHECK(refused->calls == 1);
  CHECK(f.store->get_outbox_item(refused_id)->last_error.find("warehouse refused") != std::string::npos);
  CHECK(dispatcher.stop(1s));
}

TEST_CASE("an item with no handler for its kind goes dead saying so, instead of retrying forever") {
  Fixture f;
  outbox::Dispatcher dispatcher(f.io, *f.store, f.metrics);
  dispatcher.configure(fast_policy(3), {});
  const auto id = f.enqueue("k4");
  f.run();
  dispatcher.start();
  CHECK(f.eventually([&] { return f.state_of(id) == store::OutboxState::dead; }));
  CHECK(f.store->get_outbox_item(id)->last_error.find("no handler") != std::string::npos);
  CHECK(dispatcher.stop(1s));
}

TEST_CASE("items a crash left in flight are performed again on start, with the same key") {
  Fixture f;
  const auto id = f.enqueue("k5");
  REQUIRE(f.store->claim_due(now_utc(), 10).size() == 1);  // the crashed run had claimed it
  auto handler = std::make_shared<ScriptedHandler>();
  outbox::Dispatcher dispatcher(f.io, *f.store, f.metrics);
  dispatcher.configure(fast_policy(3), {{"test.effect", handler}});
  f.run();
  dispatcher.start();
  CHECK(f.eventually([&] { return f.state_of(id) == store::OutboxState::done; }));
  CHECK(handler->calls == 1);
  CHECK(f.store->get_outbox_item(id)->idempotency_key == "k5");
  CHECK(dispatcher.stop(1s));
}
