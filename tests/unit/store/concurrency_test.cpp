// The daemon's threads share one Store: shop syncs write while the API reads.

#include <thread>

#include "unit/store/store_fixture.hpp"

using namespace erp;
using namespace erp::test;

TEST_CASE("several threads storing and reading at once lose nothing") {
  TempDir dir;
  auto store = open_store(dir / "erpd.db");
  const auto now = at("2026-11-11T00:00:00Z");
  constexpr int kWriters = 4;
  constexpr int kPerWriter = 60;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};

  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        for (int i = 0; i < kPerWriter; ++i) {
          auto tx = store->begin();
          const auto order = sample_order(std::to_string(i), "shop-" + std::to_string(w));
          store->upsert_order(*tx, order, now);
          if (i % 3 == 0) store->add_hold(*tx, key_of(order), {"MANUAL", "operator:t", "", "", {}}, now);
          store->enqueue(*tx, {"k-" + std::to_string(w) + "-" + std::to_string(i), "x", "y", std::nullopt, {}}, now);
          tx->commit();
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  std::thread reader([&] {
    try {
      while (writing) {
        auto page = store->list_orders({"", "", "held", "", 50});
        for (const auto& o : page.orders) {
          if (o.holds.empty()) ++failures;  // A listed held order shows its hold.
        }
        store->counts();
        for (const auto& item : store->claim_due(now, 10)) store->mark_done(item.id, now);
      }
    } catch (...) {
      ++failures;
    }
  });
  for (auto& t : writers) t.join();
  writing = false;
  reader.join();

  CHECK(failures == 0);
  const auto counts = store->counts();
  CHECK(counts.orders == kWriters * kPerWriter);
  CHECK(counts.held_orders == kWriters * kPerWriter / 3);
  CHECK(counts.outbox_in_flight == 0);
}

TEST_CASE("the store's lock is recursive and serves waiting threads in the order they came") {
  daemon::store::FairRecursiveMutex mutex;
  mutex.lock();
  mutex.lock();  // the same thread again (a store call inside its own Tx)
  std::vector<int> order;
  std::mutex order_mutex;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 3; ++i) {
    waiters.emplace_back([&, i] {
      mutex.lock();
      {
        std::lock_guard guard(order_mutex);
        order.push_back(i);
      }
      mutex.unlock();
    });
    // Each waiter takes its ticket before the next one starts.
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  std::thread other([&] { CHECK_FALSE(mutex.try_lock()); });
  other.join();
  mutex.unlock();
  CHECK(order.empty());  // still held once
  mutex.unlock();
  for (auto& t : waiters) t.join();
  CHECK(order == std::vector<int>{0, 1, 2});
}
