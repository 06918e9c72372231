#!/usr/bin/env bash
# The whole test suite, as README.md gives it: installs what is missing, builds, runs every test
# (unit, plugin, integration), then the same tests again in an ASan+UBSan build.
# SANITIZE=0 skips the sanitizer pass (a quicker local loop; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh

jobs=$(nproc)
# Test trees carry line tables only (-g1): backtraces and sanitizer reports still name file and
# line, and the build is about a third faster than with full debug info (the CI budget is 15 min).
echo "== build (RelWithDebInfo, warnings are errors) =="
BUILD_DIR=build ./scripts/build.sh -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${SANITIZE:-1}" != 0 ] || [ "${CI:-}" = true ]; then
  echo "== build (ASan+UBSan) =="
  BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DERP_SANITIZE=ON -DERP_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS_DEBUG="-g1"
  echo "== tests under ASan+UBSan =="
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
