#!/usr/bin/env bash
# The whole test suite, as README.md gives it: installs what is missing, builds, runs every test
# (unit, plugin, integration), then the same tests again in an ASan+UBSan build.
# SANITIZE=0 skips the sanitizer pass (a quicker local loop; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh

jobs=$(nproc)
echo "== build (RelWithDebInfo, warnings are errors) =="
BUILD_DIR=build ./scripts/build.sh
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${SANITIZE:-1}" != 0 ] || [ "${CI:-}" = true ]; then
  echo "== build (ASan+UBSan) =="
  BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DERP_SANITIZE=ON -DERP_BUILD_BENCH=OFF
  echo "== tests under ASan+UBSan =="
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi
