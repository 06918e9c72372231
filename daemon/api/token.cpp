#include "api/token.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace erp::daemon::api {
namespace {

using sdk::ErrorCode;
using sdk::fail;

std::string errno_text(int err) { return std::generic_category().message(err); }

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

sdk::Result<std::string> read_existing(const std::filesystem::path& path) {
  Fd file;
  file.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file.fd < 0) {
    const int err = errno;
    return fail(ErrorCode::config_error, "cannot read token file " + path.string() + ": " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return fail(ErrorCode::config_error, "token file " + path.string() + " is not a regular file");
  }
  // Checked on the opened file itself, so a swap between check and read changes nothing.
  if ((st.st_mode & 077) != 0) {
    return fail(ErrorCode::config_error, "token file " + path.string() + " has mode " + octal_mode(st.st_mode) +
                                             ": group or others can read it; run `chmod 600 " + path.string() +
                                             "` (only the daemon's user may read the API token)");
  }
  std::string text;
  std::array<char, 4096> buf{};
  while (text.size() < 65536) {
    const ssize_t n = ::read(file.fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return fail(ErrorCode::config_error, "cannot read token file " + path.string() + ": " + errno_text(err));
    }
    if (n == 0) break;
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return fail(ErrorCode::config_error, "token file " + path.string() +
                                             " is empty; delete it to have erpd generate a new token, or write "
                                             "a token into it");
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  std::string token = text.substr(first, last - first + 1);
  for (const char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return fail(ErrorCode::config_error, "token file " + path.string() +
                                               " holds spaces or control characters inside the token; it must be "
                                               "one line of printable characters");
    }
  }
  return token;
}

}  // namespace

sdk::Result<std::string> generate_token() {
  std::array<unsigned char, 32> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      return fail(ErrorCode::internal, "getrandom failed: " + errno_text(err));
    }
    filled += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  token.reserve(bytes.size() * 2);
  for (const unsigned char b : bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 0xf];
  }
  return token;
}

sdk::Result<std::string> load_or_create_token(const std::filesystem::path& path) {
  if (path.empty()) return fail(ErrorCode::config_error, "api.token_file is not set");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_existing(path);

  if (const auto dir = path.parent_path(); !dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) {
      return fail(ErrorCode::config_error,
                  "cannot create the directory " + dir.string() + " for the token file: " + ec.message());
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  }
  auto token = generate_token();
  if (!token) return token;

  Fd file;
  file.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (file.fd < 0) {
    const int err = errno;
    // Another process created it between our check and open: use theirs.
    if (err == EEXIST) return read_existing(path);
    return fail(ErrorCode::config_error, "cannot create token file " + path.string() + ": " + errno_text(err));
  }
  // open() applies the umask, which can only remove bits; fchmod makes the mode exact anyway.
  if (::fchmod(file.fd, 0600) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return fail(ErrorCode::config_error,
                "cannot set mode 0600 on token file " + path.string() + ": " + errno_text(err));
  }
  const std::string line = *token + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(file.fd, line.data() + written, line.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::unlink(path.c_str());
      return fail(ErrorCode::config_error, "cannot write token file " + path.string() + ": " + errno_text(err));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(file.fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return fail(ErrorCode::config_error, "cannot write token file " + path.string() + ": " + errno_text(err));
  }
  return token;
}

}  // namespace erp::daemon::api
