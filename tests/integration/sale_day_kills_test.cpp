// Issue [9/10] proof: erpd killed with SIGKILL at random moments of a busy sale day loses no order
// and handles no shipment, memo or push twice; the day ends where it ends without kills.
// ERP_SALE_DAY_KILLS=100 (with more waves) is the long run docs/reliability.md reports.

#include <doctest/doctest.h>

#include "integration/sale_day.hpp"

using namespace erp::test;

TEST_CASE("kill -9 at random moments of a busy sale day: no order lost, nothing handled twice") {
  SaleDayOptions defaults;
  defaults.kills = 8;
  const SaleDayOptions killed_day = sale_day_from_env(defaults);
  SaleDayOptions quiet_day = killed_day;
  quiet_day.kills = 0;
  const SaleDayEnd quiet = run_sale_day(quiet_day);
  check_handled_once(quiet);

  const SaleDayEnd killed = run_sale_day(killed_day);
  MESSAGE("killed " << killed.kills << " times; settled " << killed.seconds
                    << " s after the first start (quiet day: " << quiet.seconds << " s); " << killed.orders.size()
                    << " orders, " << killed.new_orders.size() << " new");
  CHECK(killed.kills == killed_day.kills);
  check_handled_once(killed);
  check_same_end(quiet, killed);
}
