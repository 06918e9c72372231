#include "config/map_reader.hpp"

#include <algorithm>

#include "config/secret_source.hpp"
#include "config/suggest.hpp"
#include "config/value_rules.hpp"
#include "core/time_format.hpp"

namespace erp::daemon::config::detail {

namespace {

constexpr std::string_view kMergeKey = "<<";

// Keys come from the user's file, so they are made printable like any echoed text.
std::string join(std::string_view base, std::string_view key) {
  if (base.empty()) return printable(key);
  return std::string(base) + "." + printable(key);
}

std::string list_words(std::span<const std::string_view> words) {
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += (i + 1 == words.size()) ? " or " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

int line_of(const YAML::Node& node) {
  const int line = node.Mark().line;
  return line >= 0 ? line + 1 : 0;
}

std::string_view kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "no value";
  }
}

MapReader::MapReader(const YAML::Node& node, std::string key_path, int line, std::span<const std::string_view> known,
                     IssueSink& sink)
    : key_path_(std::move(key_path)), line_(line), sink_(&sink) {
  if (node.IsNull()) return;
  if (!node.IsMap()) {
    usable_ = false;
    sink.add(line_, key_path_, "must be a map of keys, got " + std::string(kind_of(node)));
    return;
  }
  // Range-for keeps each dereferenced pair alive for the body; yaml-cpp's `it->first` refers into
  // a temporary proxy that is gone by the next statement.
  for (const auto& pair : node) {
    const YAML::Node& key_node = pair.first;
    const int key_line = line_of(key_node);
    if (!key_node.IsScalar()) {
      sink.add(key_line, key_path_, "keys must be plain names, got " + std::string(kind_of(key_node)) + " as a key");
      continue;
    }
    const std::string& key = key_node.Scalar();
    if (key == kMergeKey) {
      sink.add(key_line, join(key_path_, key), "YAML merge keys (<<) are not supported; write the keys out");
      continue;
    }
    if (const Entry* first = find(key)) {
      sink.add(key_line, join(key_path_, key),
               "duplicate key " + in_quotes(key) + " (first at line " + std::to_string(first->line) + ")");
      continue;
    }
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      sink.add(key_line, join(key_path_, key), "unknown key " + in_quotes(key) + did_you_mean(key, known));
      continue;
    }
    entries_.push_back(Entry{key, pair.second, key_line});
  }
}

std::string MapReader::path_of(std::string_view key) const { return join(key_path_, key); }

const MapReader::Entry* MapReader::find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

void MapReader::report(std::string_view key, std::string message) const {
  const Entry* entry = find(key);
  sink_->add(entry != nullptr ? entry->line : line_, path_of(key), std::move(message));
}

void MapReader::report_missing(std::string_view key, std::string_view hint) const {
  if (!usable_) return;
  std::string message = "required key is missing";
  if (!hint.empty()) message += " (" + std::string(hint) + ")";
  sink_->add(line_, path_of(key), std::move(message));
}

std::optional<std::string> MapReader::text(std::string_view key, Need need) const {
  const Entry* entry = find(key);
  if (entry == nullptr) {
    if (need == Need::required) report_missing(key);
    return std::nullopt;
  }
  const YAML::Node& value = entry->value;
  if (value.IsNull()) {
    report(key, "has no value");
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    report(key, "must be a single value, got " + std::string(kind_of(value)));
    return std::nullopt;
  }
  if (need == Need::required && value.Scalar().empty()) {
    report(key, "must not be empty");
    return std::nullopt;
  }
  return value.Scalar();
}

std::optional<std::chrono::milliseconds> MapReader::duration(std::string_view key,
                                                             std::chrono::milliseconds minimum) const {
  const auto raw = text(key, Need::optional);
  if (!raw) return std::nullopt;
  const auto parsed = parse_config_duration(*raw);
  if (!parsed.value) {
    report(key, in_quotes(*raw) + " " + parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < minimum) {
    report(key, "must be at least " + format_duration(minimum) + ", got " + in_quotes(*raw));
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<int> MapReader::whole_number(std::string_view key, int minimum) const {
  const auto raw = text(key, Need::optional);
  if (!raw) return std::nullopt;
  const auto parsed = parse_whole_number(*raw);
  if (!parsed.value) {
    report(key, in_quotes(*raw) + " " + parsed.error);
    return std::nullopt;
  }
  if (*parsed.value < minimum) {
    report(key, "must be at least " + std::to_string(minimum) + ", got " + in_quotes(*raw));
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<bool> MapReader::boolean(std::string_view key) const {
  const auto raw = text(key, Need::optional);
  if (!raw) return std::nullopt;
  bool value = false;
  if (!YAML::convert<bool>::decode(find(key)->value, value)) {
    report(key, "must be true or false, got " + in_quotes(*raw));
    return std::nullopt;
  }
  return value;
}

std::optional<std::filesystem::path> MapReader::file_path(std::string_view key, Need need,
                                                          const std::filesystem::path& base) const {
  const auto raw = text(key, need);
  if (!raw) return std::nullopt;
  if (raw->empty()) {
    report(key, "must not be empty");
    return std::nullopt;
  }
  if (raw->find('\0') != std::string::npos) {
    report(key, "must not contain NUL characters");
    return std::nullopt;
  }
  std::filesystem::path p(*raw);
  if (p.is_relative()) p = base / p;
  return p.lexically_normal();
}

std::optional<std::string> MapReader::one_of(std::string_view key, std::span<const std::string_view> allowed,
                                             std::string_view what) const {
  auto raw = text(key, Need::optional);
  if (!raw) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *raw) != allowed.end()) return raw;
  report(key, in_quotes(*raw) + " is not a " + std::string(what) + "; use " + list_words(allowed) +
                  did_you_mean(*raw, allowed));
  return std::nullopt;
}

std::optional<Secret> MapReader::secret(std::string_view key, Need need, const ReadContext& context) const {
  const std::string file_key = std::string(key) + "_file";
  const bool has_literal = find(key) != nullptr;
  const bool has_file = find(file_key) != nullptr;
  if (has_literal && has_file) {
    report(file_key, "give either " + std::string(key) + " or " + file_key + ", not both");
    return std::nullopt;
  }
  if (!has_literal && !has_file) {
    if (need == Need::required) report_missing(key, "give " + std::string(key) + " or " + file_key);
    return std::nullopt;
  }
  if (has_literal) {
    const auto raw = text(key, Need::optional);
    if (!raw) return std::nullopt;
    auto outcome = secret_from_text(*raw, context.resolve_secrets);
    if (!outcome.secret) report(key, std::move(outcome.error));
    return std::move(outcome.secret);
  }
  const auto file = file_path(file_key, Need::optional, context.base);
  if (!file) return std::nullopt;
  auto outcome = secret_from_file(*file, context.resolve_secrets);
  if (!outcome.secret) report(file_key, std::move(outcome.error));
  return std::move(outcome.secret);
}

std::vector<PluginOption> MapReader::options(std::string_view key) const {
  std::vector<PluginOption> out;
  const Entry* entry = find(key);
  if (entry == nullptr || entry->value.IsNull()) return out;
  if (!entry->value.IsMap()) {
    report(key, "must be a map of plugin settings, got " + std::string(kind_of(entry->value)));
    return out;
  }
  const std::string base = path_of(key);
  for (const auto& pair : entry->value) {
    const int option_line = line_of(pair.first);
    if (!pair.first.IsScalar()) {
      sink_->add(option_line, base, "keys must be plain names, got " + std::string(kind_of(pair.first)) + " as a key");
      continue;
    }
    const std::string& name = pair.first.Scalar();
    const std::string option_path = join(base, name);
    const auto first = std::find_if(out.begin(), out.end(), [&](const PluginOption& o) { return o.key == name; });
    if (first != out.end()) {
      sink_->add(option_line, option_path,
                 "duplicate key " + in_quotes(name) + " (first at line " + std::to_string(first->line) + ")");
      continue;
    }
    const YAML::Node& value = pair.second;
    if (!value.IsNull() && !value.IsScalar()) {
      sink_->add(option_line, option_path, "must be a single value, got " + std::string(kind_of(value)));
      continue;
    }
    out.push_back(PluginOption{name, value.IsScalar() ? value.Scalar() : std::string(), option_line});
  }
  return out;
}

MapReader MapReader::child(std::string_view key, std::span<const std::string_view> known) const {
  const Entry* entry = find(key);
  // A nested section's missing keys are reported at the line naming the section (`database:`),
  // which is where a reader looks for them.
  MapReader reader(entry != nullptr ? entry->value : YAML::Node(), path_of(key), entry != nullptr ? entry->line : line_,
                   known, *sink_);
  // Under a parent that was not a map, every missing key would be noise.
  if (!usable_) reader.usable_ = false;
  return reader;
}

}  // namespace erp::daemon::config::detail
