#!/usr/bin/env bash
# The whole test suite, as README.md gives it: installs what is missing, builds, runs every test
# (unit, plugin, integration), then the same tests again in an ASan+UBSan build.
# SANITIZE=0 skips the sanitizer pass (a quicker local loop; CI always runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-deps.sh

jobs=$(nproc)
# The CI budget is 15 minutes, most of it compiling. Test trees carry line tables only (-g1):
# backtraces and sanitizer reports still name file and line, a third faster than full debug
# info. The first tree is -O1 (a quarter faster to compile than -O2; the demo and release builds
# stay -O2 and meet -O2's warnings there), and gold links (the ASan tree's large test binaries
# above all). Integration tests spend most of their time waiting on erpd and platform-sim, so
# ctest runs twice as many as there are cores.
gold=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=gold -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=gold
      -DCMAKE_MODULE_LINKER_FLAGS=-fuse-ld=gold)
echo "== build (RelWithDebInfo -O1, warnings are errors) =="
BUILD_DIR=build ./scripts/build.sh -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" "${gold[@]}"
echo "== tests =="
ctest --test-dir build --output-on-failure -j "$((jobs * 2))"

if [ "${SANITIZE:-1}" != 0 ] || [ "${CI:-}" = true ]; then
  echo "== build (ASan+UBSan) =="
  BUILD_DIR=build-asan BUILD_TYPE=Debug ./scripts/build.sh -DERP_SANITIZE=ON -DERP_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS_DEBUG="-g1" "${gold[@]}"
  echo "== tests under ASan+UBSan =="
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$((jobs * 2))"
fi
