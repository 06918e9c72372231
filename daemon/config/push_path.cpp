#include "config/push_path.hpp"

#include <array>

namespace erp::daemon::config::detail {
namespace {

// RFC 3986 pchar without percent escapes: the router compares the raw request path, and an
// escape may reach it spelled differently (%2f, %2F) than it was configured.
bool is_path_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  constexpr std::string_view kOthers = "-._~!$&'()*+,;=:@/";
  return kOthers.find(c) != std::string_view::npos;
}

// The daemon's own routes; a push path needs no token, so it must never be one of them.
constexpr std::array<std::string_view, 2> kReservedPrefixes{"/healthz", "/metrics"};

}  // namespace

std::string check_push_path(std::string_view text) {
  if (text.empty() || text.front() != '/') return "must start with '/' (a path on the API, like /push/dy-main)";
  if (text.size() > kMaxPushPathLength) {
    return "must be at most " + std::to_string(kMaxPushPathLength) + " characters, got " + std::to_string(text.size());
  }
  for (const char c : text) {
    if (!is_path_char(c)) {
      return "may hold only letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : @ / (no spaces, '%', '?' or '#')";
    }
  }
  if (text == "/v1" || text.starts_with("/v1/")) return "must not be under /v1/, where the daemon's own API lives";
  for (const auto prefix : kReservedPrefixes) {
    if (text.starts_with(prefix)) return "must not start with " + std::string(prefix) + ", a route of the daemon";
  }
  // Segments between slashes; a trailing slash is allowed, an empty or dot segment is not
  // (proxies rewrite them, so such a path would never arrive as configured).
  std::size_t start = 1;
  while (start < text.size()) {
    const auto slash = text.find('/', start);
    const auto segment = text.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (segment.empty()) return "must not hold '//'";
    if (segment == "." || segment == "..") return "must not hold a '.' or '..' segment";
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return {};
}

std::string default_push_path(std::string_view shop_id) { return "/push/" + std::string(shop_id); }

std::string default_inbound_path(std::string_view connector) { return "/warehouse/" + std::string(connector); }

}  // namespace erp::daemon::config::detail
