#include "sync/push_intake.hpp"

#include <spdlog/spdlog.h>

#include <thread>

#include "core/time_format.hpp"

namespace erp::daemon::sync {
namespace {

bool takes_pushes(const std::shared_ptr<sdk::PlatformAdapter>& adapter) {
  return adapter && adapter->capabilities().push_events;
}

sdk::PushReply unavailable(const std::string& why) {
  return sdk::PushReply{503, "application/json",
                        nlohmann::json{{"error", {{"code", "unavailable"}, {"message", why}}}}.dump()};
}

}  // namespace

PushIntake::PushIntake(PushDeps deps, std::shared_ptr<const SyncClock> clock, PushOptions options)
    : deps_(std::move(deps)), clock_(std::move(clock)), options_(options) {
  deps_.metrics.describe(kPushMetric, "counter",
                         "Platform push messages by shop and outcome (accepted, duplicate, refused, fetched, "
                         "fetch_failed, queue_full).");
}

PushIntake::~PushIntake() { stop(); }

void PushIntake::configure(const std::vector<PushShop>& shops) {
  std::lock_guard configure_lock(configure_mutex_);
  std::map<std::string, Served> current;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    current = shops_;
  }
  std::map<std::string, Served> next;
  for (const auto& spec : shops) {
    if (!takes_pushes(deps_.adapters ? deps_.adapters(spec.shop) : nullptr)) continue;
    auto it = current.find(spec.shop);
    if (it != current.end() && it->second.spec.platform == spec.platform) {
      // The fetcher looks the adapter up at each fetch, so a reloaded adapter needs no new one.
      next.emplace(spec.shop, Served{spec, it->second.fetcher});
      if (it->second.spec.path != spec.path) spdlog::info("shop {}: takes pushes on {} now", spec.shop, spec.path);
      current.erase(it);
      continue;
    }
    next.emplace(spec.shop,
                 Served{spec, std::make_shared<PushFetcher>(spec.platform, spec.shop, deps_, clock_, options_)});
    spdlog::info("shop {}: takes pushes on {}", spec.shop, spec.path);
  }
  // Retired fetchers drop what waits before their path goes, and are joined outside the lock
  // (a fetch in flight ends first).
  for (auto& [id, served] : current) served.fetcher->request_stop();
  {
    std::lock_guard lock(mutex_);
    shops_ = next;
  }
  for (auto& [id, served] : current) {
    const std::size_t dropped = served.fetcher->stop();
    spdlog::info("shop {}: no longer takes pushes{}", id,
                 dropped == 0 ? std::string()
                              : "; " + std::to_string(dropped) + " pushed order(s) not fetched are left to its sync");
  }
}

bool PushIntake::is_push_path(const std::string& path) const {
  std::lock_guard lock(mutex_);
  if (stopped_) return false;
  for (const auto& [id, served] : shops_) {
    if (served.spec.path == path) return true;
  }
  return false;
}

sdk::PushReply PushIntake::receive(const std::string& path, const sdk::PushRequest& request) {
  std::vector<Served> on_path;
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return unavailable("erpd is stopping");
    for (const auto& [id, served] : shops_) {
      if (served.spec.path == path) on_path.push_back(served);
    }
  }
  struct Refusal {
    std::string shop;
    std::shared_ptr<sdk::PlatformAdapter> adapter;
    sdk::Error error;
  };
  std::vector<Refusal> refusals;
  std::vector<std::pair<Served, sdk::PushBatch>> accepted;
  for (const auto& served : on_path) {
    auto adapter = deps_.adapters ? deps_.adapters(served.spec.shop) : nullptr;
    if (!takes_pushes(adapter)) continue;  // reloaded meanwhile
    auto parsed = adapter->parse_push(request);
    if (parsed) {
      accepted.emplace_back(served, std::move(parsed).value());
    } else {
      refusals.push_back(Refusal{served.spec.shop, adapter, std::move(parsed).error()});
    }
  }
  if (accepted.empty()) {
    if (refusals.empty()) return unavailable("no shop takes pushes on " + path + " right now");
    // The adapters' reasons only: the body and header values may hold what an attacker sent.
    std::string reasons;
    for (const auto& r : refusals) {
      reasons += (reasons.empty() ? "" : "; ") + r.shop + ": " + std::string(sdk::to_string(r.error.code)) + ": " +
                 r.error.message;
      count(r.shop, "refused");
    }
    spdlog::warn("push on {} refused ({} bytes): {}", path, request.body.size(), reasons);
    return refusals.front().adapter->push_refusal(refusals.front().error);
  }
  for (const auto& [served, batch] : accepted) {
    for (const auto& message : batch.messages) take(served, message);
    spdlog::debug("push on {}: shop {} took {} message(s)", path, served.spec.shop, batch.messages.size());
  }
  return accepted.front().second.reply;
}

void PushIntake::take(const Served& served, const sdk::PushMessage& message) {
  const std::string& platform = served.spec.platform;
  const std::string& shop = served.spec.shop;
  // Checked in this order against the fetcher's own bookkeeping: the fetcher records an id in
  // the store before it forgets it, so an id is always in one or the other once taken over.
  const bool seen = !message.msg_id.empty() &&
                    (served.fetcher->holds(message.msg_id) || deps_.store.push_seen(platform, shop, message.msg_id));
  if (seen) {
    count(shop, "duplicate");
    return;
  }
  if (message.order_id.empty()) {
    // About no order (a product or shop message): nothing to fetch, only remembered.
    const bool first = message.msg_id.empty() || deps_.store.record_push(platform, shop, message.msg_id, clock_->now());
    count(shop, first ? "accepted" : "duplicate");
    if (first && message.topic == "dropship" && dropship_listener_) dropship_listener_(shop);
    return;
  }
  switch (served.fetcher->enqueue(message.order_id, message.msg_id)) {
    case PushFetcher::Queued::queued:
      count(shop, "accepted");
      break;
    case PushFetcher::Queued::duplicate:
      count(shop, "duplicate");
      break;
    case PushFetcher::Queued::refused:
      count(shop, "queue_full");
      break;
  }
}

void PushIntake::on_dropship_message(std::function<void(const std::string& shop)> listener) {
  dropship_listener_ = std::move(listener);
}

void PushIntake::count(const std::string& shop, const char* outcome) {
  deps_.metrics.add(kPushMetric, {{"shop", shop}, {"outcome", outcome}});
}

int PushIntake::prune_if_due() {
  const Instant now = clock_->now();
  {
    std::lock_guard lock(mutex_);
    if (last_prune_ && now - *last_prune_ < options_.prune_every) return 0;
    last_prune_ = now;
  }
  const int removed = deps_.store.prune_pushes(now - options_.keep_ids);
  if (removed > 0) {
    spdlog::info("pushes: forgot {} message id(s) older than {}", removed, format_duration(options_.keep_ids));
  }
  return removed;
}

void PushIntake::stop() {
  std::lock_guard configure_lock(configure_mutex_);
  std::map<std::string, Served> retiring;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    retiring.swap(shops_);
  }
  for (auto& [id, served] : retiring) served.fetcher->request_stop();  // all at once: they wind down in parallel
  for (auto& [id, served] : retiring) served.fetcher->stop();
}

bool PushIntake::wait_idle(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool idle = true;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, served] : shops_) idle = idle && served.fetcher->idle();
    }
    if (idle) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
}

}  // namespace erp::daemon::sync
