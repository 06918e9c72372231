#include "plugins/qimen/qimen_time.hpp"

#include "plugins/common/china_time.hpp"

namespace erp::plugins::qimen {

std::string format_china_time(sdk::Instant at) { return plugins::format_china_time(at); }

std::optional<sdk::Instant> parse_china_time(std::string_view text) noexcept {
  // WMSs write the standard's form loosely: surrounding blanks, a 'T' between date and time, or a
  // date alone (midnight). Bring those to the strict form first.
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (text.size() == 10) {
    char full[20] = "0000-00-00 00:00:00";
    text.copy(full, 10);
    return plugins::parse_china_time(std::string_view(full, 19));
  }
  if (text.size() == 19 && text[10] == 'T') {
    char full[20];
    text.copy(full, 19);
    full[10] = ' ';
    return plugins::parse_china_time(std::string_view(full, 19));
  }
  return plugins::parse_china_time(text);
}

}  // namespace erp::plugins::qimen
