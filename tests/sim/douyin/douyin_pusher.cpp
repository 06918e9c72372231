#include "douyin_pusher.hpp"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

#include "douyin_sign.hpp"

namespace erp::sim::douyin {
namespace {

constexpr std::size_t kMaxQueue = 200000;

std::size_t discard_body(char*, std::size_t size, std::size_t n, void*) { return size * n; }

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Pusher::Pusher(Counters& counters) : counters_(counters) {
  init_curl_once();
  worker_ = std::thread([this] { run(); });
}

Pusher::~Pusher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Pusher::set_faults(double drop, double duplicate) {
  std::lock_guard lock(mutex_);
  drop_ = drop < 0 ? 0 : (drop > 1 ? 1 : drop);
  duplicate_ = duplicate < 0 ? 0 : (duplicate > 1 ? 1 : duplicate);
}

void Pusher::enqueue(PushJob job) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueue) {
      ++dropped_;
      return;
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

bool Pusher::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

void Pusher::clear() {
  std::lock_guard lock(mutex_);
  queue_.clear();
}

std::uint64_t Pusher::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}
std::uint64_t Pusher::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}
std::uint64_t Pusher::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::string Pusher::body_of(const PushJob& job) {
  nlohmann::json msg = {{"tag", job.tag}, {"msg_id", job.msg_id}, {"data", job.data}};
  return nlohmann::json::array({msg}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Pusher::run() {
  std::uniform_real_distribution<double> share(0.0, 1.0);
  for (;;) {
    PushJob job;
    int copies = 1;
    {
      std::unique_lock lock(mutex_);
      busy_ = false;
      if (queue_.empty()) idle_.notify_all();
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      // Draw both shares for every message so the sequence is reproducible for a given seed.
      const double d = share(rng_);
      const double u = share(rng_);
      if (d < drop_) {
        ++dropped_;
        continue;
      }
      if (u < duplicate_) copies = 2;
    }
    const std::string body = body_of(job);
    for (int i = 0; i < copies; ++i) {
      const bool ok = post(job, body);
      counters_.add("push", job.shop_id, job.order_id);
      std::lock_guard lock(mutex_);
      ++sent_;
      if (!ok) ++failed_;
    }
  }
}

bool Pusher::post(const PushJob& job, const std::string& body) {
  CURL* curl = curl_easy_init();
  if (!curl) return false;
  const std::string sign_header = "event-sign: " + event_sign(job.app_key, body, job.app_secret);
  const std::string app_header = "app-id: " + job.app_key;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, sign_header.c_str());
  headers = curl_slist_append(headers, app_header.c_str());
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, job.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 3000L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard_body);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return rc == CURLE_OK && status >= 200 && status < 300;
}

}  // namespace erp::sim::douyin
