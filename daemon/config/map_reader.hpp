#pragma once
// Reads one YAML map of the config against the keys it may hold. Unknown, duplicate and
// non-text keys are reported when the reader is made; the typed getters report a value's
// problems at its key's line and return nothing, so a section reader can carry on and find the
// next mistake instead of stopping at the first.

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/issues.hpp"

namespace erp::daemon::config::detail {

/// 1-based line of a node, 0 when yaml-cpp has none (an empty document).
int line_of(const YAML::Node& node);

/// "a map", "a list", "a single value", "no value": for "must be X, got Y" messages.
std::string_view kind_of(const YAML::Node& node);

enum class Need { optional, required };

/// What the section readers share besides the map they read.
struct ReadContext {
  std::filesystem::path base;   ///< The config file's directory: relative paths start here.
  bool resolve_secrets = true;  ///< See LoadOptions::resolve_secrets.
};

class MapReader {
 public:
  struct Entry {
    std::string key;
    YAML::Node value;
    int line = 0;  ///< The key's line: yaml-cpp places an empty value on the following line.
  };

  /// `node` is the map (null reads as an empty map); `key_path` its path ("" at the top,
  /// "shops[0]"); `line` where keys it lacks are reported.
  MapReader(const YAML::Node& node, std::string key_path, int line, std::span<const std::string_view> known,
            IssueSink& sink);

  /// False when the node was not a map; that was reported, and missing keys are then not.
  bool usable() const noexcept { return usable_; }
  int line() const noexcept { return line_; }
  const std::string& key_path() const noexcept { return key_path_; }
  std::string path_of(std::string_view key) const;
  const Entry* find(std::string_view key) const;
  IssueSink& sink() const noexcept { return *sink_; }

  /// A problem with `key`, at its line (or the map's line when the key is absent).
  void report(std::string_view key, std::string message) const;
  void report_missing(std::string_view key, std::string_view hint = {}) const;

  /// A scalar as text. Numbers and booleans are text too: `app_key: 12345` is fine.
  std::optional<std::string> text(std::string_view key, Need need) const;
  std::optional<std::chrono::milliseconds> duration(std::string_view key, std::chrono::milliseconds minimum) const;
  std::optional<int> whole_number(std::string_view key, int minimum) const;
  std::optional<bool> boolean(std::string_view key) const;
  /// A path, made absolute against `base` when relative.
  std::optional<std::filesystem::path> file_path(std::string_view key, Need need,
                                                 const std::filesystem::path& base) const;
  /// A text that must be one of `allowed`; `what` names the kind in the message ("log level").
  std::optional<std::string> one_of(std::string_view key, std::span<const std::string_view> allowed,
                                    std::string_view what) const;
  /// `key` (literal or ${env:NAME}) or `key_file`: at most one, exactly one when required.
  std::optional<Secret> secret(std::string_view key, Need need, const ReadContext& context) const;
  /// A map of plugin-specific scalars, kept with their lines for the plugin host to check.
  std::vector<PluginOption> options(std::string_view key) const;
  /// The reader for the map under `key`; absent or empty reads as an empty map.
  MapReader child(std::string_view key, std::span<const std::string_view> known) const;

 private:
  std::vector<Entry> entries_;
  std::string key_path_;
  int line_ = 0;
  bool usable_ = true;
  IssueSink* sink_;
};

}  // namespace erp::daemon::config::detail
