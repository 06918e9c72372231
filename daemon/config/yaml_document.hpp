#pragma once
// Turns config text into the one YAML document to walk, or reports why there is none: not UTF-8,
// a syntax error, empty, more than one document, a top level that is not a map.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string_view>

#include "config/issues.hpp"

namespace erp::daemon::config::detail {

/// The root map, or nothing after reporting the reason to `sink`. yaml-cpp exceptions are
/// turned into issues here.
std::optional<YAML::Node> parse_document(std::string_view text, IssueSink& sink);

}  // namespace erp::daemon::config::detail
