#pragma once
// The API's bearer token lives in a file only its owner can read (0600). On first start the
// daemon generates it, so a fresh install is never open to other local users.

#include <filesystem>
#include <string>

#include "erp/result.hpp"

namespace erp::daemon::api {

/// Reads the token from `path`, or creates the file (and its parent directory) with 32 random
/// bytes in hex and mode 0600 when it does not exist. Refuses, with a message naming the file
/// and the fix, a file that group or others can access, an empty file, or one holding control
/// characters. Errors are config_error.
sdk::Result<std::string> load_or_create_token(const std::filesystem::path& path);

/// 32 random bytes from the kernel (getrandom), hex-encoded: 64 characters.
sdk::Result<std::string> generate_token();

}  // namespace erp::daemon::api
