#pragma once
// The host's HTTP client on libcurl (DESIGN "The plugin boundary": the host owns transport).
// Thread-safe: each thread that sends gets its own easy handle, reused across calls so that
// connections to a gateway are kept alive. libcurl's global init happens once, here, in the host;
// plugins never call it.

#include <chrono>
#include <cstddef>
#include <string>

#include "erp/host.hpp"

namespace erp::daemon::net {

/// curl_global_init, once per process (safe to call from any thread, any number of times).
void ensure_curl_initialized();

class CurlHttpClient final : public sdk::HttpClient {
 public:
  struct Options {
    /// Proxy URL, e.g. "http://proxy.example:3128"; empty means none. The http_proxy/https_proxy/
    /// all_proxy environment variables are never consulted: a daemon's traffic must not depend on
    /// what happened to be exported in the shell (or unit) that started it, and a stray proxy
    /// variable would otherwise send loopback test traffic (platform-sim) to a proxy.
    std::string proxy;
    /// Hosts that bypass `proxy` (curl's NOPROXY syntax); loopback always bypasses it.
    std::string no_proxy;
    /// Bound on connection set-up; the request's own timeout bounds the whole exchange.
    std::chrono::milliseconds connect_timeout{std::chrono::seconds{10}};
    /// A response body larger than this is an error rather than a memory spike.
    std::size_t max_body_bytes = 64u * 1024u * 1024u;
    std::string user_agent = "erpd";
  };

  CurlHttpClient();
  explicit CurlHttpClient(Options options);

  /// Network failures and timeouts: ErrorCode::transient. A malformed request (bad URL, scheme
  /// other than http/https, CR/LF in a header): invalid_input. TLS verification failure:
  /// config_error. Any HTTP status: a response. Messages name the URL without its query string,
  /// which for TOP carries the session.
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) noexcept override;

 private:
  Options options_;
};

}  // namespace erp::daemon::net
