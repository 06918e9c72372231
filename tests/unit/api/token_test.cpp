// The API token file: created owner-only on first start, reused after, refused when exposed.

#include "api/token.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "test_support/temp_dir.hpp"

namespace fs = std::filesystem;
using erp::daemon::api::load_or_create_token;
using erp::test::TempDir;

namespace {

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 07777;
}

void write(const fs::path& p, const std::string& text, mode_t mode) {
  std::ofstream(p) << text;
  ::chmod(p.c_str(), mode);
}

}  // namespace

TEST_CASE("a missing token file is created with mode 0600 and 64 hex characters, whatever the umask") {
  TempDir dir;
  const fs::path file = dir.path() / "run" / "erpd" / "api.token";
  const mode_t old_umask = ::umask(0);  // the most permissive umask must not widen the file
  auto token = load_or_create_token(file);
  ::umask(old_umask);
  REQUIRE_MESSAGE(token.ok(), token.error().message);
  CHECK(token->size() == 64);
  CHECK(token->find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(mode_of(file) == 0600);
  CHECK(fs::is_directory(file.parent_path()));
}

TEST_CASE("an existing token file is read again, and two files get different tokens") {
  TempDir dir;
  auto first = load_or_create_token(dir.path() / "a.token");
  REQUIRE(first.ok());
  auto again = load_or_create_token(dir.path() / "a.token");
  REQUIRE(again.ok());
  CHECK(*again == *first);
  auto other = load_or_create_token(dir.path() / "b.token");
  REQUIRE(other.ok());
  CHECK(*other != *first);
}

TEST_CASE("a hand-written token is trimmed of its newline") {
  TempDir dir;
  write(dir.path() / "t", "my-own-token\n", 0600);
  auto token = load_or_create_token(dir.path() / "t");
  REQUIRE(token.ok());
  CHECK(*token == "my-own-token");
}

TEST_CASE("a token file group or others can read is refused with the fix") {
  TempDir dir;
  const fs::path file = dir.path() / "api.token";
  write(file, "abc\n", 0644);
  auto token = load_or_create_token(file);
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().code == erp::sdk::ErrorCode::config_error);
  CHECK(token.error().message.find(file.string()) != std::string::npos);
  CHECK(token.error().message.find("0644") != std::string::npos);
  CHECK(token.error().message.find("chmod 600") != std::string::npos);
}

TEST_CASE("an empty token file is an error, not an empty token") {
  TempDir dir;
  write(dir.path() / "t", "\n  \n", 0600);
  auto token = load_or_create_token(dir.path() / "t");
  REQUIRE_FALSE(token.ok());
  CHECK(token.error().message.find("empty") != std::string::npos);
}

TEST_CASE("a token with spaces inside is refused (it could never be sent in a header)") {
  TempDir dir;
  write(dir.path() / "t", "two words\n", 0600);
  CHECK_FALSE(load_or_create_token(dir.path() / "t").ok());
}
