#include "ctl/client.hpp"

#include <curl/curl.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "config/loader.hpp"
#include "ctl/api_section.hpp"

namespace erp::daemon::ctl {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string errno_hint(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return "no such file";
  return "permission denied (run erpctl as the user erpd runs as, or with sudo)";
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

std::string url_authority(const std::string& listen_host, unsigned port) {
  std::string host = listen_host;
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::" || host == "[::]") host = "::1";
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  return host + ":" + std::to_string(port);
}

std::optional<Endpoint> find_endpoint(const std::filesystem::path& config_file, Failure& failure) {
  // erpctl runs without the daemon's environment and secret files: it only checks their form.
  const config::LoadOptions options{.resolve_secrets = false};
  auto loaded = config::load_config(config_file, options);
  if (!loaded.config) {
    // A file that no longer validates as a whole may still locate the running daemon.
    if (const auto text = read_file(config_file)) {
      auto lenient = config::parse_config(api_blocks_only(*text), config_file, options);
      if (lenient.config) {
        std::cerr << "erpctl: note: " << config_file.string() << " has problems outside database, plugins and api "
                  << "(erpd check-config " << config_file.string() << " lists them); using its api section\n";
      } else {
        loaded.issues = std::move(lenient.issues);
      }
      loaded.config = std::move(lenient.config);
    }
  }
  if (!loaded.config) {
    std::string message = "cannot use config " + config_file.string() + ":";
    for (const auto& issue : loaded.issues) message += "\n  " + issue.to_string();
    failure = {kUsage, message};
    return std::nullopt;
  }
  const auto& api = loaded.config->api;
  unsigned port = api.listen_port;
  if (port == 0) {
    if (api.port_file.empty()) {
      failure = {kUsage, "api.listen in " + config_file.string() +
                             " has port 0 (any free port) and no api.port_file says which one erpd took"};
      return std::nullopt;
    }
    const auto text = read_file(api.port_file);
    const std::string digits = text ? trimmed(*text) : std::string();
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (!text || digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || value == 0 ||
        value > 65535) {
      failure = {kUnreachable, "erpd is not running, or has not written its port to api.port_file " +
                                   api.port_file.string() + (text ? " (it holds no port number)" : " yet")};
      return std::nullopt;
    }
    port = value;
  }
  if (api.token_file.empty()) {
    failure = {kUsage, "api.token_file is not set in " + config_file.string()};
    return std::nullopt;
  }
  const auto token_text = read_file(api.token_file);
  if (!token_text) {
    failure = {kUsage, "cannot read api.token_file " + api.token_file.string() + ": " + errno_hint(api.token_file)};
    return std::nullopt;
  }
  const std::string token = trimmed(*token_text);
  if (token.empty()) {
    failure = {kUsage, "api.token_file " + api.token_file.string() + " is empty"};
    return std::nullopt;
  }
  return Endpoint{"http://" + url_authority(api.listen_host, port), token};
}

std::string escape(const std::string& text) {
  std::unique_ptr<char, decltype(&curl_free)> out(
      curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size())), &curl_free);
  return out ? std::string(out.get()) : std::string();
}

Client::Client(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

std::optional<Response> Client::send(const std::string& method, const std::string& path_and_query,
                                     const std::string& body, Failure& failure) const {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    failure = {kUnreachable, "cannot start libcurl"};
    return std::nullopt;
  }
  const std::string url = endpoint_.base_url + path_and_query;
  const std::string auth = "Authorization: Bearer " + endpoint_.token;
  curl_slist* raw_headers = nullptr;
  raw_headers = curl_slist_append(raw_headers, auth.c_str());
  raw_headers = curl_slist_append(raw_headers, "Accept: application/json");
  if (!body.empty()) raw_headers = curl_slist_append(raw_headers, "Content-Type: application/json");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(raw_headers, &curl_slist_free_all);

  Response response;
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_PROXY, "");  // the daemon is local: never through http_proxy
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  if (!body.empty() || method == "POST") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    failure = {kUnreachable, "cannot reach erpd at " + endpoint_.base_url + ": " +
                                 (error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(rc)))};
    return std::nullopt;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

std::optional<nlohmann::json> Client::call(const std::string& method, const std::string& path_and_query,
                                           const std::string& body, Failure& failure, std::string* raw) const {
  auto response = send(method, path_and_query, body, failure);
  if (!response) return std::nullopt;
  auto json = nlohmann::json::parse(response->body, nullptr, false);
  if (response->status >= 400) {
    std::string message;
    if (!json.is_discarded() && json.contains("error") && json["error"].is_object()) {
      const auto& error = json["error"];
      message = error.value("message", std::string());
      if (message.empty()) message = error.value("code", std::string());
    }
    if (message.empty()) message = trimmed(response->body);
    failure = {kDaemonError, message + " (HTTP " + std::to_string(response->status) + ")"};
    return std::nullopt;
  }
  if (json.is_discarded()) {
    failure = {kDaemonError, "erpd answered " + path_and_query + " with something that is not JSON"};
    return std::nullopt;
  }
  if (raw) *raw = std::move(response->body);
  return json;
}

int failed(const Failure& failure) {
  std::cerr << "erpctl: " << failure.message << "\n";
  return failure.exit_code;
}

void print_answer(bool as_json, const std::string& raw, const std::string& rendered) {
  if (as_json) {
    std::cout << raw;
    if (!raw.empty() && raw.back() != '\n') std::cout << "\n";
  } else {
    std::cout << rendered;
  }
}

}  // namespace erp::daemon::ctl
