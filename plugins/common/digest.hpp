#pragma once
// The digests platform request signatures are made of (TOP: upper-case hex; Douyin: lower-case).

#include <string>
#include <string_view>

namespace erp::plugins {

enum class HexCase { lower, upper };
enum class Digest { md5, sha256 };

/// Hex of the digest of `data`; empty only if OpenSSL itself failed.
std::string digest_hex(Digest digest, std::string_view data, HexCase hex_case);

/// Hex of HMAC(`key`, `data`) over the digest; empty only if OpenSSL itself failed.
std::string hmac_hex(Digest digest, std::string_view key, std::string_view data, HexCase hex_case);

}  // namespace erp::plugins
