#pragma once
// Helpers for plugin host tests: a private temp folder per test, and copies of the test modules
// with exactly the permissions a case needs (the build tree's own modes depend on the umask).

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "erp/host.hpp"
#include "erp/memory_state.hpp"
#include "test_support/temp_dir.hpp"

namespace erp::test {

/// The built test module erp-test_MODULE.so.
inline std::filesystem::path module_file(const std::string& module) {
  return std::filesystem::path(ERP_TEST_MODULE_DIR) / ("erp-test_" + module + ".so");
}

/// Copies a built module into `dir` as `file_name` with `mode`.
inline std::filesystem::path install_module(const std::string& module, const std::filesystem::path& dir,
                                            const std::string& file_name, unsigned mode = 0644) {
  const auto target = dir / file_name;
  std::filesystem::copy_file(module_file(module), target, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::permissions(target, std::filesystem::perms(mode));
  return target;
}

inline std::filesystem::path write_file(const std::filesystem::path& file, const std::string& bytes,
                                        unsigned mode = 0644) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  std::filesystem::permissions(file, std::filesystem::perms(mode));
  return file;
}

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// A host context that records what the plugin logs and when it is itself destroyed.
class RecordingContext final : public sdk::HostContext {
 public:
  explicit RecordingContext(std::shared_ptr<std::vector<std::string>> events,
                            std::map<std::string, std::string> config = {})
      : logger_(events), config_(std::move(config)), events_(std::move(events)) {}
  ~RecordingContext() override { events_->push_back("context destroyed"); }

  sdk::Logger& logger() noexcept override { return logger_; }
  sdk::HttpClient& http() noexcept override { return http_; }
  const sdk::Clock& clock() const noexcept override { return clock_; }
  const sdk::Secrets& secrets() const noexcept override { return secrets_; }
  const sdk::ConfigView& config() const noexcept override { return config_; }
  sdk::StateStore& state() noexcept override { return state_; }

 private:
  struct Log final : sdk::Logger {
    explicit Log(std::shared_ptr<std::vector<std::string>> out) : events(std::move(out)) {}
    void log(sdk::LogLevel, std::string_view message) noexcept override { events->emplace_back(message); }
    std::shared_ptr<std::vector<std::string>> events;
  };
  struct NoHttp final : sdk::HttpClient {
    sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest&) noexcept override {
      return sdk::fail(sdk::ErrorCode::transient, "no network in tests");
    }
  };
  struct FixedClock final : sdk::Clock {
    sdk::Instant now() const noexcept override { return sdk::Instant{std::chrono::milliseconds{1700000000000}}; }
  };
  struct NoSecrets final : sdk::Secrets {
    sdk::Result<std::string> get(std::string_view) const noexcept override {
      return sdk::fail(sdk::ErrorCode::not_found, "none");
    }
  };
  struct MapView final : sdk::ConfigView {
    explicit MapView(std::map<std::string, std::string> v) : values(std::move(v)) {}
    std::optional<std::string> get(std::string_view key) const noexcept override {
      auto it = values.find(std::string(key));
      if (it == values.end()) return std::nullopt;
      return it->second;
    }
    std::map<std::string, std::string> values;
  };

  Log logger_;
  NoHttp http_;
  FixedClock clock_;
  NoSecrets secrets_;
  MapView config_;
  sdk::MemoryStateStore state_;
  std::shared_ptr<std::vector<std::string>> events_;
};

}  // namespace erp::test
