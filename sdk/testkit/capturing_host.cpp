#include "testkit/capturing_host.hpp"

#include <utility>

namespace erp::testkit {

void CapturingHostContext::RecordingLogger::log(sdk::LogLevel level, std::string_view message) noexcept {
  try {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(message);
  } catch (...) {
    // Out of memory while recording: the line still goes to the host's log below.
  }
  forward_to_.log(level, message);
}

std::vector<std::string> CapturingHostContext::RecordingLogger::lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

CapturingHostContext::CapturingHostContext(std::shared_ptr<sdk::HostContext> inner)
    : inner_(std::move(inner)), logger_(inner_->logger()) {}

sdk::Logger& CapturingHostContext::logger() noexcept { return logger_; }
sdk::HttpClient& CapturingHostContext::http() noexcept { return inner_->http(); }
const sdk::Clock& CapturingHostContext::clock() const noexcept { return inner_->clock(); }
const sdk::Secrets& CapturingHostContext::secrets() const noexcept { return inner_->secrets(); }
const sdk::ConfigView& CapturingHostContext::config() const noexcept { return inner_->config(); }
sdk::StateStore& CapturingHostContext::state() noexcept { return inner_->state(); }

std::vector<std::string> CapturingHostContext::logged() const { return logger_.lines(); }

}  // namespace erp::testkit
