#pragma once
// TOP times are `yyyy-MM-dd HH:mm:ss` in China Standard Time (GMT+8, no DST; PLATFORMS.md §1.2).

#include "plugins/common/china_time.hpp"

namespace erp::plugins::top {

using plugins::format_china_time;
using plugins::parse_china_time;

}  // namespace erp::plugins::top
