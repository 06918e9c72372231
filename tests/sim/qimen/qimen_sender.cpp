#include "qimen/qimen_sender.hpp"

#include <curl/curl.h>

#include <algorithm>

namespace erp::sim::qimen {
namespace {

// An ERP answer is a few hundred bytes; anything past this is not worth keeping.
constexpr std::size_t kMaxAnswer = 1024 * 1024;

struct Transfer {
  std::string body;
  const bool* stop = nullptr;
  std::mutex* mutex = nullptr;
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto* transfer = static_cast<Transfer*>(out);
  const std::size_t bytes = size * n;
  if (transfer->body.size() < kMaxAnswer)
    transfer->body.append(data, std::min(bytes, kMaxAnswer - transfer->body.size()));
  return bytes;
}

// Lets a stopping simulator abort a call that hangs instead of waiting out its timeout.
int progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  std::lock_guard lock(*transfer->mutex);
  return *transfer->stop ? 1 : 0;
}

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

Sender::Sender(Report report) : report_(std::move(report)) {
  init_curl_once();
  worker_ = std::thread([this] { run(); });
}

Sender::~Sender() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Sender::enqueue(OutboundCall call) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(call));
  }
  wake_.notify_all();
}

bool Sender::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !busy_; });
}

void Sender::clear() {
  {
    std::lock_guard lock(mutex_);
    queue_.clear();
    ++generation_;
  }
  wake_.notify_all();
}

std::size_t Sender::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + (busy_ ? 1 : 0);
}

bool Sender::pause_before_retry(std::chrono::milliseconds delay, std::uint64_t generation) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, delay, [&] { return stop_ || generation_ != generation; });
  return !stop_ && generation_ == generation;
}

void Sender::run() {
  for (;;) {
    OutboundCall call;
    std::uint64_t generation = 0;
    {
      std::unique_lock lock(mutex_);
      busy_ = false;
      if (queue_.empty()) idle_.notify_all();
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      call = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      generation = generation_;
    }
    const int attempts = std::max(1, call.max_attempts);
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      AttemptResult result = post(call);
      result.attempt = attempt;
      const bool again = !result.answer && attempt < attempts;
      result.last = !again;
      report_(call, result);
      if (!again || !pause_before_retry(call.retry_after, generation)) break;
    }
  }
}

AttemptResult Sender::post(const OutboundCall& call) {
  AttemptResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.error = "curl_easy_init failed";
    return result;
  }
  Transfer transfer;
  transfer.stop = &stop_;
  transfer.mutex = &mutex_;
  const std::string type_header = "Content-Type: " + call.content_type;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, type_header.c_str());
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(call.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(call.timeout.count(), 2000)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.http_status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    result.http_status = 0;
    result.error = curl_easy_strerror(rc);
    return result;
  }
  result.answer = parse_answer(transfer.body);
  if (!result.answer) {
    result.error = "HTTP " + std::to_string(result.http_status) + " without a Qimen answer";
  }
  return result;
}

}  // namespace erp::sim::qimen
