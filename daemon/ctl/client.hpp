#pragma once
// How erpctl reaches erpd: the API address and token from the daemon's own config file, and
// HTTP requests over libcurl.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace erp::daemon::ctl {

/// erpctl's exit codes.
enum Exit : int { kOk = 0, kDaemonError = 1, kUsage = 2, kUnreachable = 3 };

/// A failure that ends the command: what to print and which exit code.
struct Failure {
  int exit_code;
  std::string message;
};

struct Endpoint {
  std::string base_url;  ///< "http://127.0.0.1:7878"
  std::string token;
};

/// Reads the config (the same file erpd runs with) for api.listen, api.port_file and
/// api.token_file. A config problem or an unreadable token is kUsage; a port file that is not
/// there yet (listen port 0 and erpd not started) is kUnreachable.
std::optional<Endpoint> find_endpoint(const std::filesystem::path& config_file, Failure& failure);

/// "host:port" as a URL authority: IPv6 in brackets, the wildcard addresses as loopback.
std::string url_authority(const std::string& listen_host, unsigned port);

struct Response {
  long status = 0;
  std::string body;
};

class Client {
 public:
  explicit Client(Endpoint endpoint);
  /// One request. A transport failure (refused, timeout) throws nothing: it returns a Failure
  /// with kUnreachable naming the address.
  std::optional<Response> send(const std::string& method, const std::string& path_and_query, const std::string& body,
                               Failure& failure) const;
  /// send() plus the error mapping every command shares: a 4xx/5xx becomes kDaemonError with
  /// the daemon's message; the body must be JSON.
  std::optional<nlohmann::json> call(const std::string& method, const std::string& path_and_query,
                                     const std::string& body, Failure& failure, std::string* raw = nullptr) const;
  const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  Endpoint endpoint_;
};

/// Percent-encodes one path segment or query value (curl_easy_escape).
std::string escape(const std::string& text);

/// Prints "erpctl: <message>" on stderr and returns the failure's exit code.
int failed(const Failure& failure);

/// Prints the API's answer as it came (`as_json`, the --json flag) or the rendering for people.
void print_answer(bool as_json, const std::string& raw, const std::string& rendered);

}  // namespace erp::daemon::ctl
