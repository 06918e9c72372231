#include "config/source_text.hpp"

#include <cerrno>
#include <fstream>
#include <system_error>

namespace erp::daemon::config::detail {

namespace {

// Real configs are a few KiB; the cap keeps `erpd check-config /dev/zero` from eating memory.
constexpr std::size_t kMaxConfigBytes = 16 * 1024 * 1024;

SourceText failure(std::string why) { return SourceText{std::nullopt, std::move(why)}; }

// Length of the UTF-8 sequence starting at text[i], or 0 when it is malformed (overlong forms,
// surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

SourceText read_source(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (ec) return failure("cannot read config file: " + ec.message());
  if (std::filesystem::is_directory(status)) return failure("cannot read config file: it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int err = errno;
    return failure("cannot read config file: " + std::error_code(err, std::generic_category()).message());
  }
  std::string text;
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) return failure("config file is larger than 16 MiB");
  }
  if (in.bad()) return failure("cannot read config file: read error");
  return SourceText{std::move(text), {}};
}

int first_invalid_utf8_line(std::string_view text) {
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return line;
    if (text[i] == '\n') ++line;
    i += length;
  }
  return 0;
}

}  // namespace erp::daemon::config::detail
