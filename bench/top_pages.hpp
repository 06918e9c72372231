#pragma once
// Recorded TOP pages for benchmarks: real taobao.trades.sold.increment.get answers from the
// simulator's TOP module, produced in-process before any clock starts.
//
// Kept behind a header of plain std types on purpose: the simulator's include roots (tests/sim
// and tests/sim/core, with folders named core/ and top/ like daemon/core and the simulator's own
// TOP code) then never meet the daemon's and the plugins' headers in the measured source.

#include <string>
#include <vector>

namespace erp::bench {

struct RecordedPages {
  std::string shop;                 ///< The generated shop's id (gen-tmall-1).
  std::vector<std::string> bodies;  ///< Whole HTTP bodies, page 1 first.
  long long trades = 0;             ///< Trades across all bodies.
};

/// Generates `pages` * 100 paid Tmall trades in one shop with the module's generator, then asks
/// for every page of increment.get (page_size 100, `fields` and `types` as the adapter sends them)
/// through the module's request path, signed with md5. Throws on any error answer.
RecordedPages record_tmall_pages(int pages, const std::string& fields, const std::string& types);

}  // namespace erp::bench
