#pragma once
// A fake push-capable platform adapter (parse_push, get_order, decrypt_receivers) and a log
// capture, for the push intake tests (rule D11) and the receiver decryption routes (rule D10).

#include <doctest/doctest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "erp/adapter.hpp"

namespace erp::test::push {

/// The plaintext the fake "decrypts" to; tests grep the log for these and must never find them.
inline constexpr const char* kPlainName = "王小明";
inline constexpr const char* kPlainPhone = "13800138000";
inline constexpr const char* kPlainAddress = "文三路 99 号 3 单元 501";
/// The fake platform's acknowledgement and refusal.
inline constexpr const char* kAck = R"({"code":0,"msg":"success"})";
inline constexpr const char* kFail = R"({"code":1,"msg":"fail"})";

/// Every spdlog line (all levels, "level message") in a string for the life of the object.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()), sink_(std::make_shared<Sink>()) {
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_level(spdlog::level::trace);
    sink_->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::string text() const { return sink_->text(); }
  bool has(const std::string& needle) const { return text().find(needle) != std::string::npos; }

 private:
  class Sink final : public spdlog::sinks::base_sink<std::mutex> {
   public:
    std::string text() {
      std::lock_guard lock(mutex_);
      return out_;
    }

   protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
      spdlog::memory_buf_t formatted;
      formatter_->format(msg, formatted);
      out_.append(formatted.data(), formatted.size());
    }
    void flush_() override {}

   private:
    std::string out_;
  };
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<Sink> sink_;
};

/// A gate get_order passes through: closed, it holds every fetch until opened.
class Gate {
 public:
  void close() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void pass() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    --waiting_;
  }
  /// Waits until `n` callers are held at the gate.
  bool held(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, std::chrono::seconds{10}, [&] { return waiting_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = true;
  int waiting_ = 0;
};

/// A push body in the fake platform's shape: [{"msg_id", "tag", "order_id"}, ...].
inline std::string push_body(const std::vector<std::pair<std::string, std::string>>& msg_and_order) {
  nlohmann::json body = nlohmann::json::array();
  for (const auto& [msg, order] : msg_and_order) body.push_back({{"msg_id", msg}, {"tag", "101"}, {"order_id", order}});
  return body.dump();
}

/// A Douyin-like adapter: pushes are signed with header `event-sign` = `secret`; get_order
/// answers any order id (ids starting with "gone" are not_found); decrypt_receivers answers
/// the known plaintext (ciphertext "REFUSE" is refused by the platform).
class FakePushAdapter final : public sdk::PlatformAdapter {
 public:
  explicit FakePushAdapter(std::string secret_value = "app-secret-1") : secret(std::move(secret_value)) {}

  std::string secret;
  bool pushes = true;
  bool decrypts = true;
  Gate gate;

  sdk::Capabilities capabilities() const override {
    sdk::Capabilities c;
    c.push_events = pushes;
    c.receiver_decrypt = decrypts;
    return c;
  }

  sdk::Result<sdk::OrderPage> list_modified(const sdk::ModifiedWindow&, const std::string&) override {
    return sdk::OrderPage{};
  }

  sdk::Result<sdk::Order> get_order(const std::string& order_id) override {
    gate.pass();
    {
      std::lock_guard lock(mutex_);
      ++fetches_[order_id];
      auto& failures = get_failures_[order_id];
      if (!failures.empty()) {
        sdk::Error error = failures.front();
        failures.pop_front();
        return error;
      }
    }
    if (order_id.starts_with("gone")) return sdk::fail(sdk::ErrorCode::not_found, "no such order");
    if (order_id.starts_with("bad")) return sdk::fail(sdk::ErrorCode::invalid_input, "pay_time is not a time");
    return order(order_id);
  }

  sdk::Result<sdk::PushBatch> parse_push(const sdk::PushRequest& request) override {
    ++parses;
    const auto sign = request.header("event-sign");
    if (!sign || *sign != secret) return sdk::fail(sdk::ErrorCode::invalid_input, "event-sign does not match");
    sdk::PushBatch batch;
    try {
      for (const auto& m : nlohmann::json::parse(request.body)) {
        batch.messages.push_back(
            sdk::PushMessage{m.value("msg_id", ""), m.value("tag", ""), m.value("order_id", ""), "order"});
      }
    } catch (const std::exception&) {
      return sdk::fail(sdk::ErrorCode::invalid_input, "the body is not a JSON array of messages");
    }
    batch.reply = sdk::PushReply{200, "application/json", kAck};
    return batch;
  }

  sdk::PushReply push_refusal(const sdk::Error&) override { return sdk::PushReply{403, "application/json", kFail}; }

  sdk::Result<std::vector<sdk::PlainReceiver>> decrypt_receivers(
      const std::vector<sdk::ReceiverCipher>& ciphers) override {
    std::lock_guard lock(mutex_);
    ++decrypt_calls;
    decrypt_seen.push_back(ciphers);
    if (!decrypt_failures.empty()) {
      sdk::Error error = decrypt_failures.front();
      decrypt_failures.pop_front();
      return error;
    }
    std::vector<sdk::PlainReceiver> out;
    for (const auto& c : ciphers) {
      sdk::PlainReceiver p;
      p.order_id = c.order_id;
      if (c.ciphertext == "REFUSE") {
        p.error = "decryption quota used up";
      } else {
        p.name = kPlainName;
        p.phone = kPlainPhone;
        p.address = kPlainAddress;
      }
      out.push_back(p);
    }
    return out;
  }

  /// The next fetches of `order_id` fail with these errors, in turn.
  void fail_fetch(const std::string& order_id, std::vector<sdk::Error> errors) {
    std::lock_guard lock(mutex_);
    for (auto& e : errors) get_failures_[order_id].push_back(std::move(e));
  }
  int fetches(const std::string& order_id) {
    std::lock_guard lock(mutex_);
    return fetches_[order_id];
  }
  int all_fetches() {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [id, count] : fetches_) n += count;
    return n;
  }

  /// The order the fake platform holds.
  static sdk::Order order(const std::string& order_id) {
    sdk::Order o;
    o.platform = "whatever-the-adapter-says";
    o.shop = "not-the-shop";
    o.order_id = order_id;
    o.status = sdk::OrderStatus::paid;
    o.platform_status = "105";
    o.created_at = sdk::Instant{std::chrono::milliseconds{1'794'362'400'000}};
    o.paid_at = o.created_at;
    o.modified_at = o.created_at;
    o.total = sdk::Money{9900};
    sdk::OrderLine line;
    line.line_id = order_id + "-1";
    line.sku = "sku-1";
    line.outer_sku = "OUT-1";
    line.title = "保温杯";
    line.quantity = 1;
    line.price = sdk::Money{9900};
    line.paid = sdk::Money{9900};
    o.lines.push_back(line);
    o.receiver.ciphertext = "#CIPHER#" + order_id;
    o.receiver.masked_name = "王*";
    o.receiver.masked_phone = "138****8000";
    o.receiver.masked_address = "浙江省杭州市西湖区****";
    o.receiver.province = "浙江省";
    o.receiver.city = "杭州市";
    o.receiver.district = "西湖区";
    return o;
  }

  std::atomic<int> parses{0};
  int decrypt_calls = 0;                                       ///< Under mutex_ (read when quiet).
  std::vector<std::vector<sdk::ReceiverCipher>> decrypt_seen;  ///< Under mutex_ (read when quiet).
  std::deque<sdk::Error> decrypt_failures;                     ///< Set before the call.

 private:
  std::mutex mutex_;
  std::map<std::string, int> fetches_;
  std::map<std::string, std::deque<sdk::Error>> get_failures_;
};

}  // namespace erp::test::push
