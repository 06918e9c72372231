#include "net/curl_http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

namespace erp::daemon::net {
namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct ListDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, ListDeleter>;

std::atomic<bool> g_curl_ready{false};

/// This thread's handle: reset before every call, so no option leaks from one request into the
/// next, while its connection and DNS caches survive (keep-alive to the gateways).
CURL* thread_handle() {
  thread_local EasyHandle handle;
  if (!handle) handle.reset(curl_easy_init());
  if (handle) curl_easy_reset(handle.get());
  return handle.get();
}

/// The URL as it may appear in a message: no query or fragment (TOP carries the session and the
/// signature in the query) and no user:password.
std::string safe_url(std::string_view url) {
  url = url.substr(0, url.find_first_of("?#"));
  const auto scheme_end = url.find("://");
  const auto host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto at = url.find('@', host_start);
  const auto path_start = url.find('/', host_start);
  if (at != std::string_view::npos && (path_start == std::string_view::npos || at < path_start)) {
    return std::string(url.substr(0, host_start)) + std::string(url.substr(at + 1));
  }
  return std::string(url);
}

bool valid_method(std::string_view method) {
  if (method.empty() || method.size() > 16) return false;
  for (char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

struct Exchange {
  sdk::HttpResponse response;
  std::size_t max_body = 0;
  bool body_too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  if (exchange->response.body.size() + bytes > exchange->max_body) {
    exchange->body_too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  exchange->response.body.append(data, bytes);
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  // A new status line (after "100 Continue", or a proxy's CONNECT answer) starts a new header set.
  if (line.substr(0, 5) == "HTTP/") {
    exchange->response.headers.clear();
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return bytes;
  auto value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  exchange->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return bytes;
}

sdk::ErrorCode classify(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return sdk::ErrorCode::invalid_input;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return sdk::ErrorCode::config_error;  // the operator must fix certificates or the URL
    case CURLE_OUT_OF_MEMORY:
      return sdk::ErrorCode::internal;
    default:
      return sdk::ErrorCode::transient;  // resolve, connect, send, receive, timeout, TLS handshake
  }
}

bool has_header(const sdk::HttpRequest& request, std::string_view name) {
  sdk::HttpResponse probe;  // reuse the SDK's case-insensitive lookup
  probe.headers = request.headers;
  return probe.header(name).has_value();
}

}  // namespace

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { g_curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
}

CurlHttpClient::CurlHttpClient() : CurlHttpClient(Options{}) {}

CurlHttpClient::CurlHttpClient(Options options) : options_(std::move(options)) { ensure_curl_initialized(); }

sdk::Result<sdk::HttpResponse> CurlHttpClient::send(const sdk::HttpRequest& request) noexcept {
  try {
    const std::string where = request.method + " " + safe_url(request.url);
    if (!g_curl_ready) return sdk::fail(sdk::ErrorCode::internal, where + ": libcurl could not be initialized");
    if (!valid_method(request.method)) return sdk::fail(sdk::ErrorCode::invalid_input, "invalid HTTP method");
    if (request.timeout.count() <= 0) {
      return sdk::fail(sdk::ErrorCode::invalid_input, where + ": the timeout must be positive");
    }

    HeaderList headers;
    for (const auto& [name, value] : request.headers) {
      if (name.empty() || has_line_break(name) || has_line_break(value) || name.find(':') != std::string::npos) {
        return sdk::fail(sdk::ErrorCode::invalid_input,
                         where + ": malformed header (empty name, or CR, LF or ':' where not allowed)");
      }
      const std::string line = value.empty() ? name + ";" : name + ": " + value;  // "X;" sends an empty header
      curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
      if (grown == nullptr) return sdk::fail(sdk::ErrorCode::internal, where + ": out of memory");
      (void)headers.release();
      headers.reset(grown);
    }
    // curl waits up to a second for "100 Continue" before sending a larger body; gateways never
    // send one, so that second would be added to every big POST.
    if (!has_header(request, "Expect")) {
      curl_slist* grown = curl_slist_append(headers.get(), "Expect:");
      if (grown == nullptr) return sdk::fail(sdk::ErrorCode::internal, where + ": out of memory");
      (void)headers.release();
      headers.reset(grown);
    }

    CURL* curl = thread_handle();
    if (curl == nullptr) return sdk::fail(sdk::ErrorCode::internal, where + ": cannot create a curl handle");

    Exchange exchange;
    exchange.max_body = options_.max_body_bytes;
    char error_text[CURL_ERROR_SIZE] = {};

    const auto connect_ms = std::min(options_.connect_timeout, request.timeout).count();
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is the plugin's to judge
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);        // required with threads and timeouts
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever curl can decode
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);
    // An empty proxy string turns proxies off even when http_proxy & co are set (see Options).
    curl_easy_setopt(curl, CURLOPT_PROXY, options_.proxy.c_str());
    std::string no_proxy = "localhost,127.0.0.1,::1";
    if (!options_.no_proxy.empty()) no_proxy += "," + options_.no_proxy;
    curl_easy_setopt(curl, CURLOPT_NOPROXY, no_proxy.c_str());

    if (request.method == "GET" && request.body.empty()) {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    const CURLcode code = curl_easy_perform(curl);
    // The handle outlives this call; it must not keep pointers into this frame.
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);

    if (exchange.body_too_large) {
      return sdk::fail(sdk::ErrorCode::invalid_input,
                       where + ": response body larger than " + std::to_string(options_.max_body_bytes) + " bytes");
    }
    if (code != CURLE_OK) {
      const std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
      return sdk::fail(classify(code), where + ": " + detail);
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    exchange.response.status = static_cast<int>(status);
    return std::move(exchange.response);
  } catch (const std::exception& e) {
    return sdk::fail(sdk::ErrorCode::internal, std::string("HTTP client: ") + e.what());
  } catch (...) {
    return sdk::fail(sdk::ErrorCode::internal, "HTTP client: unknown failure");
  }
}

}  // namespace erp::daemon::net
