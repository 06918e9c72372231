#pragma once
// A temporary directory removed with everything in it, for the API tests.

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace erp::test::api_support {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "erp-api-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace erp::test::api_support
