#pragma once
// The simple host services a plugin test needs (HostContext parts): a settable clock, map-backed
// secrets and config, and a logger that keeps every line for the test to read.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "erp/host.hpp"

namespace erp::testing {

namespace sdk = erp::sdk;

class FakeClock final : public sdk::Clock {
 public:
  sdk::Instant now() const noexcept override { return at; }
  sdk::Instant at{};
};

class FakeSecrets final : public sdk::Secrets {
 public:
  sdk::Result<std::string> get(std::string_view name) const noexcept override {
    const auto it = values.find(std::string(name));
    if (it == values.end()) return sdk::fail(sdk::ErrorCode::not_found, "no secret");
    return it->second;
  }
  std::map<std::string, std::string> values;
};

class FakeConfig final : public sdk::ConfigView {
 public:
  std::optional<std::string> get(std::string_view key) const noexcept override {
    const auto it = values.find(std::string(key));
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, std::string> values;
};

class FakeLogger final : public sdk::Logger {
 public:
  void log(sdk::LogLevel, std::string_view message) noexcept override { lines.emplace_back(message); }
  std::vector<std::string> lines;
};

}  // namespace erp::testing
