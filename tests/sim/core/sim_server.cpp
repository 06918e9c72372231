#include "sim_server.hpp"

namespace erp::sim {

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex(text[i + 1]);
      const int lo = hex(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

Request to_sim(const daemon::http::Request& in) {
  Request out;
  out.method = in.method;
  out.target = in.target;
  parse_target(in.target, out);
  for (const auto& [name, value] : in.headers) out.headers.emplace(name, value);
  out.body = in.body;
  return out;
}

daemon::http::Response to_http(Response r) {
  daemon::http::Response out;
  out.status = r.status >= 100 && r.status <= 999 ? static_cast<unsigned>(r.status) : 500u;
  out.content_type = std::move(r.content_type);
  out.body = std::move(r.body);
  out.headers = std::move(r.headers);
  out.hang = r.hang;
  out.truncate = r.truncate;
  return out;
}

}  // namespace

void parse_target(const std::string& target, Request& out) {
  const std::string_view t = target;
  const auto q = t.find('?');
  out.path = decode(t.substr(0, q), false);
  out.query.clear();
  if (q == std::string_view::npos) return;
  std::string_view rest = t.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view part = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.query.emplace_back(decode(part, true), "");
    } else {
      out.query.emplace_back(decode(part.substr(0, eq), true), decode(part.substr(eq + 1), true));
    }
  }
}

daemon::http::Options SimServer::default_options() {
  daemon::http::Options o;
  o.body_limit = 16 * 1024 * 1024;
  o.max_connections = 1024;
  o.server_name = "platform-sim";
  o.log_name = "platform-sim";
  return o;
}

SimServer::SimServer(boost::asio::io_context& io, Simulator& sim, daemon::http::Options options)
    : server_(std::make_unique<daemon::http::HttpServer>(
          io, [&sim](const daemon::http::Request& request) { return to_http(sim.handle(to_sim(request))); },
          [&sim](const daemon::http::TransportError& e) {
            Request partial;
            partial.method = e.method;
            partial.target = e.target;
            if (!e.target.empty()) parse_target(e.target, partial);
            return to_http(sim.transport_error(partial, static_cast<int>(e.status), e.code, e.message));
          },
          std::move(options))) {}

std::optional<std::string> SimServer::listen(const std::string& host, std::uint16_t port) {
  return server_->listen(host, port);
}

std::uint16_t SimServer::port() const noexcept { return server_->port(); }

void SimServer::stop() { server_->stop(); }

std::size_t SimServer::connections() const noexcept { return server_->connections(); }

}  // namespace erp::sim
