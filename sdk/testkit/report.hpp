#pragma once
// erp-plugin-check's output: one line per check and a summary for people, one JSON object for
// scripts, and the exit code.

#include <string>

#include "testkit/check_runner.hpp"

namespace erp::testkit {

/// "PASS PC1 load: ..." lines, then "erp-plugin-check: N passed, N failed, N skipped ...".
std::string render_text(const RunReport& report);

/// {"plugin", "platform", "sim", "checks": [{"id", "name", "status", "reason"}], "passed",
///  "failed", "skipped", "ok"}; status is "pass", "fail" or "skip".
std::string render_json(const RunReport& report);

/// 0 when no check failed, 1 otherwise.
int exit_code(const RunReport& report);

}  // namespace erp::testkit
