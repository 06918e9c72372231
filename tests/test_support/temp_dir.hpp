#pragma once
// The one scratch directory every test uses: created by mkdtemp, so two tests, two processes or
// two CI jobs sharing /tmp can never be handed the same directory (a name built from the pid and
// std::random_device could be: some CPUs' RDRAND returns the same value every time), and removed
// with everything in it when the test ends.

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace erp::test {

class TempDir {
 public:
  /// A fresh, empty directory /tmp/PREFIX-XXXXXX, mode 0700 unless `mode` says otherwise.
  explicit TempDir(const std::string& prefix = "erp-test",
                   std::filesystem::perms mode = std::filesystem::perms::owner_all) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
    path_ = pattern;
    std::filesystem::permissions(path_, mode);
  }
  ~TempDir() {
    std::error_code ec;
    // A test may have taken away the owner's write bit; removal needs it back.
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace erp::test
