#pragma once
// A small Prometheus registry: counters and gauges with labels, rendered in text format 0.0.4.
// Thread-safe. Gauges that mirror stored state are set by a collector just before rendering.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace erp::daemon::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

/// The content type of render()'s output, for the HTTP response.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

class Registry {
 public:
  /// Declares a metric family once (type "counter" or "gauge") with its help text. Throws
  /// std::invalid_argument for a name Prometheus would reject or another type: both are bugs.
  void describe(const std::string& name, const std::string& type, const std::string& help);
  /// Adds to a sample. A family used before describe() becomes a counter without help text.
  /// Counters never go down: a negative delta on a counter is ignored.
  void add(const std::string& name, const Labels& labels, double delta = 1.0);
  /// Sets a sample. A family used before describe() becomes a gauge without help text.
  void set(const std::string& name, const Labels& labels, double value);
  /// Drops every sample of a family (a collector rebuilding gauges whose label sets change,
  /// e.g. shops removed by a reload).
  void clear(const std::string& name);
  /// The current value of one sample, or 0 when it does not exist (tests, status pages).
  double value(const std::string& name, const Labels& labels);
  /// Called before each render, to refresh gauges from the store and the daemon.
  void add_collector(std::function<void(Registry&)> collector);
  /// Prometheus text exposition format.
  std::string render();

  /// Text-format escaping, exposed for tests: label values escape \ " and newline; help text
  /// escapes \ and newline.
  static std::string escape_label_value(std::string_view text);
  static std::string escape_help(std::string_view text);
  /// Prometheus number form: integers without a fraction, "NaN", "+Inf", "-Inf".
  static std::string format_value(double value);

 private:
  struct Family {
    std::string type;
    std::string help;
    std::map<Labels, double> samples;
  };
  Family& family(const std::string& name, const char* default_type);
  std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::mutex collectors_mutex_;  ///< Serialises collectors, which call back into the registry.
  std::vector<std::function<void(Registry&)>> collectors_;
};

}  // namespace erp::daemon::metrics
