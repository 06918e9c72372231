#pragma once
// A host context that hands the plugin erpd's own context (DaemonHostContext) but records every
// line the plugin logs, at every level and before the host's redaction, so the privacy check (PC9)
// sees what the plugin itself wrote. erpd's redaction of known secrets is a second line of defence;
// a plugin that relies on it still leaks what the host cannot know (receiver data, derived tokens).

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "erp/host.hpp"

namespace erp::testkit {

class CapturingHostContext final : public sdk::HostContext {
 public:
  explicit CapturingHostContext(std::shared_ptr<sdk::HostContext> inner);

  sdk::Logger& logger() noexcept override;
  sdk::HttpClient& http() noexcept override;
  const sdk::Clock& clock() const noexcept override;
  const sdk::Secrets& secrets() const noexcept override;
  const sdk::ConfigView& config() const noexcept override;
  sdk::StateStore& state() noexcept override;

  /// Every message logged so far, as the plugin passed it.
  std::vector<std::string> logged() const;

 private:
  class RecordingLogger final : public sdk::Logger {
   public:
    explicit RecordingLogger(sdk::Logger& forward_to) : forward_to_(forward_to) {}
    void log(sdk::LogLevel level, std::string_view message) noexcept override;
    std::vector<std::string> lines() const;

   private:
    sdk::Logger& forward_to_;
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
  };

  std::shared_ptr<sdk::HostContext> inner_;
  RecordingLogger logger_;
};

}  // namespace erp::testkit
