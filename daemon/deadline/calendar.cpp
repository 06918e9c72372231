#include "deadline/calendar.hpp"

#include <algorithm>

namespace erp::daemon::deadline {
namespace {

bool applies_to(const HolidayWindow& w, std::string_view platform) {
  return std::find(w.platforms.begin(), w.platforms.end(), platform) != w.platforms.end();
}

}  // namespace

const HolidayWindow* Calendar::window_for(std::string_view platform, Instant paid_at) const {
  const HolidayWindow* standing = nullptr;
  for (const auto& w : windows) {
    if (!applies_to(w, platform)) continue;
    if (w.standing) {
      if (!standing) standing = &w;
    } else if (w.paid.contains(paid_at)) {
      return &w;
    }
  }
  return standing;
}

const HolidayWindow* Calendar::after_sale_window_for(std::string_view platform, Instant requested_at) const {
  for (const auto& w : windows)
    if (applies_to(w, platform) && w.after_sale_window && w.after_sale_window->contains(requested_at)) return &w;
  return nullptr;
}

}  // namespace erp::daemon::deadline
