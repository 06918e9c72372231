// CONVENTIONS 8: a plugin runs with the daemon's rights, so whoever can replace the file, or add a
// file next to it, owns the daemon. Refuse both the file and its folder when anyone but the owner
// can write them, or when the owner is neither root nor the daemon's own user.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "plugin_host/plugin_host.hpp"
#include "plugin_host/refusal.hpp"

namespace erp::daemon::plugin_host {
namespace {

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// "" when `what` (a file or folder) is safe, the reason otherwise.
std::string unsafe_reason(const std::string& what, const struct stat& info) {
  const bool group = (info.st_mode & S_IWGRP) != 0;
  const bool others = (info.st_mode & S_IWOTH) != 0;
  if (group || others) {
    const char* who = group && others ? "group and others" : group ? "group" : "others";
    return what + " is writable by " + who + " (mode " + mode_text(info.st_mode) + ")";
  }
  const uid_t me = geteuid();
  if (info.st_uid != 0 && info.st_uid != me) {
    return what + " is owned by uid " + std::to_string(info.st_uid) + ", not by root or the daemon's user (uid " +
           std::to_string(me) + ")";
  }
  return {};
}

}  // namespace

sdk::Result<void> check_permissions(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    if (errno == ENOENT) return detail::refuse(file, "file not found", sdk::ErrorCode::not_found);
    return detail::refuse(file, std::string("cannot stat: ") + std::strerror(errno));
  }
  if (!S_ISREG(info.st_mode)) return detail::refuse(file, "not a regular file");
  if (auto reason = unsafe_reason("file", info); !reason.empty()) return detail::refuse(file, reason);

  // The folder as named, and, behind a symlink, the folder of the file that will really be loaded.
  std::vector<std::filesystem::path> folders;
  folders.push_back(file.has_parent_path() ? file.parent_path() : std::filesystem::path("."));
  std::error_code ec;
  if (std::filesystem::is_symlink(file, ec)) {
    const auto target = std::filesystem::canonical(file, ec);
    if (!ec) folders.push_back(target.parent_path());
  }
  for (const auto& folder : folders) {
    struct stat folder_info {};
    if (::stat(folder.c_str(), &folder_info) != 0) {
      return detail::refuse(file, "cannot stat folder " + folder.string() + ": " + std::strerror(errno));
    }
    if (auto reason = unsafe_reason("folder " + folder.string(), folder_info); !reason.empty()) {
      return detail::refuse(file, reason);
    }
  }
  return {};
}

}  // namespace erp::daemon::plugin_host
