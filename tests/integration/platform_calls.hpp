#pragma once
// Calling platform-sim the way a real client does, for tests that read the platform's side
// directly (a trade as Tmall shows it) or check a signature: the digests and the signed TOP POST.

#include <map>
#include <string>

#include "integration/harness.hpp"

namespace erp::test {

/// Hex MD5 of `text`, lower case unless `upper`.
std::string md5_hex(const std::string& text, bool upper = false);
/// Lower-case hex HMAC-SHA256 of `text` under `key`.
std::string hmac_sha256_hex(const std::string& key, const std::string& text);
/// Percent-encodes everything but RFC 3986's unreserved characters (a form value).
std::string form_encode(const std::string& text);
/// POSTs a TOP call to the simulator at `sim_url`, signed as TOP's md5 method signs it:
/// md5(secret + k1v1k2v2... + secret) over the sorted parameters, upper-case hex.
HttpReply top_post(const std::string& sim_url, const std::string& secret, std::map<std::string, std::string> params);

}  // namespace erp::test
