#pragma once
// Qimen request signing (WAREHOUSE-QIMEN.md §2): every query parameter except `sign` whose name
// and value are both non-empty, sorted by name in byte order, written name1value1name2value2...,
// followed by the raw body. md5 wraps that in the secret on both ends; hmac (HmacMD5) keys it with
// the secret instead. Upper-case hex. The WMS verifies erpd's calls and signs its own with this.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace erp::sim::qimen {

using Params = std::vector<std::pair<std::string, std::string>>;

enum class SignMethod { md5, hmac_md5 };

/// "md5" or "hmac"; an absent sign_method means md5 (the SDK's default). Anything else: nullopt.
std::optional<SignMethod> sign_method_from_string(std::string_view text);
std::string sign_method_name(SignMethod method);

/// name1value1name2value2... of `params` sorted by name, leaving out `sign` and pairs with an
/// empty name or value. A name given twice keeps its first non-empty value, as the query is read.
std::string sorted_pairs(const Params& params);

/// The upper-case hex signature of a call: its query parameters and its raw body.
std::string sign(const Params& params, std::string_view body, std::string_view secret, SignMethod method);

/// Signatures are hex; senders differ in letter case, so they are compared without it.
bool same_signature(std::string_view a, std::string_view b);

}  // namespace erp::sim::qimen
