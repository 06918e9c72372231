#pragma once
// Turns what the config says about a secret (a literal, an `${env:NAME}` reference or a file)
// into a Secret. Errors say where the secret was looked for, never what it is.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace erp::daemon::config::detail {

struct SecretOutcome {
  std::optional<Secret> secret;
  std::string error;  ///< Set when `secret` is not.
};

/// A literal value, or `${env:NAME}` which reads the environment (unset or empty is an error).
/// With `resolve` false a reference is only checked for form and yields an empty Secret that
/// still says where it would come from.
SecretOutcome secret_from_text(std::string_view text, bool resolve = true);

/// The whole file with trailing line breaks removed (editors add one); missing, unreadable or
/// empty is an error. With `resolve` false the file is not touched.
SecretOutcome secret_from_file(const std::filesystem::path& file, bool resolve = true);

}  // namespace erp::daemon::config::detail
