#include "metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace erp::daemon::metrics {
namespace {

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

// The same label set written in another order is the same series.
Labels normalized(const Labels& labels) {
  Labels sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [name, value] : sorted) {
    if (!valid_label_name(name)) throw std::invalid_argument("metrics: invalid label name '" + name + "'");
  }
  return sorted;
}

}  // namespace

std::string Registry::escape_label_value(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Registry::escape_help(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Registry::format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Integral values (every counter and count gauge) print without an exponent or fraction.
  if (std::fabs(value) < 1e15 && value == std::trunc(value)) {
    return std::to_string(static_cast<long long>(value));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

Registry::Family& Registry::family(const std::string& name, const char* default_type) {
  auto it = families_.find(name);
  if (it != families_.end()) return it->second;
  if (!valid_metric_name(name)) throw std::invalid_argument("metrics: invalid metric name '" + name + "'");
  Family& f = families_[name];
  f.type = default_type;
  return f;
}

void Registry::describe(const std::string& name, const std::string& type, const std::string& help) {
  if (type != "counter" && type != "gauge") {
    throw std::invalid_argument("metrics: " + name + ": type must be counter or gauge, not '" + type + "'");
  }
  std::lock_guard lock(mutex_);
  Family& f = family(name, type.c_str());
  if (f.type != type && !f.samples.empty()) {
    throw std::invalid_argument("metrics: " + name + " is already a " + f.type);
  }
  f.type = type;
  f.help = help;
}

void Registry::add(const std::string& name, const Labels& labels, double delta) {
  Labels key = normalized(labels);
  std::lock_guard lock(mutex_);
  Family& f = family(name, "counter");
  if (f.type == "counter" && delta < 0) return;
  f.samples[std::move(key)] += delta;
}

void Registry::set(const std::string& name, const Labels& labels, double value) {
  Labels key = normalized(labels);
  std::lock_guard lock(mutex_);
  family(name, "gauge").samples[std::move(key)] = value;
}

void Registry::clear(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) it->second.samples.clear();
}

double Registry::value(const std::string& name, const Labels& labels) {
  const Labels key = normalized(labels);
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto sample = it->second.samples.find(key);
  return sample == it->second.samples.end() ? 0 : sample->second;
}

void Registry::add_collector(std::function<void(Registry&)> collector) {
  std::lock_guard lock(collectors_mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Registry::render() {
  {
    // Collectors run without mutex_ held: they call set(), which takes it.
    std::lock_guard lock(collectors_mutex_);
    for (auto& collector : collectors_) collector(*this);
  }
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out += "# HELP " + name + " " + escape_help(f.help) + "\n";
    out += "# TYPE " + name + " " + f.type + "\n";
    for (const auto& [labels, value] : f.samples) {
      out += name;
      if (!labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < labels.size(); ++i) {
          if (i > 0) out += ',';
          out += labels[i].first + "=\"" + escape_label_value(labels[i].second) + "\"";
        }
        out += '}';
      }
      out += ' ' + format_value(value) + '\n';
    }
  }
  return out;
}

}  // namespace erp::daemon::metrics
