#pragma once
// A StateStore that keeps values in memory: for plugin tests, and for hosts that give a plugin no
// durable storage. Values are lost when the object goes away.

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "erp/host.hpp"

namespace erp::sdk {

class MemoryStateStore final : public StateStore {
 public:
  Result<std::optional<std::string>> get(std::string_view key) const noexcept override {
    try {
      std::lock_guard lock(mutex_);
      const auto it = values_.find(key);
      if (it == values_.end()) return std::optional<std::string>{};
      return std::optional<std::string>{it->second};
    } catch (...) {
      return fail(ErrorCode::internal, "out of memory reading state");
    }
  }

  Result<void> put(std::string_view key, std::string_view value, bool secret) noexcept override {
    (void)secret;
    try {
      std::lock_guard lock(mutex_);
      values_.insert_or_assign(std::string(key), std::string(value));
      return {};
    } catch (...) {
      return fail(ErrorCode::internal, "out of memory storing state");
    }
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace erp::sdk
