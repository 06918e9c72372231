#include "config/secret_source.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

namespace erp::daemon::config::detail {

namespace {

constexpr std::string_view kEnvPrefix = "${env:";
// A secret file holds one token; a cap keeps a mistaken path (a log, /dev/zero) from being read
// whole into memory.
constexpr std::size_t kMaxSecretFileBytes = 64 * 1024;
constexpr const char* kNotRead = " (not read)";

bool is_env_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0))) return false;
  }
  return true;
}

SecretOutcome failure(std::string why) { return SecretOutcome{std::nullopt, std::move(why)}; }

}  // namespace

SecretOutcome secret_from_text(std::string_view text, bool resolve) {
  if (!text.starts_with(kEnvPrefix)) {
    if (text.empty()) return failure("must not be empty");
    return SecretOutcome{Secret(std::string(text), "literal in config"), {}};
  }
  // Anything starting with "${env:" was meant as a reference; taking a malformed one literally
  // would send the reference text to the platform as the secret.
  if (!text.ends_with("}")) return failure("has a malformed environment reference; write ${env:NAME}");
  const std::string name(text.substr(kEnvPrefix.size(), text.size() - kEnvPrefix.size() - 1));
  if (!is_env_name(name)) {
    return failure("has a malformed environment reference; NAME in ${env:NAME} is letters, digits and '_'");
  }
  if (!resolve) return SecretOutcome{Secret({}, "environment " + name + kNotRead), {}};
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return failure("environment variable " + name + " is not set");
  if (*value == '\0') return failure("environment variable " + name + " is empty");
  return SecretOutcome{Secret(value, "environment " + name), {}};
}

SecretOutcome secret_from_file(const std::filesystem::path& file, bool resolve) {
  const std::string where = "file " + file.string();
  if (!resolve) return SecretOutcome{Secret({}, where + kNotRead), {}};
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return failure("cannot read " + where + ": it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    return failure("cannot read " + where + ": " + std::error_code(err, std::generic_category()).message());
  }
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxSecretFileBytes)
      return failure(where + " is larger than 64 KiB; it should hold only the secret");
  }
  if (in.bad()) return failure("cannot read " + where);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return failure(where + " is empty");
  return SecretOutcome{Secret(std::move(text), where), {}};
}

}  // namespace erp::daemon::config::detail
