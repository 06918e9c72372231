#pragma once
// Maps TOP's error_response (PLATFORMS.md §1.4) onto the host's retry vocabulary (sdk::ErrorCode).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "erp/result.hpp"

namespace erp::plugins::top {

/// The fields of an `error_response`.
struct TopError {
  long code = 0;
  std::string msg;
  std::string sub_code;
  std::string sub_msg;
};

/// N from "This ban will last for N more seconds"; nullopt when the text says nothing usable.
std::optional<std::chrono::seconds> parse_ban_seconds(std::string_view sub_msg) noexcept;

/// The classified error. Messages name what the operator should check and never carry secrets,
/// receiver data or sub_msg text (which may echo request values).
sdk::Error classify_top_error(const TopError& error);

/// An HTTP status with no TOP error body in it.
sdk::Error classify_http_status(int status);

}  // namespace erp::plugins::top
