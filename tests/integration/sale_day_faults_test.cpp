// Issue [9/10] proof: a busy sale day through 20% injected faults of every kind the simulator and
// the warehouse can produce ends exactly where the same day ends without faults.

#include <doctest/doctest.h>

#include "integration/sale_day.hpp"

using namespace erp::test;

TEST_CASE("a sale day through 20% platform, push and warehouse faults ends where the quiet day ends") {
  const SaleDayOptions quiet_day = sale_day_from_env({});
  const SaleDayEnd quiet = run_sale_day(quiet_day);
  check_handled_once(quiet);

  SaleDayOptions faulty_day = quiet_day;
  faulty_day.platform_faults = 0.2;      // 5xx, rate limits, cut bodies, silence; pushes dropped and doubled
  faulty_day.warehouse_fail_one_in = 5;  // the warehouse's webhook fails one call in five
  const SaleDayEnd faulty = run_sale_day(faulty_day);
  MESSAGE("quiet day settled in " << quiet.seconds << " s, the faulty one in " << faulty.seconds << " s; "
                                  << faulty.orders.size() << " orders, " << faulty.new_orders.size() << " new");
  check_handled_once(faulty);
  check_same_end(quiet, faulty);
}
