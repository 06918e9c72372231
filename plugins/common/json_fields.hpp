#pragma once
// Reading platform JSON whose ids and numbers come as JSON numbers or as strings, depending on
// the platform, the API version and the SDK that produced them.

#include <nlohmann/json.hpp>
#include <string>

namespace erp::plugins {

/// An id as text: a string as it is, an integer in decimal; anything else is "".
std::string id_text(const nlohmann::json& value);

/// `object[key]` as text: a string as it is, a number as JSON writes it; absent or other is "".
std::string text_field(const nlohmann::json& object, const char* key);

}  // namespace erp::plugins
