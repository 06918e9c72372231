#pragma once
// Douyin's two answer envelopes (PLATFORMS.md §3.3) mapped onto the host's retry vocabulary
// (sdk::ErrorCode): the new `code`/`msg`/`sub_code` and the legacy `err_no`/`message`.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "erp/result.hpp"

namespace erp::plugins::douyin {

/// The error fields of an answer, from whichever envelope carried them.
struct DouyinError {
  long code = 0;         ///< `code`, or the legacy `err_no` when there is no `code`.
  std::string sub_code;  ///< e.g. "isv.access-token-expired"; empty in the legacy envelope.
  std::string msg;       ///< `msg` or `message`. Never put in an error message: it may echo request values.
  std::string sub_msg;   ///< `sub_msg`: the platform's words for a business refusal (same caution as msg).
  /// The answer's `data`, when a refusal carries one (per-item results of a partly failed call);
  /// null otherwise.
  nlohmann::json data;
};

/// nullopt when the answer is a success (`code` 10000, or legacy `err_no` 0). An answer with
/// neither field is an error of code -1 (not a Douyin answer at all).
std::optional<DouyinError> read_error(const nlohmann::json& answer);

/// The classified error. Messages say what the operator should do and name the code and
/// sub_code, never msg or sub_msg text, which may echo request values (receiver data included).
/// - 60000 rate limited; 20000 and 90000 transient;
/// - 40003 `isv.access-token-expired`: auth_expired (the adapter refreshes the token);
///   `isv.access-token-no-existed` / `-invalid`, `dop.authorization-no-existed` / `-closed`, and
///   a refresh token that is expired or invalid: needs_reauth;
/// - a bad signature, app key or permission, a timestamp refused or an IP not whitelisted:
///   config_error, said plainly;
/// - 50001/50002 (business rule refused) and 10001 (partly failed): conflict; 70000: unsupported;
///   any other parameter error: invalid_input.
sdk::Error classify_douyin_error(const DouyinError& error);

}  // namespace erp::plugins::douyin
